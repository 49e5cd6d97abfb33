package org.maiaos.mesh.hyperbee.iterate;

import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;

/**
 * The entries that differ between two versions, in key order, as iterators/diff.js: two in-order
 * walks run side by side, and any subtree or key both sides point at with the same (seq, offset) is
 * skipped without loading it. So a diff between nearby versions reads only the changed paths.
 */
public final class DiffIterator {
  private final TreeWalk left;
  private final TreeWalk right;
  private int limit;
  private boolean opened;

  /** One difference: the entry's block on the left (newer) side, the right side, or both. */
  public record Pair(BlockEntry left, BlockEntry right) {}

  /** Bounds are encoded keys or null; as in JS, lt/lte and gt/gte share one key each. */
  public DiffIterator(TreeBatch left, TreeBatch right, byte[] gt, byte[] gte, byte[] lt, byte[] lte, int limit) {
    this.left = new TreeWalk(left, gt, gte, lt, lte);
    this.right = new TreeWalk(right, gt, gte, lt, lte);
    this.limit = limit;
  }

  public Pair next() {
    if (!opened) {
      opened = true;
      left.open();
      right.open();
    }
    if (limit == 0) return null;
    Pair res = step();
    if (res == null || (res.left() == null && res.right() == null)) return null;
    limit--;
    return res;
  }

  private Pair step() {
    TreeWalk a = left;
    TreeWalk b = right;
    while (true) {
      SubTree l = a.peek();
      SubTree r = b.peek();
      if (l == null && r == null) return null;
      if (l == null) return new Pair(null, b.nextKey());
      if (r == null) return new Pair(a.nextKey(), null);

      if (l.seq == r.seq && l.isKey == r.isKey && l.offset == r.offset) {
        a.skip();
        b.skip();
        continue;
      }
      if (l.isKey && !r.isKey) {
        b.next();
        continue;
      }
      if (!l.isKey && r.isKey) {
        a.next();
        continue;
      }
      int c = l.compare(r);
      if (l.isKey) {
        if (c == 0) return new Pair(a.nextKey(), b.nextKey());
        if (c < 0) return new Pair(a.nextKey(), null);
        return new Pair(null, b.nextKey());
      }
      if (c == 0) {
        a.next();
        b.next();
      } else if (c < 0) {
        b.next();
      } else {
        a.next();
      }
    }
  }
}
