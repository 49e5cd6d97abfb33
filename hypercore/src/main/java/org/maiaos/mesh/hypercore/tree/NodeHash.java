package org.maiaos.mesh.hypercore.tree;

import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.encoding.Fixed;

/**
 * The three hypercore-crypto tree hashes: {@code data} (leaf), {@code parent}, and {@code tree}
 * (the hash of the roots, signed as the core's tree hash). Each is one BLAKE2b call over a buffer
 * built in place.
 */
public final class NodeHash {
  private static final byte LEAF_TYPE = 0;
  private static final byte PARENT_TYPE = 1;
  private static final byte ROOT_TYPE = 2;

  private NodeHash() {}

  /** {@code B2b(0x00 || u64le(len) || block)}. */
  public static byte[] data(byte[] block) {
    byte[] in = new byte[9 + block.length];
    in[0] = LEAF_TYPE;
    Fixed.putUint64LE(in, 1, block.length);
    System.arraycopy(block, 0, in, 9, block.length);
    return Blake2b.hash(in);
  }

  /** {@code B2b(0x01 || u64le(l.size + r.size) || l.hash || r.hash)}, with l the lower index. */
  public static byte[] parent(TreeNode a, TreeNode b) {
    TreeNode l = a.index() < b.index() ? a : b;
    TreeNode r = l == a ? b : a;
    byte[] in = new byte[9 + 64];
    in[0] = PARENT_TYPE;
    Fixed.putUint64LE(in, 1, l.size() + r.size());
    System.arraycopy(l.hashRef(), 0, in, 9, 32);
    System.arraycopy(r.hashRef(), 0, in, 41, 32);
    return Blake2b.hash(in);
  }

  /** {@code B2b(0x02 || for each root: hash || u64le(index) || u64le(size))}. */
  public static byte[] tree(List<TreeNode> roots) {
    byte[] in = new byte[1 + 48 * roots.size()];
    in[0] = ROOT_TYPE;
    int i = 1;
    for (TreeNode r : roots) {
      System.arraycopy(r.hashRef(), 0, in, i, 32);
      Fixed.putUint64LE(in, i + 32, r.index());
      Fixed.putUint64LE(in, i + 40, r.size());
      i += 48;
    }
    return Blake2b.hash(in);
  }
}
