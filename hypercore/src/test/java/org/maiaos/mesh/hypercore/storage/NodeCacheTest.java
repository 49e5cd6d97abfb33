package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/** The node table in front of the tree file never keeps a value a racing write or truncation replaced. */
class NodeCacheTest {
  private static TreeNode node(long index, int fill) {
    byte[] hash = new byte[32];
    java.util.Arrays.fill(hash, (byte) fill);
    return new TreeNode(index, 10, hash);
  }

  @Test
  void aReadIsRememberedPresentOrAbsent() throws Exception {
    NodeCache cache = new NodeCache();
    AtomicInteger fileReads = new AtomicInteger();
    TreeNode n = node(6, 1);
    assertSame(n, cache.read(6, () -> {
      fileReads.incrementAndGet();
      return n;
    }));
    assertSame(n, cache.read(6, () -> {
      throw new AssertionError("read from the table");
    }));
    assertNull(cache.read(7, () -> {
      fileReads.incrementAndGet();
      return null;
    }));
    assertNull(cache.read(7, () -> {
      throw new AssertionError("absence is remembered too");
    }));
    assertEquals(2, fileReads.get());
  }

  @Test
  void aWriteDuringAFileReadWinsOverWhatTheReadSaw() throws Exception {
    NodeCache cache = new NodeCache();
    TreeNode written = node(6, 2);
    // the file read saw the node absent, and the write landed before the read could fill the slot
    assertNull(cache.read(6, () -> {
      cache.written(6, written);
      return null;
    }));
    assertSame(written, cache.read(6, () -> {
      throw new AssertionError("the written node is in the table");
    }));
  }

  @Test
  void aClearDuringAFileReadLeavesNothingStale() throws Exception {
    NodeCache cache = new NodeCache();
    TreeNode old = node(6, 3);
    cache.read(6, () -> {
      cache.clear(); // a truncation finished while this read was in the file
      return old;
    });
    AtomicInteger fileReads = new AtomicInteger();
    assertNull(cache.read(6, () -> {
      fileReads.incrementAndGet();
      return null;
    }));
    assertEquals(1, fileReads.get(), "the slot was not filled with the value read before the clear");
  }

  @Test
  void indexesSharingASlotEvictEachOther() throws Exception {
    NodeCache cache = new NodeCache();
    long other = 2;
    while (NodeCache.slotOf(other) != NodeCache.slotOf(1)) other++;
    TreeNode a = node(1, 4);
    TreeNode b = node(other, 5);
    cache.written(a.index(), a);
    cache.written(b.index(), b);
    AtomicInteger fileReads = new AtomicInteger();
    assertSame(a, cache.read(a.index(), () -> {
      fileReads.incrementAndGet();
      return a;
    }));
    assertEquals(1, fileReads.get(), "the later write took the slot");
  }

  @Test
  void theUpperNodesOfAProofDoNotShareASlot() {
    // a proof carries the uncles of its block's path; in a tree of 2^20 leaves each level's uncle
    // sits at a distinct depth, and the deep ones (flat indexes ending in many 1-bits) are the ones
    // every proof repeats: they must not evict each other
    for (long leaf : new long[] {0, 1, 12_345, (1 << 20) - 1}) {
      java.util.Set<Integer> slots = new java.util.HashSet<>();
      long index = 2 * leaf;
      for (int depth = 0; depth < 20; depth++) {
        long sibling = index ^ (1L << (depth + 1)); // the node next to this one at the same depth
        slots.add(NodeCache.slotOf(sibling));
        index = (index & ~(1L << (depth + 1))) | ((1L << depth) - 1) | (1L << depth); // the parent
      }
      assertEquals(20, slots.size(), "distinct slots for the path of leaf " + leaf);
    }
  }

  /** A group read of {@code [first, first + count)} where only {@code present} indexes hold a node. */
  private static NodeCache.GroupRead file(AtomicInteger reads, long... present) {
    return (first, count) -> {
      reads.incrementAndGet();
      TreeNode[] out = new TreeNode[count];
      for (long p : present) if (p >= first && p < first + count) out[(int) (p - first)] = node(p, 6);
      return new NodeCache.Group(first, out);
    };
  }

  @Test
  void aMissReadsItsAlignedGroupAndRemembersEveryNodeOfIt() throws Exception {
    NodeCache cache = new NodeCache();
    AtomicInteger reads = new AtomicInteger();
    assertEquals(37, cache.readAround(37, 16, file(reads, 33, 37, 40)).index());
    for (long i = 32; i < 48; i++) {
      TreeNode n = cache.readAround(i, 16, (first, count) -> {
        throw new AssertionError("node " + first + " came from the table");
      });
      if (i == 33 || i == 37 || i == 40) assertEquals(i, n.index());
      else assertNull(n, "absent " + i);
    }
    assertEquals(1, reads.get());
    cache.readAround(48, 16, file(reads));
    assertEquals(2, reads.get(), "the next group is a read of its own");
  }

  @Test
  void aWriteDuringAGroupReadWinsForItsNode() throws Exception {
    NodeCache cache = new NodeCache();
    TreeNode written = node(35, 7);
    AtomicInteger reads = new AtomicInteger();
    NodeCache.GroupRead stale = file(reads);
    assertNull(cache.readAround(33, 16, (first, count) -> {
      cache.written(35, written); // landed after the group read saw node 35 absent
      return stale.read(first, count);
    }));
    assertSame(written, cache.readAround(35, 16, (first, count) -> {
      throw new AssertionError("the written node is in the table");
    }));
  }

  @Test
  void aShorterGroupIsRememberedOnlyForWhatItRead() throws Exception {
    NodeCache cache = new NodeCache();
    TreeNode wanted = node(40, 8);
    // the file could give only the wanted node (a damaged neighbour, or its end): nothing else is remembered
    assertSame(wanted, cache.readAround(40, 16, (first, count) -> new NodeCache.Group(40, new TreeNode[] {wanted})));
    assertSame(wanted, cache.readAround(40, 16, (first, count) -> {
      throw new AssertionError("the wanted node is in the table");
    }));
    AtomicInteger reads = new AtomicInteger();
    cache.readAround(41, 16, file(reads));
    assertEquals(1, reads.get(), "a neighbour not read was not remembered as absent");
  }
}
