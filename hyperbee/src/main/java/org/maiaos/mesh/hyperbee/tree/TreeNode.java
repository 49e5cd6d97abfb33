package org.maiaos.mesh.hyperbee.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * One node of the B-tree: level {@code offset} of block {@code block}, with its key and child
 * pointers. Keys and children load lazily through the block's batch. The lists are shared with the
 * block's decoded pointers, and writes mutate them in place, flagging {@code changed} nodes so that
 * the next block's index holds exactly the nodes hyperbee's index.js would write.
 */
public final class TreeNode {
  BlockEntry block;
  final int offset;
  final List<Key> keys;
  final List<Child> children;
  boolean changed;

  TreeNode(BlockEntry block, List<Key> keys, List<Child> children, int offset) {
    this.block = block;
    this.keys = keys;
    this.children = children;
    this.offset = offset;
  }

  static TreeNode create(BlockEntry block) {
    TreeNode n = new TreeNode(block, new ArrayList<>(), new ArrayList<>(), 0);
    n.changed = true;
    return n;
  }

  public BlockEntry block() {
    return block;
  }

  public int offset() {
    return offset;
  }

  public int keyCount() {
    return keys.size();
  }

  public int childCount() {
    return children.size();
  }

  public long keySeq(int i) {
    return keys.get(i).seq;
  }

  public long childSeq(int i) {
    return children.get(i).seq;
  }

  public long childOffset(int i) {
    return children.get(i).offset;
  }

  /** The key bytes of key {@code i}, loading its block if needed. */
  public byte[] getKey(int i) {
    Key k = keys.get(i);
    if (k.value != null) return k.value;
    byte[] v = block != null && k.seq == block.seq ? block.key : block.tree.getKey(k.seq);
    k.value = v;
    return v;
  }

  /** The block that key {@code i} names (its value lives there). */
  public BlockEntry getKeyNode(int i) {
    return block.tree.pointed(keys.get(i).seq);
  }

  /** Child {@code i}, loading its block if needed. */
  public TreeNode getChildNode(int i) {
    Child c = children.get(i);
    if (c.value != null) return c.value;
    BlockEntry b = c.seq == block.seq ? block : block.tree.pointed(c.seq);
    c.value = b.getTreeNode(c.offset);
    return c.value;
  }

  /** Drops the loaded child {@code i} so a long scan does not keep the whole tree in memory. */
  public void unlinkChild(int i) {
    children.get(i).value = null;
  }

  /**
   * index.js TreeNode.insertKey: binary search; an equal key is replaced (unless the cas check or
   * the alwaysDuplicate=false check declines), else inserted with its right child. Returns false when
   * the node now has MAX_CHILDREN keys and must split.
   */
  boolean insertKey(Key key, byte[] value, TreeNode child, WriteCheck check) {
    int s = 0;
    int e = keys.size();
    int c = 0;
    while (s < e) {
      int mid = (s + e) >>> 1;
      c = Bytes.compare(key.value, getKey(mid));
      if (c == 0) {
        if (check != null && !check.accept(this, mid)) return true;
        changed = true;
        keys.set(mid, key);
        return true;
      }
      if (c < 0) e = mid;
      else s = mid + 1;
    }
    int i = c < 0 ? e : s;
    keys.add(i, key);
    if (child != null) children.add(i + 1, new Child(0, 0, child));
    changed = true;
    return keys.size() < Limits.MAX_CHILDREN;
  }

  void removeKey(int index) {
    keys.remove(index);
    if (!children.isEmpty()) {
      children.get(index + 1).seq = 0; // freed: batch trimming must not keep it
      children.remove(index + 1);
    }
    changed = true;
  }

  void merge(TreeNode node, Key median) {
    changed = true;
    keys.add(median);
    keys.addAll(node.keys);
    children.addAll(node.children);
  }

  /** Splits off the upper half; returns the median key, this node keeps the lower half. */
  Key split(TreeNode[] rightOut) {
    int len = keys.size() >> 1;
    TreeNode right = create(block);
    while (right.keys.size() < len) right.keys.add(keys.remove(keys.size() - 1));
    Collections.reverse(right.keys);
    getKey(keys.size() - 1); // the median moves up, so its bytes must be loaded
    Key median = keys.remove(keys.size() - 1);
    if (!children.isEmpty()) {
      while (right.children.size() < len + 1) right.children.add(children.remove(children.size() - 1));
      Collections.reverse(right.children);
    }
    changed = true;
    rightOut[0] = right;
    return median;
  }

  /** The left and right siblings of this node under {@code parent}, and its child index there. */
  Siblings siblings(TreeNode parent) {
    for (int i = 0; i < parent.children.size(); i++) {
      if (parent.children.get(i).value == this) {
        TreeNode left = i > 0 ? parent.getChildNode(i - 1) : null;
        TreeNode right = i < parent.children.size() - 1 ? parent.getChildNode(i + 1) : null;
        return new Siblings(left, i, right);
      }
    }
    throw CoreError.ASSERTION.error("node is not a child of its parent");
  }

  record Siblings(TreeNode left, int index, TreeNode right) {}

  /**
   * Pre-order over the changed nodes: reserve this node's slot, then give each changed child the
   * next slots and point its child pointer at {@code (seq, slot)}. Returns this node's slot.
   */
  int indexChanges(List<Child> index, long seq, int depth) {
    if (depth > Limits.MAX_DEPTH) throw CoreError.DECODING_ERROR.error("tree deeper than %d levels", Limits.MAX_DEPTH);
    int slot = index.size();
    index.add(null);
    changed = false;
    for (Child child : children) {
      if (child.value == null || !child.value.changed) continue;
      child.seq = seq;
      child.offset = child.value.indexChanges(index, seq, depth + 1);
      index.set((int) child.offset, child);
    }
    return slot;
  }

  /** After a batch op, the nodes it wrote now live in the pending block {@code block}. */
  void updateChildren(long seq, BlockEntry newBlock) {
    for (Child child : children) {
      if (child.value == null || child.seq != seq) continue;
      child.value.block = newBlock;
      child.value.updateChildren(seq, newBlock);
    }
  }

  /** Decides whether an equal key is replaced; {@code i} is the key's index in {@code node}. */
  interface WriteCheck {
    boolean accept(TreeNode node, int i);
  }
}
