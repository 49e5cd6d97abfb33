package org.maiaos.mesh.hyperbee.tree;

/**
 * A child pointer inside a tree node: level {@code offset} of block {@code seq}, and the node once
 * loaded. Mutable and shared by identity: a write rewrites {@code seq}/{@code offset} of the child
 * pointers of the nodes it changed (indexChanges), and batch trimming renumbers offsets through the
 * same objects, as hyperbee's {@code Child} objects are.
 */
final class Child {
  long seq;
  long offset;
  TreeNode value;

  Child(long seq, long offset, TreeNode value) {
    this.seq = seq;
    this.offset = offset;
    this.value = value;
  }
}
