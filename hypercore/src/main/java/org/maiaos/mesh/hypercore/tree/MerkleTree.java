package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * An immutable head of a core's Merkle tree: its full roots, length, byte length, fork and the
 * signature of that head. Nodes below the roots live in storage and are reached via a
 * {@link NodeReader}; this object holds only O(log length) nodes.
 */
public final class MerkleTree {
  private final List<TreeNode> roots;
  private final long length;
  private final long byteLength;
  private final long fork;
  private final byte[] signature;
  private byte[] hash; // lazily computed, racy-single-check is fine: same value every time

  MerkleTree(List<TreeNode> roots, long length, long fork, byte[] signature) {
    this.roots = List.copyOf(roots);
    this.length = length;
    this.fork = fork;
    this.signature = signature == null ? null : signature.clone();
    long bytes = 0;
    for (TreeNode r : roots) bytes += r.size();
    this.byteLength = bytes;
  }

  /** The tree of a new, empty core. */
  public static MerkleTree empty() {
    return new MerkleTree(List.of(), 0, 0, null);
  }

  /** Loads the roots of a tree of {@code length} blocks from stored nodes. */
  public static MerkleTree open(NodeReader reader, long length, long fork, byte[] signature) {
    return new MerkleTree(rootsAt(reader, length, List.of()), length, fork, signature);
  }

  /** The roots of a tree of {@code length} blocks, taken from {@code known} first, else the reader. */
  static List<TreeNode> rootsAt(NodeReader reader, long length, List<TreeNode> known) {
    long[] indexes = FlatTree.fullRoots(2 * length);
    List<TreeNode> out = new ArrayList<>(indexes.length);
    for (long index : indexes) {
      TreeNode n = null;
      for (TreeNode k : known) {
        if (k.index() == index) n = k;
      }
      if (n == null) n = reader.node(index);
      if (n == null) throw CoreError.STORAGE_CORRUPT.error("tree root %d missing for length %d", index, length);
      out.add(n);
    }
    return out;
  }

  public List<TreeNode> roots() {
    return roots;
  }

  public long length() {
    return length;
  }

  public long byteLength() {
    return byteLength;
  }

  public long fork() {
    return fork;
  }

  /** The stored signature bytes of this head (null for an empty or unsigned tree). */
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** The tree hash, {@code tree(roots)}: what the signature covers. */
  public byte[] hash() {
    byte[] h = hash;
    if (h == null) hash = h = NodeHash.tree(roots);
    return h.clone();
  }

  /** A batch that appends to (or verifies an upgrade of) this head. */
  public MerkleTreeBatch batch() {
    return new MerkleTreeBatch(this);
  }

  /** The same head with another signature. */
  public MerkleTree withSignature(byte[] sig) {
    return new MerkleTree(roots, length, fork, sig);
  }

  /**
   * The head after truncating to {@code newLength} with fork {@code newFork}: roots are rebuilt from
   * stored nodes (all nodes below the new roots are unchanged). The signature is cleared.
   */
  public MerkleTree truncate(NodeReader reader, long newLength, long newFork) {
    if (newLength > length) throw CoreError.BAD_ARGUMENT.error("cannot truncate length %d to %d", length, newLength);
    return new MerkleTree(rootsAt(reader, newLength, roots), newLength, newFork, null);
  }

  /** The node at {@code index} if it is one of this head's roots, else from the reader. */
  public TreeNode node(NodeReader reader, long index) {
    for (TreeNode r : roots) {
      if (r.index() == index) return r;
    }
    return index < 2 * length ? reader.node(index) : null;
  }

  /**
   * How many levels above {@code index} (the node itself first) a requester lacks before reaching
   * a node it stores: the {@code nodes} field of a block or hash request (JS
   * {@code MerkleTree.missingNodes}). 0 when the node lies beyond this head.
   */
  public long missingNodes(NodeReader reader, long index) {
    long head = 2 * length;
    if (FlatTree.rightSpan(index) >= head) return 0;
    long count = 0;
    for (long i = index; !(FlatTree.leftSpan(i) <= head && head <= FlatTree.rightSpan(i)) && node(reader, i) == null; i = FlatTree.parent(i)) {
      if (++count >= 1024) throw CoreError.ASSERTION.error("missingNodes(%d) at length %d does not terminate", index, length);
    }
    return count;
  }

  /** The flat indexes of nodes that stop existing when truncating from {@code length} to {@code newLength}. */
  public static boolean spansPast(long index, long newLength) {
    return FlatTree.rightSpan(index) >= 2 * newLength;
  }

  @Override
  public String toString() {
    return "MerkleTree[length=" + length + ", fork=" + fork + ", roots=" + roots.size() + ", hash=" + Arrays.hashCode(hash()) + "]";
  }
}
