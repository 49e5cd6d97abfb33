package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.CoreError;

/**
 * flat-tree arithmetic: a binary tree laid in order over the non-negative integers. Leaves (blocks)
 * are the even indexes, block {@code i} at {@code 2i}; parents are odd.
 */
public final class FlatTree {
  private FlatTree() {}

  /** The number of trailing one bits of {@code i}. */
  public static int depth(long i) {
    return Long.numberOfTrailingZeros(~i);
  }

  public static long offset(long i) {
    int d = depth(i);
    return d == 0 ? i >>> 1 : i >>> (d + 1);
  }

  public static long offset(long i, int depth) {
    return i >>> (depth + 1);
  }

  public static long index(int depth, long offset) {
    return ((offset << 1) + 1 << depth) - 1;
  }

  public static long parent(long i) {
    int d = depth(i);
    return index(d + 1, offset(i, d) >>> 1);
  }

  public static long sibling(long i) {
    int d = depth(i);
    return index(d, offset(i, d) ^ 1);
  }

  /** The left child of a parent; a leaf has none. */
  public static long leftChild(long i) {
    int d = depth(i);
    if (d == 0) throw CoreError.ASSERTION.error("leaf %d has no children", i);
    return index(d - 1, offset(i, d) << 1);
  }

  public static long rightChild(long i) {
    int d = depth(i);
    if (d == 0) throw CoreError.ASSERTION.error("leaf %d has no children", i);
    return index(d - 1, (offset(i, d) << 1) + 1);
  }

  public static long leftSpan(long i) {
    int d = depth(i);
    return d == 0 ? i : offset(i, d) << (d + 1);
  }

  public static long rightSpan(long i) {
    int d = depth(i);
    return d == 0 ? i : ((offset(i, d) + 1) << (d + 1)) - 2;
  }

  public static long countLeaves(long i) {
    return 1L << depth(i);
  }

  /** True when {@code i} is a left child (or a root position with an even offset). */
  public static boolean isLeft(long i) {
    return (offset(i) & 1) == 0;
  }

  /** The full roots of a tree whose leaves end before {@code index} (= 2 * length), left to right. */
  public static long[] fullRoots(long index) {
    if ((index & 1) != 0) throw CoreError.BAD_ARGUMENT.error("fullRoots needs an even index, got %d", index);
    long[] out = new long[Long.bitCount(index >>> 1)];
    long tmp = index >>> 1;
    long offset = 0;
    long factor = 1;
    int n = 0;
    while (tmp > 0) {
      while (factor * 2 <= tmp) factor *= 2;
      out[n++] = offset + factor - 1;
      offset += 2 * factor;
      tmp -= factor;
      factor = 1;
    }
    return out;
  }
}
