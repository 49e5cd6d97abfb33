package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Appends blocks to a tree head in memory: each block becomes a leaf, and whenever the last two
 * roots are siblings they merge into their parent ({@code merkle-tree.js appendRoot}). The new
 * nodes ({@link #nodes()}) are what the append must store; {@link #commit} gives the new head.
 */
public final class MerkleTreeBatch {
  private final MerkleTree base;
  private final ArrayList<TreeNode> roots;
  private final ArrayList<TreeNode> nodes = new ArrayList<>();
  private long length;
  private final long fork;

  MerkleTreeBatch(MerkleTree base) {
    this.base = base;
    this.roots = new ArrayList<>(base.roots());
    this.length = base.length();
    this.fork = base.fork();
  }

  /** Appends one block (its stored bytes) and returns its leaf. */
  public TreeNode append(byte[] block) {
    TreeNode leaf = TreeNode.leaf(length, block);
    appendLeaf(leaf);
    return leaf;
  }

  /** Appends a leaf whose hash is already known (e.g. verified elsewhere). */
  public void appendLeaf(TreeNode leaf) {
    if (leaf.index() != 2 * length) throw org.maiaos.mesh.hypercore.CoreError.ASSERTION.error("leaf %d appended at length %d", leaf.index(), length);
    nodes.add(leaf);
    roots.add(leaf);
    length++;
    while (roots.size() > 1) {
      TreeNode a = roots.get(roots.size() - 2);
      TreeNode b = roots.get(roots.size() - 1);
      if (FlatTree.sibling(b.index()) != a.index()) break;
      TreeNode p = TreeNode.parent(a, b);
      roots.remove(roots.size() - 1);
      roots.set(roots.size() - 1, p);
      nodes.add(p);
    }
  }

  public MerkleTree base() {
    return base;
  }

  public long length() {
    return length;
  }

  public long fork() {
    return fork;
  }

  public List<TreeNode> roots() {
    return Collections.unmodifiableList(roots);
  }

  /** The nodes this batch created, in creation order. */
  public List<TreeNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The tree hash of the batch's head. */
  public byte[] hash() {
    return NodeHash.tree(roots);
  }

  /** The new head, carrying {@code signature}. */
  public MerkleTree commit(byte[] signature) {
    return new MerkleTree(new ArrayList<>(roots), length, fork, signature);
  }
}
