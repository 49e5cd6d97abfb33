package org.maiaos.mesh.hyperbee.tree;

import java.util.List;

/**
 * A block written by a batch but not flushed yet: its tree nodes are the live in-memory nodes of
 * its pending index, and it is never the target of get's shortcut (index.js BatchEntry).
 */
final class BatchEntry extends BlockEntry {
  final List<Child> pendingIndex;

  BatchEntry(long seq, TreeBatch tree, byte[] key, byte[] value, List<Child> pendingIndex) {
    super(seq, tree, null, key, value);
    this.pendingIndex = pendingIndex;
  }

  @Override
  public boolean isTarget(byte[] k) {
    return false;
  }

  @Override
  public boolean isDeletion() {
    if (value != null) return false;
    for (Child c : pendingIndex) {
      if (c == null) continue;
      for (Key k : c.value.keys) {
        if (k.seq == seq) return false;
      }
    }
    return true;
  }

  @Override
  public TreeNode getTreeNode(long offset) {
    return pendingIndex.get((int) offset).value;
  }
}
