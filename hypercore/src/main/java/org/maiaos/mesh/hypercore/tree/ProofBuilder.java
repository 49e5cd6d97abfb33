package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Prologue;

/**
 * Answers a {@link Request} with the {@link Data} JS hypercore 11.37.1 sends for it: the node lists
 * of {@code merkle-tree.js generateProof} (block/hash path, seek path, upgrade nodes and the
 * additional nodes up to our length), the block from storage, our stored signature, and the
 * manifest when asked, as {@code replicator.js _getProof}/{@code _fulfillRequest} assemble them.
 *
 * <p>Failures, as the replicator tells them apart: {@code BLOCK_NOT_AVAILABLE} when JS would answer
 * {@code noData(NOT_AVAILABLE)} (fork mismatch, block not stored; JS then still sends the manifest
 * alone if it was asked for); {@code INVALID_OPERATION} when proof generation itself fails and JS
 * answers {@code noData(INVALID_REQUEST)} (bad upgrade range, nodes out of bounds, an impossible
 * seek, a tree node we do not have).
 */
public final class ProofBuilder {
  private final MerkleTree head;
  private final NodeReader reader;

  // The pending lists of generateProof; null = not produced, which matters for the checks below.
  private List<TreeNode> node;
  private List<TreeNode> seek;
  private List<TreeNode> upgrade;
  private List<TreeNode> additional;

  private ProofBuilder(MerkleTree head, NodeReader reader) {
    this.head = head;
    this.reader = reader;
  }

  /**
   * Builds the answer to {@code request}.
   *
   * @param head our current head (its signature is sent with an upgrade)
   * @param nodes our stored tree nodes
   * @param blocks our stored blocks by index, null when absent
   * @param request the peer's request
   * @param manifest our manifest, sent when the request asks for it; pass null for a compat core,
   *     which never sends one. Its prologue, if any, widens upgrades as in JS.
   */
  public static Data build(MerkleTree head, NodeReader nodes, LongFunction<byte[]> blocks, Request request, Manifest manifest) {
    if (head == null || nodes == null || blocks == null || request == null) {
      throw CoreError.BAD_ARGUMENT.error("head, nodes, blocks and request are required");
    }
    if (request.fork() != head.fork()) {
      throw CoreError.BLOCK_NOT_AVAILABLE.error("request for fork %d, core is at fork %d", request.fork(), head.fork());
    }
    byte[] value = null;
    if (request.block() != null) {
      long index = request.block().index();
      if (index < head.length()) value = blocks.apply(index);
      if (value == null) throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is not stored", index);
    }
    try {
      return new ProofBuilder(head, nodes).generate(request, value, manifest);
    } catch (ArithmeticException e) {
      // a walk the request drove past any real tree, where JS trips its loop guards
      throw CoreError.INVALID_OPERATION.error(e, "request out of range: %s", e.getMessage());
    }
  }

  private Data generate(Request req, byte[] value, Manifest manifest) {
    Manifest sendManifest = req.manifest() ? manifest : null;
    long upStart = req.upgrade() == null ? 0 : req.upgrade().start();
    long upLength = req.upgrade() == null ? 0 : req.upgrade().length();
    Prologue prologue = manifest == null ? null : manifest.prologue();
    if (prologue != null && req.upgrade() != null && upStart < prologue.length()) {
      // a requester inside the prologue gets the whole prologue proven from 0 (generateProof)
      upStart = 0;
      upLength = prologue.length();
    }
    boolean hasUpgrade = req.upgrade() != null;
    boolean hasSeek = req.seek() != null;
    long headIndex = 2 * head.length();
    long from = hasUpgrade ? 2 * upStart : 0;
    long to = hasUpgrade ? from + 2 * upLength : headIndex;
    Indexed target = Indexed.of(req);

    if (headIndex == 0) return new Data(req.id(), req.fork(), null, null, null, null, sendManifest);
    if (from >= to || to > headIndex) throw CoreError.INVALID_OPERATION.error("Invalid upgrade");
    if (hasSeek && hasUpgrade && target != null && target.index >= from) {
      throw CoreError.INVALID_OPERATION.error("Cannot both do a seek and block/hash request when upgrading");
    }

    long subTree = headIndex;
    if (target != null && (!hasUpgrade || target.lastBlock < upStart)) {
      subTree = nodesToRoot(target.index, target.nodes, to);
      long seekRoot = hasSeek ? seekUntrustedTree(subTree, req.seek().bytes(), req.seek().padding()) : headIndex;
      blockAndSeekProof(target, hasSeek, seekRoot, subTree);
    } else if ((target != null || hasSeek) && hasUpgrade) {
      subTree = hasSeek ? seekFromHead(to, req.seek().bytes(), req.seek().padding()) : target.index;
    }
    if (hasUpgrade) {
      upgradeProof(target, hasSeek, from, to, subTree);
      if (headIndex > to) additionalUpgradeProof(to, headIndex);
    }

    DataBlock block = null;
    DataHash hash = null;
    if (req.block() != null) {
      if (node == null) throw CoreError.INVALID_OPERATION.error("Invalid block request");
      block = new DataBlock(req.block().index(), value, node);
    } else if (req.hash() != null) {
      if (node == null) throw CoreError.INVALID_OPERATION.error("Invalid block request");
      hash = new DataHash(req.hash().index(), node);
    }
    DataSeek seekPart = hasSeek && seek != null ? new DataSeek(req.seek().bytes(), seek) : null;
    DataUpgrade upgradePart = null;
    if (hasUpgrade) {
      upgradePart = new DataUpgrade(upStart, upLength, upgrade == null ? List.of() : upgrade,
          additional == null ? List.of() : additional, head.signature());
    }
    return new Data(req.id(), req.fork(), block, hash, seekPart, upgradePart, sendManifest);
  }

