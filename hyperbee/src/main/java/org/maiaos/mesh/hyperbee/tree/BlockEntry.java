package org.maiaos.mesh.hyperbee.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * One block as seen by one {@link TreeBatch}: the immutable decoded block plus this batch's mutable
 * pointer lists (created on first use, one pair per level), which the batch's tree nodes share.
 */
public class BlockEntry {
  final long seq;
  final TreeBatch tree;
  final byte[] key;
  final byte[] value;
  private final NodeBlock node;
  // this batch's pointer lists, per level, made on first use: a walk visits one level of most blocks
  private List<Key>[] levelKeys;
  private List<Child>[] levelChildren;

  BlockEntry(long seq, TreeBatch tree, NodeBlock node, byte[] key, byte[] value) {
    this.seq = seq;
    this.tree = tree;
    this.node = node;
    this.key = key;
    this.value = value;
  }

  public long seq() {
    return seq;
  }

  /** The block's own key; not copied. */
  public byte[] key() {
    return key;
  }

  /** The block's own value or null; not copied. */
  public byte[] value() {
    return value;
  }

  /** True when this block is a committed block whose own key is {@code k} (get's shortcut). */
  public boolean isTarget(byte[] k) {
    return Arrays.equals(key, k);
  }

  /** index.js BlockEntry.isDeletion: no value and no key pointer at its own seq. */
  public boolean isDeletion() {
    if (value != null) return false;
    int n = levelCount();
    for (int o = 0; o < n; o++) {
      for (Key k : keys(o)) {
        if (k.seq == seq) return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private int levelCount() {
    if (levelKeys == null) {
      int n = node.index().levels().size();
      levelKeys = new List[n];
      levelChildren = new List[n];
    }
    return levelKeys.length;
  }

  private List<Key> keys(int o) {
    List<Key> ks = levelKeys[o];
    if (ks == null) {
      YoloIndex.Level l = node.index().levels().get(o);
      ks = new ArrayList<>(l.keyCount() + 1);
      for (long k : l.keys()) ks.add(new Key(k, null));
      List<Child> cs = new ArrayList<>(l.childCount() + 1);
      for (int i = 0; i < l.childCount(); i++) cs.add(new Child(l.childSeq(i), l.childOffset(i), null));
      levelKeys[o] = ks;
      levelChildren[o] = cs;
    }
    return ks;
  }

  /** The tree node at level {@code offset}; DECODING_ERROR if the block has no such level. */
  public TreeNode getTreeNode(long offset) {
    int n = levelCount();
    if (offset < 0 || offset >= n) {
      throw CoreError.DECODING_ERROR.error("block %d has no level %d (it has %d)", seq, offset, n);
    }
    int o = (int) offset;
    return new TreeNode(this, keys(o), levelChildren[o], o);
  }
}
