package org.maiaos.mesh.hyperbee.iterate;

import org.maiaos.mesh.hyperbee.tree.TreeNode;

/**
 * A cursor over one node for {@link TreeWalk}: position {@code i} alternates child, key, child...
 * ({@code n = i/2}); a leaf only visits keys. {@code seq}/{@code offset} name what the cursor is on
 * (a key's block, or a child's level), which is what the diff compares to skip shared subtrees.
 */
final class SubTree {
  final TreeNode node;
  final SubTree parent;
  boolean isKey;
  int i;
  int n;
  long seq;
  long offset;

  SubTree(TreeNode node, SubTree parent) {
    this.node = node;
    this.parent = parent;
    this.isKey = node.childCount() == 0;
    this.i = isKey ? 1 : 0;
    if (!isKey) {
      seq = node.childSeq(0);
      offset = node.childOffset(0);
    } else {
      seq = node.keyCount() > 0 ? node.keySeq(0) : -1;
      offset = 0;
    }
  }

  boolean next() {
    i++;
    isKey = (i & 1) == 1;
    if (!isKey && node.childCount() == 0) i++;
    return update();
  }

  /** Positions on {@code key} (or just past it); true when the seek is finished at this node. */
  boolean bisect(byte[] key, boolean incl) {
    int s = 0;
    int e = node.keyCount();
    int c = 0;
    boolean leaf = node.childCount() == 0;
    while (s < e) {
      int mid = (s + e) >>> 1;
      c = TreeWalk.cmp(key, node.getKey(mid));
      if (c == 0) {
        i = incl ? mid * 2 + 1 : mid * 2 + (leaf ? 3 : 2);
        return true;
      }
      if (c < 0) e = mid;
      else s = mid + 1;
    }
    int at = c < 0 ? e : s;
    i = 2 * at + (leaf ? 1 : 0);
    return leaf;
  }

  boolean update() {
    isKey = (i & 1) == 1;
    n = i >> 1;
    if (n >= (isKey ? node.keyCount() : node.childCount())) return false;
    if (isKey) {
      seq = node.keySeq(n);
      offset = 0;
    } else {
      seq = node.childSeq(n);
      offset = node.childOffset(n);
    }
    return true;
  }

  /** The key at the cursor, or for a child the key after it (the parent's, past the last child). */
  byte[] key() {
    if (n < node.keyCount()) return node.getKey(n);
    return parent == null ? null : parent.key();
  }

  int compare(SubTree other) {
    return TreeWalk.cmp(key(), other.key());
  }

}
