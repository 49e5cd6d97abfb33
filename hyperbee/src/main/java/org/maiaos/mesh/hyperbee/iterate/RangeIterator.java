package org.maiaos.mesh.hyperbee.iterate;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hyperbee.tree.Bytes;
import org.maiaos.mesh.hyperbee.tree.Limits;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;
import org.maiaos.mesh.hyperbee.tree.TreeNode;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * An in-order walk over the encoded keys between two bounds, forwards or in reverse, as
 * hyperbee's iterators/range.js: a stack of (node, i) where an even {@code i} is child {@code i/2}
 * and an odd {@code i} key {@code (i-1)/2}. Opening seeks to the start bound by binary search on each
 * level; the end bound is checked against each entry's block key. Loaded children are unlinked
 * behind the walk, so a full scan holds only the current path.
 */
public final class RangeIterator {
  private final TreeBatch batch;
  private final List<Frame> stack = new ArrayList<>();
  private final boolean gIncl;
  private final byte[] gKey;
  private final boolean lIncl;
  private final byte[] lKey;
  private final boolean reverse;
  private int limit;
  private boolean opened;

  private static final class Frame {
    final TreeNode node;
    int i;

    Frame(TreeNode node, int i) {
      this.node = node;
      this.i = i;
    }
  }

  /** Bounds are encoded keys or null; gt wins over gte and lt over lte when both are given, as in JS. */
  public RangeIterator(TreeBatch batch, byte[] gt, byte[] gte, byte[] lt, byte[] lte, boolean reverse, int limit) {
    this.batch = batch;
    this.gIncl = gt == null;
    this.gKey = gt != null ? gt : gte;
    this.lIncl = lt == null;
    this.lKey = lt != null ? lt : lte;
    this.reverse = reverse;
    this.limit = limit;
  }

  private void push(Frame f) {
    if (stack.size() >= Limits.MAX_DEPTH) {
      throw CoreError.DECODING_ERROR.error("tree deeper than %d levels (malformed or cyclic)", Limits.MAX_DEPTH);
    }
    stack.add(f);
  }

  private void open() {
    opened = true;
    TreeNode node = batch.getRoot(false);
    if (node == null) return;
    boolean incl = reverse ? lIncl : gIncl;
    byte[] start = reverse ? lKey : gKey;
    if (start == null) {
      push(new Frame(node, reverse ? node.keyCount() << 1 : 0));
      return;
    }
    for (int depth = 0; ; depth++) {
      if (depth > Limits.MAX_DEPTH) {
        throw CoreError.DECODING_ERROR.error("tree deeper than %d levels (malformed or cyclic)", Limits.MAX_DEPTH);
      }
      Frame entry = new Frame(node, reverse ? node.keyCount() << 1 : 0);
      int s = 0;
      int e = node.keyCount();
      int c = 0;
      while (s < e) {
        int mid = (s + e) >>> 1;
        c = Bytes.compare(start, node.getKey(mid));
        if (c == 0) {
          entry.i = incl ? mid * 2 + 1 : mid * 2 + (reverse ? 0 : 2);
          push(entry);
          return;
        }
        if (c < 0) e = mid;
        else s = mid + 1;
      }
      int i = c < 0 ? e : s;
      entry.i = 2 * i + (reverse ? -1 : 1);
      if (entry.i >= 0 && entry.i <= node.keyCount() << 1) push(entry);
      if (node.childCount() == 0) return;
      node = node.getChildNode(i);
    }
  }

  /** The next entry's block, or null when the range is exhausted. */
  public BlockEntry next() {
    if (!opened) open();
    byte[] end = reverse ? gKey : lKey;
    boolean incl = reverse ? gIncl : lIncl;
    while (!stack.isEmpty() && (limit == -1 || limit > 0)) {
      Frame top = stack.get(stack.size() - 1);
      boolean isKey = (top.i & 1) == 1;
      int n;
      if (reverse) {
        n = top.i < 0 ? top.node.keyCount() : top.i-- >> 1;
      } else {
        n = top.i++ >> 1;
      }
      if (!isKey) {
        if (top.node.childCount() == 0) continue;
        TreeNode node = top.node.getChildNode(n);
        top.node.unlinkChild(n);
        push(new Frame(node, reverse ? node.keyCount() << 1 : 0));
        continue;
      }
      if (n >= top.node.keyCount()) {
        stack.remove(stack.size() - 1);
        continue;
      }
      BlockEntry block = batch.pointed(top.node.keySeq(n));
      if (end != null) {
        int c = Bytes.compare(block.key(), end);
        if (c == 0 ? !incl : reverse ? c < 0 : c > 0) {
          limit = 0;
          break;
        }
      }
      if (limit > 0) limit--;
      return block;
    }
    return null;
  }
}
