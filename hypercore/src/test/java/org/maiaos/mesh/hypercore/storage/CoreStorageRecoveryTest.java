package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/** Crash images, torn and damaged files: what open recovers, what it drops, what it refuses. */
class CoreStorageRecoveryTest {
  @TempDir Path tmp;

  /** Commits batch {@code n}: 3 blocks at 3n.., their leaves, and a head of length 3(n+1). */
  private static void commitBatch(CoreStorage s, int n) {
    List<BlockWrite> blocks = Fixtures.blocks("rec", 3L * n, 3L * n + 3, 40);
    List<TreeNode> leaves = new ArrayList<>();
    for (BlockWrite b : blocks) leaves.add(TreeNode.leaf(b.index(), b.value()));
    s.commit(new Update(blocks, leaves, -1, headOf(n)));
  }

  private static Head headOf(int n) {
    return Fixtures.head(0, 3L * n + 3, 0, "batch" + n);
  }

  /** Asserts the core holds exactly batches 0..n-1. */
  private static void assertHoldsBatches(CoreStorage s, int n) {
    if (n > 0) assertEquals(headOf(n - 1), s.head());
    else assertEquals(0, s.head().length());
    for (long i = 0; i < 3L * n + 6; i++) {
      byte[] expected = i < 3L * n ? Fixtures.blockValue("rec", i, 40) : null;
      assertArrayEquals(expected, s.block(i), "block " + i);
      assertEquals(expected == null ? null : TreeNode.leaf(i, expected), s.node(2 * i), "leaf " + i);
    }
  }

  private static void truncateFile(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  @Test
  void tornOplogTailAtEveryOffsetOfTheLastEntryReopensToThePreviousCommits() throws Exception {
    Path dir = tmp.resolve("live");
    Path before = tmp.resolve("before");
    byte[] full;
    long prefix;
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      for (int n = 0; n < 3; n++) commitBatch(s, n);
      Fixtures.copyDir(dir, before); // what kill -9 leaves just before the next commit: page cache = disk
      prefix = s.oplogBytes();
      commitBatch(s, 3);
      full = Fixtures.read(dir, "oplog");
    }
    assertTrue(full.length > prefix);
    for (long cut = prefix; cut <= full.length; cut++) {
      Path img = tmp.resolve("img" + cut);
      Fixtures.copyDir(before, img);
      Files.write(img.resolve("oplog"), Arrays.copyOf(full, (int) cut));
      boolean whole = cut == full.length;
      boolean goOn = whole || cut % 16 == 0 || cut == prefix + 1 || cut == full.length - 1;
      try (CoreStorage s = CoreStorage.open(img)) {
        assertHoldsBatches(s, whole ? 4 : 3);
        assertEquals(whole ? 0 : cut - prefix, s.droppedOplogBytes(), "cut at " + cut);
        if (goOn) commitBatch(s, whole ? 4 : 3); // and the core goes on from there
      }
      if (goOn) {
        try (CoreStorage s = CoreStorage.open(img)) {
          assertHoldsBatches(s, whole ? 5 : 4);
        }
      }
      deleteDir(img);
    }
  }

