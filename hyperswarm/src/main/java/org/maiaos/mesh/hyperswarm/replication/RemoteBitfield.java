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

  /** Marks {@code [start, start + length)}; a huge range is clipped to {@link #MAX_PAGES} pages. */
  void setRange(long start, long length, boolean value) {
    long end = start + Math.min(length, (long) MAX_PAGES * PAGE_BITS);
    for (long i = start; i < end; i++) set(i, value);
  }

  /** Applies a wire bitfield: 32 bits per word from {@code start}, set and clear alike. */
  void insert(long start, int[] words) {
    for (int w = 0; w < words.length; w++) {
      int word = words[w];
      for (int b = 0; b < 32; b++) set(start + 32L * w + b, (word >>> b & 1) != 0);
    }
  }
}
