package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * The remembered peer regions survive a round trip, and a damaged file (torn, corrupted, not
 * UTF-8, oversized, too many lines) never stops a node: the lines that parse are kept, the rest
 * skipped.
 */
class KnownRegionsTest {
  @TempDir Path dir;
  private final Random random = new Random(42);

  private Key32 key() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Key32.of(b);
  }

  private List<KnownRegions.Region> regions(int n) {
    List<KnownRegions.Region> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new KnownRegions.Region(key(), "region-" + i, key()));
    return out;
  }

  private Path file() {
    return dir.resolve(KnownRegions.FILE);
  }

  @Test
  void noFileIsNoRegions() {
    assertEquals(List.of(), KnownRegions.read(dir));
  }

  @Test
  void whatIsWrittenIsReadBackAndALeftoverTemporaryFileIsIgnored() throws IOException {
    List<KnownRegions.Region> three = regions(3);
    KnownRegions.write(dir, three);
    Files.writeString(dir.resolve(CoreStore.TMP_PREFIX + KnownRegions.FILE), "half a line from a crash");
    assertEquals(three, KnownRegions.read(dir));
    KnownRegions.write(dir, three.subList(0, 1));
    assertEquals(three.subList(0, 1), KnownRegions.read(dir), "written whole over the old file");
  }

  @Test
  void aTornFileKeepsItsWholeLines() throws IOException {
    List<KnownRegions.Region> three = regions(3);
    KnownRegions.write(dir, three);
    byte[] whole = Files.readAllBytes(file());
    for (int cut = 0; cut < whole.length; cut++) {
      Files.write(file(), Arrays.copyOf(whole, cut));
      List<KnownRegions.Region> read = KnownRegions.read(dir);
      int lines = 0;
      for (int i = 0; i < cut; i++) if (whole[i] == '\n') lines++;
      // a line cut just before its newline is still whole
      boolean lastWhole = cut > 0 && whole[cut - 1] != '\n' && (cut == whole.length || whole[cut] == '\n');
      assertEquals(three.subList(0, lines + (lastWhole ? 1 : 0)), read, "cut at " + cut);
    }
  }

  @Test
  void corruptedBytesSpoilOnlyTheirLine() throws IOException {
    List<KnownRegions.Region> three = regions(3);
    KnownRegions.write(dir, three);
    byte[] whole = Files.readAllBytes(file());
    int lineLength = whole.length / 3;
    for (int round = 0; round < 200; round++) {
      byte[] damaged = whole.clone();
      int at = lineLength + random.nextInt(lineLength - 1); // inside the second line, not its newline
      damaged[at] = (byte) (0x80 | random.nextInt(0x80)); // never valid UTF-8 on its own
      Files.write(file(), damaged);
      assertEquals(List.of(three.get(0), three.get(2)), KnownRegions.read(dir), "byte " + at);
    }
  }

  @Test
  void garbageIsSkippedAndTheNodeStillStarts() throws IOException {
    for (int round = 0; round < 100; round++) {
      byte[] junk = new byte[random.nextInt(4096)];
      random.nextBytes(junk);
      Files.write(file(), junk);
      assertTrue(KnownRegions.read(dir).size() <= RegionMesh.MAX_PEER_REGIONS);
    }
    Files.writeString(file(), "a b c\n\n" + key().hex() + " UPPER " + key().hex() + "\n" + key().hex() + " ok\n", StandardCharsets.UTF_8);
    assertEquals(List.of(), KnownRegions.read(dir));
  }

  @Test
  void anOversizedFileIsIgnoredWithoutReadingIt() throws IOException {
    KnownRegions.write(dir, regions(1));
    byte[] big = new byte[(int) KnownRegions.MAX_BYTES + 1];
    Arrays.fill(big, (byte) 'x');
    Files.write(file(), big);
    assertEquals(List.of(), KnownRegions.read(dir));
  }

  @Test
  void moreLinesThanPeerRegionsAreCutAtTheLimit() throws IOException {
    // short keys would not parse; a file of more valid lines than the limit fits in MAX_BYTES
    List<KnownRegions.Region> many = regions(RegionMesh.MAX_PEER_REGIONS + 20);
    StringBuilder sb = new StringBuilder();
    for (KnownRegions.Region r : many) sb.append(r.nodeKey().hex()).append(' ').append(r.name()).append(' ').append(r.beeKey().hex()).append('\n');
    assertTrue(sb.length() <= KnownRegions.MAX_BYTES, "the file is within the byte bound: " + sb.length());
    Files.writeString(file(), sb.toString(), StandardCharsets.UTF_8);
    assertEquals(many.subList(0, RegionMesh.MAX_PEER_REGIONS), KnownRegions.read(dir));
  }
}
