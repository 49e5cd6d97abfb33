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
    TreeNode a = node(1, 4);
    TreeNode b = node(1 + NodeCache.SLOTS, 5);
    cache.written(a.index(), a);
    cache.written(b.index(), b);
    AtomicInteger fileReads = new AtomicInteger();
    assertSame(a, cache.read(a.index(), () -> {
      fileReads.incrementAndGet();
      return a;
    }));
    assertEquals(1, fileReads.get(), "the later write took the slot");
  }
}
