package org.maiaos.mesh.hypercore.tree;

/**
 * A cursor over flat-tree indexes, the same moves as flat-tree's {@code Iterator} (seek, sibling,
 * parent, children, nextTree, fullRoot), which the proof code walks node by node.
 *
 * <p>{@code factor} is twice the number of leaves under the current node. Proof code climbs as far
 * as a peer's request or proof says, so every move that makes the cursor larger checks it stays
 * below {@link #MAX_FACTOR}: far past any real tree (lengths are below 2^53) but far from a long
 * overflow. Past it the move throws {@link ArithmeticException}; callers map that to their error.
 */
final class FlatIterator {
  /** 2^60: a node over 2^59 leaves, more than any core can hold. */
  static final long MAX_FACTOR = 1L << 60;

  long index;
  long offset;
  long factor;

  FlatIterator(long index) {
    seek(index);
  }

  void seek(long i) {
    if (i < 0 || i >= MAX_FACTOR) throw new ArithmeticException("flat index out of range: " + i);
    index = i;
    if ((i & 1) != 0) {
      int depth = FlatTree.depth(i);
      offset = FlatTree.offset(i, depth);
      factor = 2L << depth;
    } else {
      offset = i >>> 1;
      factor = 2;
    }
  }

  boolean isLeft() {
    return (offset & 1) == 0;
  }

  /** True when {@code i} lies in the span of the current node (the node included). */
  boolean contains(long i) {
    if (i > index) return i < index + factor / 2;
    if (i < index) return i > index - factor / 2;
    return true;
  }

  /** Leaves under the current node. */
  long countLeaves() {
    return factor / 2;
  }

  long sibling() {
    if (isLeft()) {
      offset++;
      index += factor;
      checkRange();
    } else if (offset != 0) {
      offset--;
      index -= factor;
    }
    return index;
  }

  long parent() {
    if ((offset & 1) != 0) {
      index -= factor / 2;
      offset = (offset - 1) / 2;
    } else {
      index += factor / 2;
      offset /= 2;
    }
    factor *= 2;
    checkRange();
    return index;
  }

  long leftChild() {
    if (factor == 2) return index;
    factor /= 2;
    index -= factor / 2;
    offset *= 2;
    return index;
  }

  /** The rightmost leaf of the current node, without moving. */
  long peekRightSpan() {
    return index + factor / 2 - 1;
  }

  /** Moves to the leaf right after the current node's span (flat-tree {@code nextTree}). */
  long nextTree() {
    index = index + factor / 2 + 1;
    offset = index / 2;
    factor = 2;
    checkRange();
    return index;
  }

  /**
   * flat-tree {@code fullRoot}: from a leaf, grows to the largest node that starts here and fits
   * below {@code head}; false once the cursor is past {@code head} or not on a leaf.
   */
  boolean fullRoot(long head) {
    if (head <= index || (index & 1) != 0) return false;
    while (head > index + factor + factor / 2) {
      index += factor / 2;
      factor *= 2;
      offset /= 2;
      checkRange();
    }
    return true;
  }

  private void checkRange() {
    if (factor > MAX_FACTOR || index >= MAX_FACTOR || index < 0) {
      throw new ArithmeticException("flat-tree walk out of range at index " + index);
    }
  }
}
