package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.NodeHash;
import org.maiaos.mesh.hypercore.tree.TreeNode;

class CoreStorageTest {
  @TempDir Path tmp;

  private static List<byte[]> values(List<BlockWrite> blocks) {
    List<byte[]> out = new ArrayList<>();
    for (BlockWrite b : blocks) out.add(b.value());
    return out;
  }

  private static long bytes(List<BlockWrite> blocks) {
    long n = 0;
    for (BlockWrite b : blocks) n += b.value().length;
    return n;
  }

  @Test
  void unsyncedCommitsAreWholeAndVisibleAndSurviveReopen() {
    Path dir = tmp.resolve("unsynced");
    List<BlockWrite> first = Fixtures.blocks("u", 0, 5, 300);
    List<BlockWrite> second = Fixtures.blocks("u", 5, 9, 300);
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      s.commit(new Update(first, List.of(), -1, null), false);
      s.commit(new Update(second, List.of(), -1, null), false);
      for (BlockWrite b : first) assertArrayEquals(b.value(), s.block(b.index()));
      s.sync();
      s.sync(); // nothing left to sync: a no-op
      s.commit(new Update(Fixtures.blocks("u", 9, 10, 300), List.of(), -1, null), false);
    } // close syncs the last one
    try (CoreStorage s = CoreStorage.open(dir)) {
      for (BlockWrite b : second) assertArrayEquals(b.value(), s.block(b.index()));
      assertTrue(s.hasBlock(9));
    }
  }

  @Test
  void createdCoreHasTheEmptyHeadAndTheGivenHeader() {
    CoreHeader h = Fixtures.header();
    try (CoreStorage s = CoreStorage.create(tmp.resolve("a/b/core"), h)) {
      assertEquals(h, s.header());
      Head head = s.head();
      assertEquals(0, head.fork());
      assertEquals(0, head.length());
      assertEquals(0, head.byteLength());
      assertArrayEquals(NodeHash.tree(List.of()), head.treeHash());
      assertNull(head.signature());
      assertNull(s.block(0));
      assertFalse(s.hasBlock(0));
      assertNull(s.node(0));
    }
    try (CoreStorage s = CoreStorage.open(tmp.resolve("a/b/core"))) {
      assertEquals(h, s.header());
      assertEquals(0, s.head().length());
    }
  }

  @Test
  void committedBlocksNodesAndHeadReadBack() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      List<BlockWrite> blocks = Fixtures.blocks("rt", 0, 10, 1024);
      List<TreeNode> nodes = Fixtures.treeNodes(values(blocks), 0);
      Head head = Fixtures.head(0, 10, bytes(blocks), "rt");
      s.commit(new Update(blocks, nodes, -1, head));
      assertEquals(head, s.head());
      for (BlockWrite b : blocks) {
        assertArrayEquals(b.value(), s.block(b.index()));
        assertTrue(s.hasBlock(b.index()));
      }
      for (TreeNode n : nodes) assertEquals(n, s.node(n.index()));
      assertNull(s.block(10));
      assertNull(s.node(19));
      assertNull(s.node(Long.MAX_VALUE));
      assertNull(s.block(Long.MAX_VALUE));
      assertThrows(HypercoreException.class, () -> s.block(-1));
    }
  }

  @Test
  void reopenedCoreHoldsEverythingCommittedBeforeAndAfterCheckpoints() {
    Path dir = tmp.resolve("c");
    List<byte[]> all = new ArrayList<>();
    StorageLimits small = StorageLimits.DEFAULTS.withCheckpointBytes(3000);
    Head last = null;
    for (int round = 0; round < 4; round++) {
      try (CoreStorage s = round == 0 ? CoreStorage.create(dir, Fixtures.header(), small) : CoreStorage.open(dir, small)) {
        if (last != null) assertEquals(last, s.head());
        for (int batch = 0; batch < 5; batch++) {
          long from = all.size();
          List<BlockWrite> blocks = Fixtures.blocks("reopen", from, from + 7, 300);
          all.addAll(values(blocks));
          last = Fixtures.head(0, all.size(), round * 1000 + batch, "r" + round + "b" + batch);
          s.commit(new Update(blocks, Fixtures.treeNodes(all, from), -1, last));
        }
      }
    }
    try (CoreStorage s = CoreStorage.open(dir)) {
      assertEquals(last, s.head());
      for (TreeNode n : Fixtures.treeNodes(all, 0)) assertEquals(n, s.node(n.index()));
      for (int i = 0; i < all.size(); i++) assertArrayEquals(all.get(i), s.block(i));
      assertEquals(0, s.oplogBytes(), "open checkpoints whatever it replayed");
    }
  }

  @Test
  void sparseWritesInAnyOrderReadBackAndLeaveHolesAbsent() {
    Random r = TestSeeds.random("sparseWrites");
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      java.util.TreeMap<Long, byte[]> model = new java.util.TreeMap<>();
      java.util.TreeMap<Long, TreeNode> nodes = new java.util.TreeMap<>();
      for (int round = 0; round < 20; round++) {
        List<BlockWrite> bs = new ArrayList<>();
        List<TreeNode> ns = new ArrayList<>();
        for (int k = 0; k < 1 + r.nextInt(8); k++) {
          long i = r.nextInt(5000);
          BlockWrite b = new BlockWrite(i, Fixtures.blockValue("sparse" + round, i, 200));
          bs.add(b);
          model.put(i, b.value());
          long ni = r.nextInt(10_000);
          TreeNode n = new TreeNode(ni, r.nextInt(1 << 20), Fixtures.hash32("n", Long.toString(ni), Integer.toString(round)));
          ns.add(n);
          nodes.put(ni, n);
        }
        s.commit(new Update(bs, ns, -1, null));
      }
      for (long i = 0; i < 5000; i++) {
        assertArrayEquals(model.get(i), s.block(i), "block " + i);
        assertEquals(model.containsKey(i), s.hasBlock(i));
      }
      for (long i = 0; i < 10_000; i++) assertEquals(nodes.get(i), s.node(i), "node " + i);
      // a far-off node makes the tree file sparse, not huge in memory
      TreeNode far = new TreeNode(1L << 34, 7, Fixtures.hash32("far"));
      s.commit(new Update(List.of(), List.of(far), -1, null));
      assertEquals(far, s.node(1L << 34));
    }
  }

  @Test
  void truncationDropsBlocksAndTheNodesOverThemThenAppendReusesTheIndices() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      List<BlockWrite> blocks = Fixtures.blocks("t0", 0, 13, 100);
      List<byte[]> vals = values(blocks);
      List<TreeNode> nodes = Fixtures.treeNodes(vals, 0);
      s.commit(new Update(blocks, nodes, -1, Fixtures.head(0, 13, bytes(blocks), "t0")));

      long length = 5;
      Head cut = Fixtures.head(1, length, 0, "cut");
      s.commit(new Update(List.of(), List.of(), length, cut));
      assertEquals(cut, s.head());
      for (long i = 0; i < 13; i++) assertEquals(i < length, s.hasBlock(i), "block " + i);
      for (TreeNode n : nodes) {
        boolean keep = FlatTree.rightSpan(n.index()) < 2 * length;
        assertEquals(keep ? n : null, s.node(n.index()), "node " + n.index());
      }

      List<BlockWrite> again = Fixtures.blocks("t1", length, 9, 100);
      List<byte[]> vals2 = new ArrayList<>(vals.subList(0, (int) length));
      vals2.addAll(values(again));
      List<TreeNode> added = Fixtures.treeNodes(vals2, length);
      s.commit(new Update(again, added, -1, Fixtures.head(1, 9, 0, "t1")));
      for (int i = 0; i < 9; i++) assertArrayEquals(vals2.get(i), s.block(i));
      assertNull(s.block(9));
      for (TreeNode n : Fixtures.treeNodes(vals2, 0)) assertEquals(n, s.node(n.index()));
      for (long i = 17; i < 40; i++) assertNull(s.node(i), "node " + i);
    }
  }

  @Test
  void truncationAndWritesInOneUpdateApplyTruncationFirst() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      s.commit(new Update(Fixtures.blocks("a", 0, 8, 50), List.of(), -1, null));
      List<BlockWrite> rewrite = Fixtures.blocks("b", 4, 6, 50);
      s.commit(new Update(rewrite, List.of(), 4, null));
      assertArrayEquals(Fixtures.blockValue("a", 3, 50), s.block(3));
      assertArrayEquals(Fixtures.blockValue("b", 4, 50), s.block(4));
      assertArrayEquals(Fixtures.blockValue("b", 5, 50), s.block(5));
      assertNull(s.block(6));
      s.commit(new Update(List.of(), List.of(), 0, null));
      assertFalse(s.hasBlock(0));
    }
  }

  @Test
  void repeatedIndexInOneCommitKeepsTheLastValue() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      byte[] h1 = Fixtures.hash32("1");
      byte[] h2 = Fixtures.hash32("2");
      s.commit(new Update(
          List.of(new BlockWrite(3, new byte[] {1}), new BlockWrite(1, new byte[] {9}), new BlockWrite(3, new byte[] {2})),
          List.of(new TreeNode(6, 1, h1), new TreeNode(6, 2, h2)), -1, null));
      assertArrayEquals(new byte[] {2}, s.block(3));
      assertArrayEquals(new byte[] {9}, s.block(1));
      assertEquals(new TreeNode(6, 2, h2), s.node(6));
    }
  }

  @Test
  void emptyBlocksAndEmptyUpdatesAreFine() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      s.commit(new Update(List.of(), List.of(), -1, null));
      assertEquals(0, s.oplogBytes());
      s.commit(new Update(List.of(new BlockWrite(0, new byte[0])), List.of(), -1, null));
      assertArrayEquals(new byte[0], s.block(0));
      assertTrue(s.hasBlock(0));
    }
  }

  @Test
  void createRefusesADirectoryThatHoldsACore() {
    Path dir = tmp.resolve("c");
    CoreStorage.create(dir, Fixtures.header()).close();
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStorage.create(dir, Fixtures.header()));
    assertEquals(CoreError.STORAGE_CONFLICT, e.code());
  }

  @Test
  void createRefusesANonEmptyDirectoryThatIsNotACore() throws Exception {
    Path dir = tmp.resolve("c");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStorage.create(dir, Fixtures.header()));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    Path file = tmp.resolve("file");
    Files.writeString(file, "x");
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> CoreStorage.create(file, Fixtures.header())).code());
  }

  @Test
  void createReusesFilesLeftByACreateThatCrashedBeforeItsHeader() throws Exception {
    Path dir = tmp.resolve("c");
    Files.createDirectories(dir);
    Files.write(dir.resolve("oplog"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("header.tmp"), new byte[] {4});
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      assertEquals(0, s.head().length());
      assertEquals(0, s.oplogBytes());
    }
  }

  @Test
  void openOfAMissingDirectoryIsABadArgument() {
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStorage.open(tmp.resolve("nope")));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
  }

  @Test
  void openOfAnEmptyDirectoryIsStorageEmpty() {
    HypercoreException e = assertThrows(HypercoreException.class, () -> CoreStorage.open(tmp));
    assertEquals(CoreError.STORAGE_EMPTY, e.code());
    assertTrue(e.getMessage().contains("not a hypercore directory"), e.getMessage());
  }

  @Test
  void openOfAGarbageOrDamagedHeaderIsStorageCorrupt() throws Exception {
    Path dir = tmp.resolve("c");
    CoreStorage.create(dir, Fixtures.header()).close();
    byte[] good = Files.readAllBytes(dir.resolve("header"));

    Files.write(dir.resolve("header"), "garbage, not a header".getBytes());
    assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> CoreStorage.open(dir)).code());

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(dir.resolve("header"), flipped);
    assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> CoreStorage.open(dir)).code());

    Files.write(dir.resolve("header"), java.util.Arrays.copyOf(good, good.length - 1));
    assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> CoreStorage.open(dir)).code());

    Files.write(dir.resolve("header"), good);
    Files.delete(dir.resolve("index"));
    assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> CoreStorage.open(dir)).code());
  }

  @Test
  void secondOpenOfTheSameDirectoryIsAConflictUntilTheFirstCloses() {
    Path dir = tmp.resolve("c");
    CoreStorage first = CoreStorage.create(dir, Fixtures.header());
    assertEquals(CoreError.STORAGE_CONFLICT, assertThrows(HypercoreException.class, () -> CoreStorage.open(dir)).code());
    first.close();
    CoreStorage.open(dir).close();
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailAsClosed() {
    CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header());
    s.close();
    s.close();
    assertEquals(CoreError.SESSION_CLOSED, assertThrows(HypercoreException.class, () -> s.block(0)).code());
    assertEquals(CoreError.SESSION_CLOSED, assertThrows(HypercoreException.class, () -> s.node(0)).code());
    assertEquals(CoreError.SESSION_CLOSED,
        assertThrows(HypercoreException.class, () -> s.commit(new Update(List.of(), List.of(), 0, null))).code());
  }

  @Test
  void blockAtTheSizeLimitIsStoredAndOneByteMoreIsRefusedBeforeWriting() {
    StorageLimits limits = new StorageLimits(1000, 4000, 1024, 1024, 1 << 20);
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header(), limits)) {
      s.commit(new Update(List.of(new BlockWrite(0, new byte[1000])), List.of(), -1, null));
      assertEquals(1000, s.block(0).length);
      long before = s.oplogBytes();
      HypercoreException e = assertThrows(HypercoreException.class,
          () -> s.commit(new Update(List.of(new BlockWrite(1, new byte[1001])), List.of(), -1, null)));
      assertEquals(CoreError.BAD_ARGUMENT, e.code());
      // a commit over the entry limit is refused whole, and the storage stays usable
      List<BlockWrite> tooMany = List.of(new BlockWrite(1, new byte[1000]), new BlockWrite(2, new byte[1000]),
          new BlockWrite(3, new byte[1000]), new BlockWrite(4, new byte[1000]));
      assertEquals(CoreError.BAD_ARGUMENT,
          assertThrows(HypercoreException.class, () -> s.commit(new Update(tooMany, List.of(), -1, null))).code());
      assertEquals(before, s.oplogBytes());
      s.commit(new Update(tooMany.subList(0, 3), List.of(), -1, null));
      assertTrue(s.hasBlock(3));
    }
  }

  @Test
  void lastBlockIndexTheFilesCanHoldIsStoredAndOnePastItIsRefused() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      long last = StorageLimits.MAX_BLOCKS - 1;
      s.commit(new Update(List.of(new BlockWrite(last, new byte[] {7})), List.of(new TreeNode(2 * last, 1, Fixtures.hash32("l"))), -1, null));
      assertArrayEquals(new byte[] {7}, s.block(last));
      assertEquals(new TreeNode(2 * last, 1, Fixtures.hash32("l")), s.node(2 * last));
      assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
          () -> s.commit(new Update(List.of(new BlockWrite(last + 1, new byte[1])), List.of(), -1, null))).code());
      assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
          () -> s.commit(new Update(List.of(), List.of(new TreeNode(StorageLimits.MAX_NODES, 1, Fixtures.hash32("n"))), -1, null))).code());
      assertNull(s.block(last + 1));
      assertFalse(s.hasBlock(last + 1));
      assertNull(s.node(StorageLimits.MAX_NODES));
      s.commit(new Update(List.of(new BlockWrite(0, new byte[] {1})), List.of(), -1, null)); // still usable
      assertTrue(s.hasBlock(0));
    }
  }

  @Test
  void commitFromAnInterruptedThreadSucceedsAndKeepsTheFlag() {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      Thread.currentThread().interrupt();
      try {
        s.commit(new Update(Fixtures.blocks("int", 0, 3, 50), List.of(), -1, null));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
      assertArrayEquals(Fixtures.blockValue("int", 2, 50), s.block(2));
      s.commit(new Update(Fixtures.blocks("int", 3, 4, 50), List.of(), -1, null));
    }
  }

  @Test
  void headerToStringNeverShowsTheSecretKey() {
    CoreHeader h = Fixtures.header();
    String hex = java.util.HexFormat.of().formatHex(h.secretKey());
    assertFalse(h.toString().contains(hex.substring(0, 16)), h.toString());
    assertTrue(h.toString().contains("writable"));
    assertEquals(h, new CoreHeader(h.key(), h.manifest(), h.secretKey()));
    assertEquals(h.hashCode(), new CoreHeader(h.key(), h.manifest(), h.secretKey()).hashCode());
    assertFalse(h.equals(new CoreHeader(h.key(), h.manifest(), null)));
  }

  @Test
  void readersSeeOnlyWholeCommitsWhileAWriterCommits() throws Exception {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      int batches = 150;
      int per = 20;
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        long seed = t;
        Thread reader = new Thread(() -> {
          Random r = new Random(seed);
          try {
            while (!done.get()) {
              Head h = s.head();
              if (h.length() == 0) continue;
              long i = r.nextLong(h.length());
              byte[] v = s.block(i);
              if (v == null || !java.util.Arrays.equals(v, Fixtures.blockValue("conc", i, 300))) {
                throw new AssertionError("block " + i + " under head length " + h.length());
              }
              if (s.node(2 * i) == null) throw new AssertionError("leaf of block " + i);
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, "storage-test-reader-" + t);
        readers.add(reader);
        reader.start();
      }
      List<byte[]> all = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        List<BlockWrite> blocks = Fixtures.blocks("conc", (long) b * per, (long) (b + 1) * per, 300);
        long from = all.size();
        all.addAll(values(blocks));
        List<TreeNode> leaves = new ArrayList<>();
        for (BlockWrite w : blocks) leaves.add(TreeNode.leaf(w.index(), w.value()));
        s.commit(new Update(blocks, leaves, -1, Fixtures.head(0, from + per, 0, "c" + b)));
      }
      done.set(true);
      for (Thread t : readers) t.join(TimeUnit.SECONDS.toMillis(30));
      if (!errors.isEmpty()) throw new AssertionError(errors.peek());
    }
  }

  @Test
  void anInterruptedReaderIsCancelledAndOtherReadsStillWork() throws Exception {
    try (CoreStorage s = CoreStorage.create(tmp.resolve("c"), Fixtures.header())) {
      s.commit(new Update(Fixtures.blocks("i", 0, 4, 100), List.of(new TreeNode(0, 1, Fixtures.hash32("x"))), -1, null));
      CountDownLatch ran = new CountDownLatch(1);
      HypercoreException[] seen = new HypercoreException[1];
      Thread t = new Thread(() -> {
        Thread.currentThread().interrupt();
        try {
          s.block(1);
        } catch (HypercoreException e) {
          seen[0] = e;
        }
        ran.countDown();
      }, "storage-test-interrupted");
      t.start();
      assertTrue(ran.await(10, TimeUnit.SECONDS));
      t.join();
      assertNotNull(seen[0], "an interrupted read must not pretend to succeed");
      assertEquals(CoreError.REQUEST_CANCELLED, seen[0].code());
      assertArrayEquals(Fixtures.blockValue("i", 1, 100), s.block(1));
      assertNotNull(s.node(0));
      s.commit(new Update(Fixtures.blocks("i", 4, 5, 100), List.of(), -1, null));
      assertTrue(s.hasBlock(4));
    }
  }
}
