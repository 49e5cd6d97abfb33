package org.maiaos.mesh.hypercore.tree;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * A Merkle tree node: its flat-tree index, the byte size of the blocks under it, and its hash.
 * Wire form ({@code messages.js} node): {@code uint index | uint size | fixed32 hash}.
 */
public record TreeNode(long index, long size, byte[] hash) {
  public TreeNode {
    if (index < 0 || size < 0) throw CoreError.BAD_ARGUMENT.error("node %d with size %d", index, size);
    if (hash == null || hash.length != 32) throw CoreError.BAD_ARGUMENT.error("node hash must be 32 bytes");
  }

  /** The leaf of block {@code blockIndex}: {@code data(block)} over the stored bytes. */
  public static TreeNode leaf(long blockIndex, byte[] block) {
    return new TreeNode(2 * blockIndex, block.length, NodeHash.data(block));
  }

  /** The parent of two sibling nodes (either order). */
  public static TreeNode parent(TreeNode a, TreeNode b) {
    TreeNode left = a.index < b.index ? a : b;
    TreeNode right = left == a ? b : a;
    return new TreeNode(FlatTree.parent(left.index), left.size + right.size, NodeHash.parent(left, right));
  }

  public static void preencode(State s, TreeNode n) {
    Uint.preencode(s, n.index);
    Uint.preencode(s, n.size);
    s.end += 32;
  }

  public static void encode(State s, TreeNode n) {
    Uint.encode(s, n.index);
    Uint.encode(s, n.size);
    Fixed.encode(s, n.hash, 32);
  }

  public static TreeNode decode(State s) {
    long index = Uint.decode(s);
    long size = Uint.decode(s);
    return new TreeNode(index, size, Fixed.decode(s, 32));
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** The hash without a copy; callers must not write to it. */
  byte[] hashRef() {
    return hash;
  }

  /** True when index, size and hash are all the same. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TreeNode n && n.index == index && n.size == size && Arrays.equals(n.hash, hash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return "TreeNode[" + index + ", size=" + size + ", " + HexFormat.of().formatHex(hash) + "]";
  }
}
