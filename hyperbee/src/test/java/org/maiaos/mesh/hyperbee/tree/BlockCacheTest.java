package org.maiaos.mesh.hyperbee.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockCacheTest {
  private static NodeBlock block(long seq, int valueBytes) {
    return new NodeBlock(seq, new byte[] {(byte) seq}, new byte[valueBytes], new byte[0]);
  }

  @Test
  void staysWithinItsBudgetAndKeepsWhatReadersUse() {
    long w = block(1, 100).weight();
    BlockCache cache = new BlockCache(10 * w);
    for (long s = 1; s <= 10; s++) cache.put(0, block(s, 100));
    assertEquals(10, cache.size());
    for (long s = 1; s <= 5; s++) assertNotNull(cache.get(0, s)); // 1..5 referenced
    for (long s = 11; s <= 15; s++) cache.put(0, block(s, 100));
    assertEquals(10, cache.size(), "within the budget");
    for (long s = 1; s <= 5; s++) assertNotNull(cache.get(0, s), "a referenced block gets a second chance: " + s);
    for (long s = 6; s <= 10; s++) assertNull(cache.get(0, s), "an unreferenced one goes first: " + s);
    for (long s = 100; s < 1100; s++) {
      cache.put(0, block(s, (int) (s % 300)));
      if (s % 3 == 0) cache.get(0, s - 1);
    }
    assertTrue(cache.size() * block(0, 0).weight() <= 10 * w, "count bounded by the budget");
  }

  @Test
  void aSecondDecodeOfTheSameBlockKeepsTheFirstAndAForkClearsEverything() {
    BlockCache cache = new BlockCache(1 << 20);
    NodeBlock first = block(7, 10);
    assertSame(first, cache.put(0, first));
    assertSame(first, cache.put(0, block(7, 10)));
    assertSame(first, cache.get(0, 7));
    assertNull(cache.get(1, 7), "another fork does not see it");
    cache.put(1, block(8, 10));
    assertNull(cache.get(1, 7), "a new fork starts empty");
    assertEquals(1, cache.size());
  }

  @Test
  void aBlockOverTheWholeBudgetIsNotKeptAndAZeroBudgetKeepsNothing() {
    BlockCache small = new BlockCache(block(1, 10).weight());
    small.put(0, block(1, 10_000));
    assertEquals(0, small.size());
    BlockCache none = new BlockCache(0);
    none.put(0, block(1, 1));
    assertNull(none.get(0, 1));
  }
}