  @Test
  void flippedBitInAnOplogEntryDropsItAndLaterOnesWithAWarnAndKeepsEarlierEntries() throws Exception {
    Random r = TestSeeds.random("flippedBit");
    Path dir = tmp.resolve("live");
    Path afterFirst = tmp.resolve("afterFirst");
    byte[] full;
    long firstEnd;
    long secondEnd;
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      commitBatch(s, 0);
      firstEnd = s.oplogBytes();
      Fixtures.copyDir(dir, afterFirst);
      commitBatch(s, 1);
      secondEnd = s.oplogBytes();
      commitBatch(s, 2);
      full = Fixtures.read(dir, "oplog");
    }
    for (int trial = 0; trial < 16; trial++) {
      // a bit anywhere in the second entry: its length, checksum or body
      int at = (int) (firstEnd + r.nextInt((int) (secondEnd - firstEnd)));
      byte[] damaged = full.clone();
      damaged[at] ^= (byte) (1 << r.nextInt(8));
      Path img = tmp.resolve("img" + trial);
      Fixtures.copyDir(afterFirst, img);
      Files.write(img.resolve("oplog"), damaged);
      List<CoreStorage> opened = new ArrayList<>();
      String log = Fixtures.captureStderr(() -> CoreStorage.open(img), opened);
      try (CoreStorage s = opened.get(0)) {
        assertHoldsBatches(s, 1);
        assertEquals(full.length - firstEnd, s.droppedOplogBytes(), "bit at " + at);
        assertTrue(log.contains("WARN") && log.contains("dropping"), log);
      }
      deleteDir(img);
    }
  }

  @Test
  void corruptedBlockBytesInTheDataFileFailTheirChecksum() throws Exception {
    Path dir = tmp.resolve("c");
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      s.commit(new Update(List.of(new BlockWrite(0, "first".getBytes()), new BlockWrite(1, "second".getBytes())), List.of(), -1, null));
      s.checkpointNow();
    }
    byte[] data = Fixtures.read(dir, "data");
    data[7] ^= 1; // inside "second"
    Files.write(dir.resolve("data"), data);
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertArrayEquals("first".getBytes(), s.block(0));
      assertTrue(s.hasBlock(1));
      HypercoreException e = assertThrows(HypercoreException.class, () -> s.block(1));
      assertEquals(CoreError.STORAGE_CORRUPT, e.code());
      assertTrue(e.getMessage().contains("block 1 failed its checksum"), e.getMessage());
    }
  }

  @Test
  void oversizedOrTornLengthFieldsInTheOplogAreDroppedWithoutAllocating() throws Exception {
    long[] declaredLengths = {0xFFFFFFFFL, 0x7FFFFFFFL, StorageLimits.DEFAULTS.maxEntryBytes() + 1L, 1000};
    for (long declared : declaredLengths) {
      Path dir = tmp.resolve("c" + declared);
      try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
        commitBatch(s, 0);
      }
      byte[] frameHeader = new byte[8];
      ByteBuffer.wrap(frameHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) declared);
      Files.write(dir.resolve("oplog"), frameHeader, StandardOpenOption.APPEND);
      List<CoreStorage> opened = new ArrayList<>();
      String log = Fixtures.captureStderr(() -> CoreStorage.open(dir), opened);
      try (CoreStorage s = opened.get(0)) {
        assertHoldsBatches(s, 1);
        assertEquals(8, s.droppedOplogBytes());
        assertTrue(log.contains(declared == 1000 ? "torn entry" : "over the"), log);
        commitBatch(s, 1);
      }
      try (CoreStorage s = CoreStorage.open(dir)) {
        assertHoldsBatches(s, 2);
      }
    }
  }

  @Test
  void checksummedEntryWithAHugeCountIsDroppedAsUndecodable() throws Exception {
    Path dir = tmp.resolve("c");
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      commitBatch(s, 0);
    }
    // seq 2, flags 0, heapOffset 0, blockCount 2^32-1: a valid frame whose count exceeds its bytes
    byte[] body = {2, 0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0};
    Files.write(dir.resolve("oplog"), frame(body), StandardOpenOption.APPEND);
    List<CoreStorage> opened = new ArrayList<>();
    String log = Fixtures.captureStderr(() -> CoreStorage.open(dir), opened);
    try (CoreStorage s = opened.get(0)) {
      assertHoldsBatches(s, 1);
      assertEquals(8 + body.length, s.droppedOplogBytes());
      assertTrue(log.contains("undecodable"), log);
    }
  }

  private static byte[] frame(byte[] body) {
    byte[] f = new byte[8 + body.length];
    System.arraycopy(body, 0, f, 8, body.length);
    ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(0, body.length);
    CRC32C crc = new CRC32C();
    crc.update(f, 0, 4);
    crc.update(body);
    bb.putInt(4, (int) crc.getValue());
    return f;
  }

  @Test
  void oversizedOrMisplacedBlockSlotsAreStorageCorrupt() throws Exception {
    Path dir = tmp.resolve("c");
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      s.commit(new Update(Fixtures.blocks("slot", 0, 3, 40), List.of(), -1, null));
      s.checkpointNow();
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("index"), StandardOpenOption.WRITE)) {
      ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -1); // 4 GiB - 1
      ch.write(len, 16 + 8);
      ByteBuffer off = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
      ch.write(off, 32);
    }
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertArrayEquals(Fixtures.blockValue("slot", 0, 40), s.block(0));
      HypercoreException e1 = assertThrows(HypercoreException.class, () -> s.block(1));
      assertEquals(CoreError.STORAGE_CORRUPT, e1.code());
      assertTrue(e1.getMessage().contains("over the"), e1.getMessage());
      HypercoreException e2 = assertThrows(HypercoreException.class, () -> s.block(2));
      assertEquals(CoreError.STORAGE_CORRUPT, e2.code());
      assertTrue(e2.getMessage().contains("past the heap end"), e2.getMessage());
    }
    // a slot cut short by a damaged file
    truncateFile(dir.resolve("index"), 40);
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> s.block(2)).code());
      assertNull(s.block(3));
    }
  }

  @Test
  void oversizedHeaderOrHeaderLengthFieldsAreStorageCorrupt() throws Exception {
    Path dir = tmp.resolve("c");
    CoreStorage.create(dir, Fixtures.header()).close();
    byte[] good = Fixtures.read(dir, "header");
    try (FileChannel ch = FileChannel.open(dir.resolve("header"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}), StorageLimits.DEFAULTS.maxHeaderBytes() + 1); // sparse: no big write
    }
    HypercoreException big = assertThrows(HypercoreException.class, () -> CoreStorage.open(dir));
    assertEquals(CoreError.STORAGE_CORRUPT, big.code());
    assertTrue(big.getMessage().contains("over the"), big.getMessage());

    // checksummed, but the manifest claims 2^32-1 bytes
    byte[] lying = new byte[8 + 32 + 5 + 4];
    System.arraycopy("hcst".getBytes(), 0, lying, 0, 4);
    lying[4] = 1;
    lying[40] = (byte) 0xFE;
    Arrays.fill(lying, 41, 45, (byte) 0xFF);
    CRC32C crc = new CRC32C();
    crc.update(lying, 0, lying.length - 4);
    ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(lying.length - 4, (int) crc.getValue());
    Files.write(dir.resolve("header"), lying);
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStorage.open(dir));
    assertEquals(CoreError.STORAGE_CORRUPT, e.code());
    assertTrue(e.getMessage().contains("does not decode"), e.getMessage());

    Files.write(dir.resolve("header"), good);
    CoreStorage.open(dir).close();
  }

  @Test
  void crashBetweenCheckpointAndOplogTruncationSkipsTheCoveredEntries() throws Exception {
    Path dir = tmp.resolve("c");
    byte[] stale;
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      for (int n = 0; n < 3; n++) commitBatch(s, n);
      stale = Fixtures.read(dir, "oplog");
      s.checkpointNow();
      assertEquals(0, s.oplogBytes());
    }
    Files.write(dir.resolve("oplog"), stale); // as if the truncation after the new header never happened
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertEquals(3, s.skippedEntries());
      assertEquals(0, s.replayedEntries());
      assertHoldsBatches(s, 3);
      commitBatch(s, 3);
    }
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertEquals(1, s.replayedEntries());
      assertHoldsBatches(s, 4);
    }
  }

  @Test
  void replayingTheOplogAgainOrOntoFilesFromBeforeItGivesTheSameFiles() throws Exception {
    Path dir = tmp.resolve("c");
    Path empty = tmp.resolve("empty");
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      Fixtures.copyDir(dir, empty);
      for (int n = 0; n < 4; n++) commitBatch(s, n);
      s.commit(new Update(List.of(), List.of(), 5, Fixtures.head(1, 5, 0, "cut")));
      s.commit(new Update(Fixtures.blocks("again", 5, 9, 40), List.of(), -1, Fixtures.head(1, 9, 0, "again")));
    }
    // dir now holds every entry applied once, and all of them still in its oplog
    Path twice = tmp.resolve("twice");
    Path fromEmpty = tmp.resolve("fromEmpty");
    Fixtures.copyDir(dir, twice);
    Fixtures.copyDir(empty, fromEmpty);
    Files.copy(dir.resolve("oplog"), fromEmpty.resolve("oplog"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Head h1;
    Head h2;
    try (CoreStorage s = CoreStorage.open(twice)) {
      assertEquals(6, s.replayedEntries());
      h1 = s.head();
    }
    try (CoreStorage s = CoreStorage.open(fromEmpty)) {
      assertEquals(6, s.replayedEntries());
      h2 = s.head();
      assertArrayEquals(Fixtures.blockValue("again", 6, 40), s.block(6));
      assertArrayEquals(Fixtures.blockValue("rec", 4, 40), s.block(4));
      assertFalse(s.hasBlock(9));
    }
    assertEquals(Fixtures.head(1, 9, 0, "again"), h1);
    assertEquals(h1, h2);
    for (String f : List.of("tree", "index", "data")) {
      Fixtures.assertSameFile(dir, twice, f);
      Fixtures.assertSameFile(twice, fromEmpty, f);
    }
    Fixtures.assertSameFile(twice, fromEmpty, "header");
  }

  private static void deleteDir(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
    }
    Files.delete(dir);
  }
}
