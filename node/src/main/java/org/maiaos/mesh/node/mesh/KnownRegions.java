package org.maiaos.mesh.node.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer regions a node has met, kept in its store directory ({@value #FILE}: one line per
 * region, {@code <node key> <region> <bee key>}), so that after a restart the node still knows,
 * and can serve from its replica or mirror, a region that is down. Written whole to a temporary
 * file, synced and renamed over the old one; a line that does not parse is skipped and logged.
 */
final class KnownRegions {
  private static final Logger LOG = LoggerFactory.getLogger(KnownRegions.class);
  static final String FILE = "regions";

  /** One region as a hello named it. */
  record Region(Key32 nodeKey, String name, Key32 beeKey) {}

  private KnownRegions() {}

  /**
   * The regions recorded in {@code storeDir}; none when there is no file. A damaged file never
   * stops the node: what does not parse (a torn line, bytes that are not UTF-8, a file far larger
   * than {@link RegionMesh#MAX_PEER_REGIONS} lines can be) is skipped with a warning, and the
   * regions are met again by their hellos, which write the file anew.
   */
  static List<Region> read(Path storeDir) {
    Path f = storeDir.resolve(FILE);
    List<Region> out = new ArrayList<>();
    if (!Files.exists(f)) return out;
    String text;
    try {
      if (Files.size(f) > MAX_BYTES) {
        LOG.warn("{} ignored: {} bytes, more than {} regions can take", f, Files.size(f), RegionMesh.MAX_PEER_REGIONS);
        return out;
      }
      // decoded leniently: a damaged byte spoils its line only
      text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot read %s: %s", f, e.getMessage());
    }
    String[] lines = text.split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isEmpty()) continue;
      String[] p = line.split(" ");
      try {
        if (p.length != 3 || !MeshHello.validRegion(p[1])) throw CoreError.DECODING_ERROR.error("bad line");
        out.add(new Region(Key32.fromHex(p[0]), p[1], Key32.fromHex(p[2])));
      } catch (RuntimeException e) {
        LOG.warn("{} line {} skipped, not <node key> <region> <bee key>: {}", f, n + 1, printable(line));
      }
      if (out.size() >= RegionMesh.MAX_PEER_REGIONS) break;
    }
    return out;
  }

  /** The start of a damaged line for a log, anything but printable ASCII shown as {@code ?}. */
  private static String printable(String line) {
    String head = line.length() > 80 ? line.substring(0, 80) + "..." : line;
    return head.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Longer than any file of {@link RegionMesh#MAX_PEER_REGIONS} lines (a line is at most ~200 bytes). */
  static final long MAX_BYTES = RegionMesh.MAX_PEER_REGIONS * 200L;

  static void write(Path storeDir, List<Region> regions) {
    StringBuilder sb = new StringBuilder();
    for (Region r : regions) sb.append(r.nodeKey().hex()).append(' ').append(r.name()).append(' ').append(r.beeKey().hex()).append('\n');
    Path tmp = storeDir.resolve(CoreStore.TMP_PREFIX + FILE);
    try {
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, storeDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      CoreStore.fsyncDir(storeDir);
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot write %s: %s", storeDir.resolve(FILE), e.getMessage());
    }
  }
}