  /** The block or hash a request asks for, as flat-tree positions (merkle-tree.js normalizeIndexed). */
  private record Indexed(boolean value, long index, long nodes, long lastBlock) {
    static Indexed of(Request req) {
      if (req.block() != null) return new Indexed(true, 2 * req.block().index(), req.block().nodes(), req.block().index());
      if (req.hash() != null) {
        long i = req.hash().index();
        return new Indexed(false, i, req.hash().nodes(), FlatTree.rightSpan(i) / 2);
      }
      return null;
    }
  }

  private TreeNode get(long index) {
    TreeNode n = head.node(reader, index);
    if (n == null) throw CoreError.INVALID_OPERATION.error("Expected tree node %d from storage, got (nil)", index);
    return n;
  }

  private TreeNode getOrNull(long index) {
    return head.node(reader, index);
  }

  /** Climbs {@code nodes} levels from {@code index}; none of them may reach past {@code to}. */
  private static long nodesToRoot(long index, long nodes, long to) {
    FlatIterator ite = new FlatIterator(index);
    for (long i = 0; i < nodes; i++) {
      ite.parent();
      if (ite.contains(to)) throw CoreError.INVALID_OPERATION.error("Nodes is out of bounds");
    }
    return ite.index;
  }

  private void seekProof(long seekRoot, long root) {
    FlatIterator ite = new FlatIterator(seekRoot);
    seek = new ArrayList<>();
    seek.add(get(ite.index));
    while (ite.index != root) {
      ite.sibling();
      seek.add(get(ite.index));
      ite.parent();
    }
  }

  private void blockAndSeekProof(Indexed target, boolean hasSeek, long seekRoot, long root) {
    if (target == null) {
      seekProof(seekRoot, root);
      return;
    }
    FlatIterator ite = new FlatIterator(target.index);
    node = new ArrayList<>();
    if (!target.value) node.add(get(ite.index));
    while (ite.index != root) {
      ite.sibling();
      if (hasSeek && ite.contains(seekRoot) && ite.index != seekRoot) {
        seekProof(seekRoot, ite.index);
      } else {
        node.add(get(ite.index));
      }
      ite.parent();
    }
  }

  private void upgradeProof(Indexed target, boolean hasSeek, long from, long to, long subTree) {
    if (from == 0) upgrade = new ArrayList<>();
    for (FlatIterator ite = new FlatIterator(0); ite.fullRoot(to); ite.nextTree()) {
      if (ite.index + ite.factor / 2 < from) continue; // the requester has this whole root
      if (upgrade == null && ite.contains(from - 2)) {
        // the root that grows out of the requester's last root: send the right-hand siblings
        upgrade = new ArrayList<>();
        long root = ite.index;
        long last = from - 2;
        ite.seek(last);
        while (ite.index != root) {
          ite.sibling();
          if (ite.index > last) {
            if (node == null && seek == null && ite.contains(subTree)) {
              blockAndSeekProof(target, hasSeek, subTree, ite.index);
            } else {
              upgrade.add(get(ite.index));
            }
          }
          ite.parent();
        }
        continue;
      }
      if (upgrade == null) upgrade = new ArrayList<>();
      if (node == null && seek == null && ite.contains(subTree)) {
        // the block/seek proof reaches this root, which therefore is not sent twice
        blockAndSeekProof(target, hasSeek, subTree, ite.index);
        continue;
      }
      upgrade.add(get(ite.index));
    }
  }

