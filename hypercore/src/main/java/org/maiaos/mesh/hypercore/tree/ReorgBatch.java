package org.maiaos.mesh.hypercore.tree;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.manifest.Verifier;

/**
 * Following a writer onto a newer fork (a reorg), as JS hypercore 11 does it ({@code merkle-tree.js
 * ReorgBatch} and {@code MerkleTree.reorg}, {@code core.js verifyReorg}, driven by
 * {@code replicator.js _onreorgdata}): the new fork's head is verified from nothing (an upgrade
 * from length 0, its signature over the new fork), then the common ancestor of the new tree and
 * ours is found by walking down from the first new root that differs from the node we store at that
 * index, asking the peer for more nodes of the new tree where we need them.
 *
 * <p>The walk: the highest node known to differ ({@link #diff}) spans some blocks; everything left of
 * it is shared. While it is not a leaf and its span starts inside our tree, the peer is asked for a
 * hash proof of the first block of that span reaching up to it ({@link #wantStart},
 * {@link #wantNodes}); the proof gives both children of every node on the way. Going down, a left
 * child that differs from ours (or that we do not store, so cannot compare) becomes the new
 * difference; one that matches sends the walk right. The walk ends at a leaf or at a span that
 * starts at or past our length. The ancestor length ({@link #ancestors}) is where the difference
 * starts: blocks before it are the same on both forks; a replica that lacks some of our nodes
 * (sparse) ends lower than it could, never higher.
 *
 * <p>Nothing here writes: the core applies a finished batch in one commit (truncation to the
 * ancestor, the new nodes, the new head). Not thread-safe; one replicator drives it.
 */
public final class ReorgBatch {
  private final MerkleTree base;
  private final NodeReader stored;
  private final Verifier verifier;
  private final MerkleTree head;
  private final Map<Long, TreeNode> nodes = new LinkedHashMap<>();
  private TreeNode diff;
  private long ancestors;
  private boolean finished;

  private ReorgBatch(MerkleTree base, NodeReader stored, Verifier verifier, MerkleTree head) {
    this.base = base;
    this.stored = stored;
    this.verifier = verifier;
    this.head = head;
  }

  /**
   * Verifies {@code data}, a peer's answer to an upgrade request from 0 on its newer fork, against
   * our head {@code base}; nothing is stored. INVALID_PROOF if it is not a newer fork or not such an
   * upgrade, or does not verify; INVALID_SIGNATURE if its head is not signed by the core's signer.
   *
   * @param base our current head
   * @param stored the nodes we store (of {@code base}'s tree)
   * @param verifier the core's signature verifier
   * @param data the fork proof
   */
  public static ReorgBatch verify(MerkleTree base, NodeReader stored, Verifier verifier, Data data) {
    if (base == null || stored == null || verifier == null || data == null) {
      throw CoreError.BAD_ARGUMENT.error("base, stored, verifier and data are required");
    }
    if (data.fork() <= base.fork()) {
      throw CoreError.INVALID_PROOF.error("fork %d is not newer than our fork %d", data.fork(), base.fork());
    }
    DataUpgrade up = data.upgrade();
    if (up == null || up.start() != 0 || data.block() != null || data.hash() != null || data.seek() != null) {
      throw CoreError.INVALID_PROOF.error("a fork proof is an upgrade from 0 and nothing else");
    }
    // from nothing: an empty tree takes any fork, so this is the check an empty replica makes
    VerifiedProof v = ProofVerifier.verify(MerkleTree.empty(), index -> null, verifier, data);
    if (v.head() == null) throw CoreError.INVALID_PROOF.error("fork proof without a head");
    ReorgBatch b = new ReorgBatch(base, stored, verifier, v.head());
    for (TreeNode n : v.nodes()) b.nodes.put(n.index(), n);
    for (TreeNode root : v.head().roots()) {
      if (b.same(root)) continue;
      b.differsAt(root);
      return b;
    }
    // every new root is a node of ours: the new tree is a prefix of ours
    b.finished = true;
    b.ancestors = v.head().length();
    return b;
  }

  /**
   * Takes a peer's answer to {@link #request}: a hash proof on the new fork, verified against the
   * nodes of the new tree known so far; then walks down. Returns whether the ancestor is found.
   * INVALID_PROOF if the proof does not verify or does not lead below the current difference.
   */
  public boolean update(Data data) {
    if (finished) return true;
    if (data == null || data.fork() != head.fork() || data.hash() == null || data.block() != null || data.upgrade() != null
        || data.seek() != null) {
      throw CoreError.INVALID_PROOF.error("a reorg step is a hash proof on fork %d", head.fork());
    }
    VerifiedProof v = ProofVerifier.verify(head, nodes::get, verifier, data);
    for (TreeNode n : v.nodes()) nodes.putIfAbsent(n.index(), n);
    TreeNode d = diff;
    while (FlatTree.depth(d.index()) > 0) {
      TreeNode left = nodes.get(FlatTree.leftChild(d.index()));
      if (left == null) break;
      if (!same(left)) {
        d = left;
        continue;
      }
      TreeNode right = nodes.get(FlatTree.rightChild(d.index()));
      if (right == null) break;
      d = right;
    }
    if (d == diff) throw CoreError.INVALID_PROOF.error("the proof does not reach below node %d", diff.index());
    differsAt(d);
    return finished;
  }

  /** Whether {@code n} is the node we store at its index, within our tree. */
  private boolean same(TreeNode n) {
    if (FlatTree.rightSpan(n.index()) >= 2 * base.length()) return false;
    TreeNode ours = base.node(stored, n.index());
    return ours != null && ours.size() == n.size() && Arrays.equals(ours.hashRef(), n.hashRef());
  }

  private void differsAt(TreeNode d) {
    diff = d;
    ancestors = FlatTree.leftSpan(d.index()) / 2;
    if (FlatTree.depth(d.index()) == 0 || ancestors >= base.length()) finished = true;
  }

  /** Our head when the fork proof was verified; the batch applies to it only. */
  public MerkleTree base() {
    return base;
  }

  /** The new fork's verified head. */
  public MerkleTree head() {
    return head;
  }

  public long fork() {
    return head.fork();
  }

  /** Whether the common ancestor is known. */
  public boolean finished() {
    return finished;
  }

  /** The length both forks share (final once {@link #finished}; a lower bound before). */
  public long ancestors() {
    return ancestors;
  }

  /** The first block of the span still to look into (while not finished). */
  public long wantStart() {
    return FlatTree.leftSpan(diff.index()) / 2;
  }

  /** How many tree levels a hash proof of {@link #wantStart} needs to reach the difference. */
  public long wantNodes() {
    return FlatTree.depth(diff.index());
  }

  /** The next request to send on the new fork (while not finished), JS {@code _requestForkRange}. */
  public Request request(long id) {
    if (finished) throw CoreError.INVALID_OPERATION.error("the reorg to fork %d needs nothing more", head.fork());
    return new Request(id, head.fork(), null, new RequestHash(2 * wantStart(), wantNodes()), null, null, false, 0);
  }

  /** Every node of the new tree proven so far, to store with the new head. */
  public List<TreeNode> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public String toString() {
    return "ReorgBatch[fork " + base.fork() + "->" + head.fork() + ", length " + base.length() + "->" + head.length()
        + (finished ? ", ancestors=" : ", ancestors>=") + ancestors + "]";
  }
}
