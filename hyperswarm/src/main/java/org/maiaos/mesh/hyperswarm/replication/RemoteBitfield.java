package org.maiaos.mesh.hyperswarm.replication;

import java.util.TreeMap;

/**
 * What one peer told us it has beyond its contiguous prefix: sparse pages of bits, so a peer with
 * a few blocks far out costs a few pages, not its whole length. Owned by the replicator thread.
 */
final class RemoteBitfield {
  private static final int PAGE_BITS = 32768;
  private static final int PAGE_WORDS = PAGE_BITS / 64;
  /** A peer may describe at most this many pages; more is ignored, which only costs us wants. */
  static final int MAX_PAGES = 4096;
  private final TreeMap<Long, long[]> pages = new TreeMap<>();

  boolean get(long index) {
    long[] page = pages.get(index / PAGE_BITS);
    if (page == null) return false;
    int bit = (int) (index % PAGE_BITS);
    return (page[bit >>> 6] >>> (bit & 63) & 1) != 0;
  }

  void set(long index, boolean value) {
    long key = index / PAGE_BITS;
    long[] page = pages.get(key);
    if (page == null) {
      if (!value || pages.size() >= MAX_PAGES) return;
      page = new long[PAGE_WORDS];
      pages.put(key, page);
    }
    int bit = (int) (index % PAGE_BITS);
    if (value) page[bit >>> 6] |= 1L << (bit & 63);
    else page[bit >>> 6] &= ~(1L << (bit & 63));
  }

  /**
   * Marks {@code [start, start + length)}, a page and a word at a time (a peer's RANGE may name
   * millions of blocks); a huge range is clipped to {@link #MAX_PAGES} pages.
   */
  void setRange(long start, long length, boolean value) {
    if (start < 0 || length <= 0) return;
    long end = start + Math.min(length, (long) MAX_PAGES * PAGE_BITS);
    if (end < start) end = Long.MAX_VALUE; // overflow: up to the last index
    long i = start;
    while (i < end) {
      long key = i / PAGE_BITS;
      long pageStart = key * PAGE_BITS;
      int from = (int) (i - pageStart);
      int to = (int) Math.min(PAGE_BITS, end - pageStart);
      long[] page = pages.get(key);
      if (page == null && value && pages.size() < MAX_PAGES) {
        page = new long[PAGE_WORDS];
        pages.put(key, page);
      }
      if (page != null) fill(page, from, to, value);
      if (pageStart > Long.MAX_VALUE - PAGE_BITS) break;
      i = pageStart + PAGE_BITS;
    }
  }

  /** Sets or clears bits {@code [from, to)} of one page. */
  private static void fill(long[] page, int from, int to, boolean value) {
    int w = from >>> 6;
    int last = (to - 1) >>> 6;
    for (; w <= last; w++) {
      int lo = w == from >>> 6 ? from & 63 : 0;
      int hi = w == last ? ((to - 1) & 63) + 1 : 64;
      long mask = (hi == 64 ? -1L : (1L << hi) - 1) & (-1L << lo);
      if (value) page[w] |= mask;
      else page[w] &= ~mask;
    }
  }

  /** Applies a wire bitfield: 32 bits per word from {@code start}, set and clear alike. */
  void insert(long start, int[] words) {
    for (int w = 0; w < words.length; w++) {
      int word = words[w];
      long at = start + 32L * w;
      if (word == 0) {
        setRange(at, 32, false);
      } else if (word == -1) {
        setRange(at, 32, true);
      } else {
        for (int b = 0; b < 32; b++) set(at + b, (word >>> b & 1) != 0);
      }
    }
  }
}
