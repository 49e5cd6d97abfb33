package org.maiaos.mesh.hyperbee.iterate;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hyperbee.tree.Bytes;
import org.maiaos.mesh.hyperbee.tree.Limits;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;
import org.maiaos.mesh.hyperbee.tree.TreeNode;
import org.maiaos.mesh.hypercore.CoreError;

/** One side of a {@link DiffIterator}: diff.js's TreeIterator, an in-order walk of SubTree cursors. */
final class TreeWalk {
  private final TreeBatch batch;
  private final List<SubTree> stack = new ArrayList<>();
  private final byte[] lt;
  private final boolean lte;
  private final byte[] gt;
  private final boolean gte;
  private boolean seeking;

  TreeWalk(TreeBatch batch, byte[] gt, byte[] gte, byte[] lt, byte[] lte) {
    this.batch = batch;
    this.lt = lt != null ? lt : lte;
    this.lte = lte != null;
    this.gt = gt != null ? gt : gte;
    this.gte = gte != null;
    this.seeking = this.gt != null;
  }

  /** diff.js cmp: a missing key sorts after every key. */
  static int cmp(byte[] a, byte[] b) {
    if (a == null) return b != null ? 1 : 0;
    if (b == null) return -1;
    return Bytes.compare(a, b);
  }

  void open() {
    TreeNode node = batch.getRoot(false);
    if (node == null || node.keyCount() == 0) return;
    SubTree tree = new SubTree(node, null);
    if (seeking && !seek(tree)) return;
    push(tree);
  }

  private void push(SubTree t) {
    if (stack.size() >= Limits.MAX_DEPTH) {
      throw CoreError.DECODING_ERROR.error("tree deeper than %d levels (malformed or cyclic)", Limits.MAX_DEPTH);
    }
    stack.add(t);
  }

  private boolean seek(SubTree tree) {
    boolean done = tree.bisect(gt, gte);
    boolean oob = !tree.update();
    if (done || oob) {
      seeking = false;
      if (oob) return false;
    }
    return true;
  }

  SubTree peek() {
    return stack.isEmpty() ? null : stack.get(stack.size() - 1);
  }

  void skip() {
    if (stack.isEmpty()) return;
    if (!stack.get(stack.size() - 1).next()) stack.remove(stack.size() - 1);
  }

  /** The next key's block within the upper bound, or null (which also ends this side). */
  BlockEntry nextKey() {
    BlockEntry n = null;
    while (!stack.isEmpty() && n == null) n = next();
    if (n == null) return null;
    if (lt == null) return n;
    int c = cmp(n.key(), lt);
    if (lte ? c <= 0 : c < 0) return n;
    stack.clear();
    return null;
  }

  /** Advances one position: returns the key's block when on a key, else descends and returns null. */
  BlockEntry next() {
    if (stack.isEmpty()) return null;
    SubTree top = stack.get(stack.size() - 1);
    boolean isKey = top.isKey;
    int n = top.n;
    long seq = top.seq;
    if (!top.next()) stack.remove(stack.size() - 1);
    if (isKey) {
      seeking = false;
      return batch.pointed(seq);
    }
    TreeNode child = top.node.getChildNode(n);
    SubTree tree = new SubTree(child, top);
    if (seeking && !seek(tree)) return null;
    push(tree);
    return null;
  }
}
