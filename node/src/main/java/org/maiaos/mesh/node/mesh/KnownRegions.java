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

  static List<Region> read(Path storeDir) {
    Path f = storeDir.resolve(FILE);
    List<Region> out = new ArrayList<>();
    if (!Files.exists(f)) return out;
    List<String> lines;
    try {
      if (Files.size(f) > RegionMesh.MAX_PEER_REGIONS * 200L) throw CoreError.STORAGE_CORRUPT.error("%s is too large", f);
      lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot read %s: %s", f, e.getMessage());
    }
    for (String line : lines) {
      String[] p = line.split(" ");
      try {
        if (p.length != 3 || !MeshHello.validRegion(p[1])) throw CoreError.DECODING_ERROR.error("not <node key> <region> <bee key>");
        out.add(new Region(Key32.fromHex(p[0]), p[1], Key32.fromHex(p[2])));
      } catch (RuntimeException e) {
        LOG.warn("{}: line skipped ({}): {}", f, e.getMessage(), line.length() > 200 ? line.substring(0, 200) + "..." : line);
      }
      if (out.size() >= RegionMesh.MAX_PEER_REGIONS) break;
    }
    return out;
  }

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
