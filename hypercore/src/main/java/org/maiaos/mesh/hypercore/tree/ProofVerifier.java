package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.manifest.Prologue;
import org.maiaos.mesh.hypercore.manifest.Verifier;

/**
 * Checks a peer's {@link Data} against our head as JS hypercore 11.37.1 does ({@code merkle-tree.js
 * verifyTree}, {@code verifyUpgrade}, {@code MerkleTree.verify}; {@code core.js verify}): fold the
 * seek and block/hash proofs into a root, grow our roots with the upgrade and additional nodes, then
 * either verify the signature over the grown tree or match the folded root against a node we trust.
 *
 * <p>Every way a proof can be wrong ends in {@code INVALID_PROOF} (structure, node order, hash
 * mismatch, fork mismatch; JS raises some of these as INVALID_OPERATION or INVALID_CHECKSUM) or
 * {@code INVALID_SIGNATURE}. Exceptions from the caller's {@link NodeReader} pass through unchanged:
 * a local storage failure is not the peer's fault.
 *
 * <p>Not checked here, as in JS: the manifest carried in {@code data} (a caller without a manifest
 * checks it against the core key and builds {@code verifier} from it first), and whether the data
 * answers the caller's request (its id, block/hash index, seek offset: JS {@code _matchingRequest}).
 *
 * <p>Where we differ from JS: the data's fork must equal our head's unless our tree is empty (JS
 * ignores other-fork data in {@code verify} and handles a newer fork as a reorg, which for an empty
 * tree comes down to this same check; a non-empty tree follows a newer fork through
 * {@link ReorgBatch}, not here); an upgrade
 * whose end passes 2^53-1 blocks is refused; an upgrade that leaves the tree no longer than ours
 * but with other roots (a conflicting head) is refused, where JS would check its signature; and a
 * grow step whose target root does not cover our last root is refused at once instead of
 * consuming nodes until they run out.
 */
public final class ProofVerifier {
  private final MerkleTree head;
  private final NodeReader reader;
  private final Data data;
  /** The block's leaf when the caller hashed it already ({@link HashedData}), else null. */
  private final TreeNode leaf;
  private final List<TreeNode> proven = new ArrayList<>();
  private final Map<Long, TreeNode> provenByIndex = new HashMap<>();

  // the upgrade batch: our roots grown by the proof
  private final ArrayList<TreeNode> roots;
  private long length;
  private boolean upgraded;

  private ProofVerifier(MerkleTree head, NodeReader reader, Data data, TreeNode leaf) {
    this.head = head;
    this.reader = reader;
    this.data = data;
    this.leaf = leaf;
    this.roots = new ArrayList<>(head.roots());
    this.length = head.length();
  }

  /**
   * Verifies {@code data} against {@code head}.
   *
   * @param head our current head
   * @param nodes the nodes we store (the head's roots are looked up in the head first)
   * @param verifier checks the signature of an upgraded head
   * @param data the peer's proof
   * @return the block, the proven nodes and the new head (null without a longer tree)
   */
  public static VerifiedProof verify(MerkleTree head, NodeReader nodes, Verifier verifier, Data data) {
    if (data == null) throw CoreError.BAD_ARGUMENT.error("head, nodes, verifier and data are required");
    return verify(head, nodes, verifier, data, null);
  }

  /** {@link #verify(MerkleTree, NodeReader, Verifier, Data)} of a message whose block's leaf is hashed already. */
  public static VerifiedProof verify(MerkleTree head, NodeReader nodes, Verifier verifier, HashedData data) {
    if (data == null) throw CoreError.BAD_ARGUMENT.error("head, nodes, verifier and data are required");
    return verify(head, nodes, verifier, data.data(), data.leaf());
  }

  private static VerifiedProof verify(MerkleTree head, NodeReader nodes, Verifier verifier, Data data, TreeNode leaf) {
    if (head == null || nodes == null || verifier == null || data == null) {
      throw CoreError.BAD_ARGUMENT.error("head, nodes, verifier and data are required");
    }
    try {
      return new ProofVerifier(head, nodes, data, leaf).run(verifier);
    } catch (ArithmeticException e) {
      // indexes or sizes driven past any real tree by the proof
      throw CoreError.INVALID_PROOF.error(e, "proof out of range: %s", e.getMessage());
    }
  }

