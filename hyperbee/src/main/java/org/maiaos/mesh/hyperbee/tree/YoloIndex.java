package org.maiaos.mesh.hyperbee.tree;

import java.util.Arrays;
import java.util.List;

/**
 * The decoded {@code index} of a Node block: one {@link Level} per tree node stored in the block, in
 * slot order. Slot 0 is the tree's root for the version that ends at this block (except in the
 * non-final blocks of a batch, see {@code TreeBatch.toBlocks}).
 */
public record YoloIndex(List<Level> levels) {
  public YoloIndex {
    levels = List.copyOf(levels);
  }

  /**
   * One tree node: its key pointers (block seqs) and its child pointers, flattened as
   * {@code seq, offset} pairs exactly as the protobuf field holds them.
   */
  public record Level(long[] keys, long[] children) {
    public Level {
      keys = keys.clone();
      children = children.clone();
    }

    public int keyCount() {
      return keys.length;
    }

    public int childCount() {
      return children.length / 2;
    }

    public long key(int i) {
      return keys[i];
    }

    public long childSeq(int i) {
      return children[2 * i];
    }

    public long childOffset(int i) {
      return children[2 * i + 1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Level l && Arrays.equals(keys, l.keys) && Arrays.equals(children, l.children);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(keys) + Arrays.hashCode(children);
    }

    @Override
    public String toString() {
      return "Level[keys=" + Arrays.toString(keys) + ", children=" + Arrays.toString(children) + "]";
    }
  }
}