  private void additionalUpgradeProof(long from, long to) {
    for (FlatIterator ite = new FlatIterator(0); ite.fullRoot(to); ite.nextTree()) {
      if (ite.index + ite.factor / 2 < from) continue;
      if (additional == null && ite.contains(from - 2)) {
        additional = new ArrayList<>();
        long root = ite.index;
        long last = from - 2;
        ite.seek(last);
        while (ite.index != root) {
          ite.sibling();
          if (ite.index > last) additional.add(get(ite.index));
          ite.parent();
        }
        continue;
      }
      if (additional == null) additional = new ArrayList<>();
      additional.add(get(ite.index));
    }
  }

  // Seeks: byte offsets are in unpadded bytes, each block counting its size minus the padding.

  private static long unpadded(TreeNode n, long padding, long leaves) {
    return padding == 0 ? n.size() : n.size() - Math.multiplyExact(padding, leaves);
  }

  /** Finds the block at {@code bytes} in a subtree the requester trusts but we check (seekUntrustedTree). */
  private long seekUntrustedTree(long root, long bytes, long padding) {
    if (root != 2 * head.length() && afterFirstRoot(root)) {
      // JS quirk (merkle-tree.js getByteOffsetSession): it sums node.size over a list holding bare
      // sizes for the whole roots before the node's root, so the offset is NaN, every comparison
      // fails and the seek falls through to the subtree root, with no seek proof. Mirrored so
      // our answers stay byte-identical.
      return root;
    }
    long offset = byteOffset(root);
    if (padding != 0) offset -= Math.multiplyExact(padding, FlatTree.leftSpan(root) / 2);
    if (offset > bytes) throw CoreError.INVALID_OPERATION.error("Invalid seek");
    if (offset == bytes) return root;
    bytes -= offset;
    TreeNode n = get(root);
    if (unpadded(n, padding, FlatTree.countLeaves(root)) <= bytes) throw CoreError.INVALID_OPERATION.error("Invalid seek");
    return seekTrustedTree(root, bytes, padding);
  }

  /** Descends from {@code root} to the node holding byte {@code bytes} of it, as far as we store nodes. */
  private long seekTrustedTree(long root, long bytes, long padding) {
    if (bytes == 0) return root;
    FlatIterator ite = new FlatIterator(root);
    while ((ite.index & 1) != 0) {
      TreeNode left = getOrNull(ite.leftChild());
      if (left == null) {
        ite.parent();
        return ite.index;
      }
      long size = unpadded(left, padding, ite.countLeaves());
      if (size == bytes) return ite.index;
      if (size > bytes) continue;
      bytes -= size;
      ite.sibling();
    }
    return ite.index;
  }

  /** Finds the block at {@code bytes} among the roots of a tree ending before {@code to} (seekFromHead). */
  private long seekFromHead(long to, long bytes, long padding) {
    for (long root : FlatTree.fullRoots(to)) {
      TreeNode n = get(root);
      long size = unpadded(n, padding, FlatTree.countLeaves(root));
      if (bytes == size) return root;
      if (bytes > size) {
        bytes -= size;
        continue;
      }
      return seekTrustedTree(root, bytes, padding);
    }
    return to;
  }

  /** True when node {@code index} lies inside our tree but not under its first root. */
  private boolean afterFirstRoot(long index) {
    List<TreeNode> roots = head.roots();
    if (roots.isEmpty()) return false;
    long firstEnd = FlatTree.rightSpan(roots.get(0).index());
    long leaf = (index & 1) != 0 ? FlatTree.leftSpan(index) : index;
    return leaf > firstEnd && leaf < 2 * head.length();
  }

  /** The byte offset at which node {@code index} starts (getByteOffsetBatch over our roots). */
  private long byteOffset(long index) {
    if (index == 2 * head.length()) return head.byteLength();
    if ((index & 1) != 0) index = FlatTree.leftSpan(index);
    long end = 0;
    long offset = 0;
    for (TreeNode root : head.roots()) {
      end += 2 * (root.index() - end + 1);
      if (index >= end) {
        offset += root.size();
        continue;
      }
      FlatIterator ite = new FlatIterator(root.index());
      while (ite.index != index) {
        if (index < ite.index) {
          if (ite.factor == 2) throw CoreError.INVALID_OPERATION.error("Bad byte offset index=%d", index);
          ite.leftChild();
        } else {
          offset += get(ite.leftChild()).size();
          ite.sibling();
        }
      }
      return offset;
    }
    throw CoreError.INVALID_OPERATION.error("Failed to find offset");
  }
}