  private VerifiedProof run(Verifier verifier) {
    if (data.fork() != head.fork() && head.length() > 0) {
      // an empty tree has nothing to conflict with: JS takes such a proof as a reorg from nothing
      throw CoreError.INVALID_PROOF.error("proof for fork %d, our fork is %d", data.fork(), head.fork());
    }
    TreeNode root = verifyTree();
    boolean rootConsumed = false;
    DataUpgrade up = data.upgrade();
    if (up != null) rootConsumed = verifyUpgrade(up, root, verifier.manifest().prologue());

    if (root != null && !rootConsumed) {
      // MerkleTree.verify: the folded root must be a node we already trust
      TreeNode trusted = head.node(reader, root.index());
      if (trusted == null) throw CoreError.INVALID_PROOF.error("Expected tree node %d from storage, got (nil)", root.index());
      if (trusted.size() != root.size() || !Arrays.equals(trusted.hashRef(), root.hashRef())) {
        throw CoreError.INVALID_PROOF.error("Invalid checksum at node %d", root.index());
      }
    }

    MerkleTree newHead = null;
    if (upgraded) {
      if (length <= head.length()) {
        // no longer than ours: only acceptable as the same tree (JS downgrade())
        for (TreeNode r : roots) {
          TreeNode ours = head.node(reader, r.index());
          if (ours == null || !Arrays.equals(ours.hashRef(), r.hashRef())) {
            throw CoreError.INVALID_PROOF.error("upgrade to length %d conflicts with our tree at node %d", length, r.index());
          }
        }
      } else {
        byte[] signature = up.signature();
        byte[] treeHash = NodeHash.tree(roots);
        if (!signatureValid(verifier, treeHash, signature)) {
          throw CoreError.INVALID_SIGNATURE.error("Proof contains an invalid signature (length %d, fork %d)", length, data.fork());
        }
        newHead = new MerkleTree(roots, length, data.fork(), signature);
      }
    }

    VerifiedProof.Block block = data.block() == null ? null : new VerifiedProof.Block(data.block().index(), data.block().value());
    return new VerifiedProof(block, proven, newHead);
  }

  private boolean signatureValid(Verifier verifier, byte[] treeHash, byte[] signature) {
    try {
      return verifier.verify(treeHash, length, data.fork(), signature);
    } catch (RuntimeException e) {
      // a signature so malformed that the verifier chokes on it is still just a bad signature
      return false;
    }
  }

  /** Remembers a node the proof established; one index may not be proven with two values. */
  private void prove(TreeNode n) {
    TreeNode seen = provenByIndex.putIfAbsent(n.index(), n);
    if (seen == null) {
      proven.add(n);
    } else if (!seen.equals(n)) {
      throw CoreError.INVALID_PROOF.error("node %d proven twice with different values", n.index());
    }
  }

  private static TreeNode parent(long index, TreeNode a, TreeNode b) {
    return new TreeNode(index, Math.addExact(a.size(), b.size()), NodeHash.parent(a, b));
  }

  /** verifyTree: folds the seek proof, then the block/hash proof (which may absorb the seek root). */
  private TreeNode verifyTree() {
    long index;
    byte[] value = null;
    List<TreeNode> nodes;
    if (data.block() != null) {
      index = Math.multiplyExact(2, data.block().index());
      if (leaf == null) value = data.block().value();
      nodes = data.block().nodes();
    } else if (data.hash() != null) {
      index = data.hash().index();
      nodes = data.hash().nodes();
    } else {
      index = -1;
      nodes = null;
    }

    TreeNode root = null;
    if (data.seek() != null && !data.seek().nodes().isEmpty()) {
      List<TreeNode> seekNodes = data.seek().nodes();
      FlatIterator ite = new FlatIterator(seekNodes.get(0).index());
      NodeQueue q = new NodeQueue(seekNodes, null);
      root = q.shift(ite.index);
      prove(root);
      while (q.length > 0) {
        TreeNode sibling = q.shift(ite.sibling());
        root = parent(ite.parent(), root, sibling);
        prove(sibling);
        prove(root);
      }
    }
    if (nodes == null) return root;

    FlatIterator ite = new FlatIterator(index);
    NodeQueue q = new NodeQueue(nodes, root);
    root = leaf != null ? leaf : value != null ? TreeNode.leaf(index / 2, value) : q.shift(ite.index);
    prove(root);
    while (q.length > 0) {
      TreeNode sibling = q.shift(ite.sibling());
      root = parent(ite.parent(), root, sibling);
      prove(sibling);
      prove(root);
    }
    return root;
  }

