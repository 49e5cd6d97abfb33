package org.maiaos.mesh.hypercore.storage;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which blocks the core holds, one bit each, in 4 KiB pages made on first use (a sparse replica of
 * a huge core pays only for the ranges it holds). JS hypercore keeps such a bitfield; here it is
 * built from the index file when first asked for and kept current by every commit, so a peer's
 * {@code want} is answered a word at a time instead of a positional read per block.
 */
final class HeldBlocks {
  static final int PAGE_BITS = 1 << 15;
  private static final int PAGE_LONGS = PAGE_BITS / 64;
  private final Map<Long, long[]> pages = new HashMap<>();

  synchronized void set(long index) {
    pages.computeIfAbsent(index / PAGE_BITS, k -> new long[PAGE_LONGS])[(int) ((index % PAGE_BITS) >>> 6)] |= 1L << (index & 63);
  }

  synchronized boolean get(long index) {
    long[] p = pages.get(index / PAGE_BITS);
    return p != null && (p[(int) ((index % PAGE_BITS) >>> 6)] & (1L << (index & 63))) != 0;
  }

  /** Forgets every block from {@code length} on (a truncation). */
  synchronized void clearFrom(long length) {
    long firstPage = length / PAGE_BITS;
    for (Iterator<Map.Entry<Long, long[]>> it = pages.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, long[]> e = it.next();
      if (e.getKey() > firstPage) it.remove();
    }
    long[] p = pages.get(firstPage);
    if (p == null) return;
    int bit = (int) (length % PAGE_BITS);
    int word = bit >>> 6;
    p[word] &= (1L << (bit & 63)) - 1;
    for (int i = word + 1; i < PAGE_LONGS; i++) p[i] = 0;
  }

  /**
   * Fills {@code words}: bit {@code j} of {@code words[k]} tells whether block {@code start + 32k + j}
   * is held ({@code start} a multiple of 32, as a hypercore/alpha bitfield message has it).
   */
  synchronized void words(long start, int[] words) {
    if (start % 32 != 0) throw new IllegalArgumentException("start " + start + " is not a multiple of 32");
    long[] page = null;
    long pageNo = -1;
    for (int k = 0; k < words.length; k++) {
      long bit = start + 32L * k;
      if (bit / PAGE_BITS != pageNo) {
        pageNo = bit / PAGE_BITS;
        page = pages.get(pageNo);
      }
      if (page == null) {
        words[k] = 0;
        continue;
      }
      long w = page[(int) ((bit % PAGE_BITS) >>> 6)];
      words[k] = (bit & 32) == 0 ? (int) w : (int) (w >>> 32);
    }
  }
}