  /**
   * verifyUpgrade: grows our roots to the full roots of {@code start + length}, then by the
   * additional nodes. Returns whether the block/seek root was used as one of the upgrade nodes.
   */
  private boolean verifyUpgrade(DataUpgrade up, TreeNode blockRoot, Prologue prologue) {
    long start = up.start();
    long len = up.length();
    if (len > Uint.MAX_SAFE - start) throw CoreError.INVALID_PROOF.error("upgrade end %d + %d out of range", start, len);
    if (prologue != null && start < prologue.length() && (start != 0 || len < prologue.length())) {
      throw CoreError.INVALID_PROOF.error("Upgrade does not satisfy prologue");
    }

    NodeQueue q = new NodeQueue(up.nodes(), blockRoot);
    boolean grow = !roots.isEmpty();
    int i = 0;
    long to = 2 * (start + len);
    FlatIterator ite = new FlatIterator(0);
    for (; ite.fullRoot(to); ite.nextTree()) {
      if (i < roots.size() && roots.get(i).index() == ite.index) {
        i++;
        continue;
      }
      if (grow) {
        grow = false;
        long target = ite.index;
        if (i < roots.size()) {
          long last = roots.get(roots.size() - 1).index();
          if (!ite.contains(last)) {
            throw CoreError.INVALID_PROOF.error("upgrade root %d does not cover our last root %d", target, last);
          }
          ite.seek(last);
          while (ite.index != target) appendRoot(q.shift(ite.sibling()), ite);
          continue;
        }
      }
      appendRoot(q.shift(ite.index), ite);
    }

    if (prologue != null && length == prologue.length()) {
      if (!Arrays.equals(NodeHash.tree(roots), prologue.hash().toByteArray())) {
        throw CoreError.INVALID_PROOF.error("Invalid hash");
      }
    }

    List<TreeNode> extra = up.additionalNodes();
    // JS dereferences the last root here and fails on an empty tree; so do we, explicitly
    if (roots.isEmpty()) throw CoreError.INVALID_PROOF.error("upgrade to an empty tree");
    ite.seek(roots.get(roots.size() - 1).index());
    int k = 0;
    // first the siblings that keep growing our last root, then new roots found by descending left
    while (k < extra.size() && extra.get(k).index() == ite.sibling()) appendRoot(extra.get(k++), ite);
    while (k < extra.size()) {
      TreeNode n = extra.get(k++);
      while (n.index() != ite.index) {
        if (ite.factor == 2) throw CoreError.INVALID_PROOF.error("Unexpected node: %d", n.index());
        ite.leftChild();
      }
      appendRoot(n, ite);
      ite.sibling();
    }
    return q.extra == null;
  }

  /** MerkleTreeBatch.appendRoot: push a root covering {@code ite}'s span and merge sibling roots. */
  private void appendRoot(TreeNode n, FlatIterator ite) {
    upgraded = true;
    length = Math.addExact(length, ite.factor / 2);
    roots.add(n);
    prove(n);
    while (roots.size() > 1) {
      TreeNode a = roots.get(roots.size() - 1);
      TreeNode b = roots.get(roots.size() - 2);
      if (ite.sibling() != b.index()) {
        ite.sibling(); // step back onto the last root
        break;
      }
      TreeNode p = parent(ite.parent(), a, b);
      prove(p);
      roots.remove(roots.size() - 1);
      roots.set(roots.size() - 1, p);
    }
  }

  /** The proof nodes in order, plus at most one node (the block/seek root) that may stand in for any. */
  private static final class NodeQueue {
    private final List<TreeNode> nodes;
    private int next;
    TreeNode extra;
    int length;

    NodeQueue(List<TreeNode> nodes, TreeNode extra) {
      this.nodes = nodes;
      this.extra = extra;
      this.length = nodes.size() + (extra == null ? 0 : 1);
    }

    TreeNode shift(long index) {
      if (extra != null && extra.index() == index) {
        TreeNode n = extra;
        extra = null;
        length--;
        return n;
      }
      if (next >= nodes.size()) throw CoreError.INVALID_PROOF.error("Expected node %d, got (nil)", index);
      TreeNode n = nodes.get(next++);
      if (n.index() != index) throw CoreError.INVALID_PROOF.error("Expected node %d, got node %d", index, n.index());
      length--;
      return n;
    }
  }
}
