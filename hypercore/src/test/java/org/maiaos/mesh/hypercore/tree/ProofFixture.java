package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Verifier;

/**
 * An in-memory core for proof tests: a default (manifest v1) core from a key seed, every tree node
 * in a map, its signed head; and the requester side, a prefix of it with only some nodes stored,
 * plus requests made the way the JS requester makes them ({@code MerkleTree.missingNodes}).
 */
final class ProofFixture {
  final KeyPair keyPair;
  final Manifest manifest;
  final Key32 key;
  final Verifier verifier;
  final List<byte[]> blocks;
  final Map<Long, TreeNode> nodes = new HashMap<>();
  final MerkleTree head;

  private ProofFixture(byte[] seed, List<byte[]> blocks) {
    this.keyPair = Ed25519.keyPair(seed);
    this.manifest = Manifest.defaultSigner(keyPair.publicKey());
    this.key = manifest.hash();
    this.verifier = Verifier.of(key, manifest);
    this.blocks = List.copyOf(blocks);
    MerkleTreeBatch batch = MerkleTree.empty().batch();
    for (byte[] b : blocks) batch.append(b);
    for (TreeNode n : batch.nodes()) nodes.put(n.index(), n);
    byte[] sig = blocks.isEmpty() ? null : verifier.sign(batch.hash(), batch.length(), 0, keyPair);
    this.head = batch.commit(sig);
  }

  static ProofFixture of(byte[] seed, List<byte[]> blocks) {
    return new ProofFixture(seed, blocks);
  }

  /** A core of {@code length} random blocks of 0..{@code maxBlock} bytes. */
  static ProofFixture random(Random rnd, int length, int maxBlock) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      byte[] b = new byte[rnd.nextInt(maxBlock + 1)];
      rnd.nextBytes(b);
      blocks.add(b);
    }
    return new ProofFixture(seed, blocks);
  }

  /** xorshift32 bytes, one per step: the block generator shared with interop/proofs.js. */
  static byte[] xorshiftBlock(int size, long fill) {
    byte[] b = new byte[size];
    int x = (int) fill == 0 ? 1 : (int) fill;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = (byte) x;
    }
    return b;
  }

  long length() {
    return head.length();
  }

  NodeReader reader() {
    return nodes::get;
  }

  byte[] block(long index) {
    return index >= 0 && index < blocks.size() ? blocks.get((int) index) : null;
  }

  /** The stored nodes of a reader that has the first {@code length} blocks' tree, in full. */
  NodeReader fullPrefix(long length) {
    return index -> FlatTree.rightSpan(index) < 2 * length ? nodes.get(index) : null;
  }

  /**
   * A sparse requester at {@code length}: the roots of that length plus each other node of the
   * prefix tree with probability {@code keep}.
   */
  NodeReader sparsePrefix(long length, double keep, Random rnd) {
    Map<Long, TreeNode> kept = new HashMap<>();
    for (TreeNode n : nodes.values()) {
      if (FlatTree.rightSpan(n.index()) < 2 * length && rnd.nextDouble() < keep) kept.put(n.index(), n);
    }
    for (long r : FlatTree.fullRoots(2 * length)) kept.put(r, nodes.get(r));
    return kept::get;
  }

  /** The requester's head at {@code length}, its roots read from {@code reader}. */
  MerkleTree headAt(NodeReader reader, long length) {
    return MerkleTree.open(reader, length, 0, null);
  }

  /** JS {@code MerkleTree.missingNodes}: levels from {@code index} up that the requester lacks. */
  static long missingNodes(NodeReader reader, long index, long length) {
    long head = 2 * length;
    FlatIterator ite = new FlatIterator(index);
    if (ite.peekRightSpan() >= head) return 0;
    long count = 0;
    while (!ite.contains(head) && reader.node(ite.index) == null) {
      count++;
      ite.parent();
    }
    return count;
  }

  /** The byte offset of block {@code index} in this core. */
  long byteOffset(long index) {
    long off = 0;
    for (int i = 0; i < index; i++) off += blocks.get(i).length;
    return off;
  }

  /** The kinds of request {@link #request} makes. */
  enum Kind { BLOCK, BLOCK_UPGRADE, BLOCK_IN_UPGRADE, HASH, UPGRADE, SEEK_UPGRADE, HASH_SEEK }

  /**
   * An honest request from a requester at {@code have} blocks with stored nodes {@code mine}, of a
   * kind that fits ({@code null} when the kind cannot be asked at this length).
   */
  Request request(Kind kind, Random rnd, long have, NodeReader mine, long id) {
    long n = length();
    boolean manifestWanted = have == 0 || rnd.nextInt(4) == 0;
    switch (kind) {
      case BLOCK -> {
        if (have == 0) return null;
        long i = rnd.nextLong(have);
        return new Request(id, 0, new RequestBlock(i, missingNodes(mine, 2 * i, have)), null, null, null, false, rnd.nextInt(3));
      }
      case BLOCK_UPGRADE -> {
        if (have == 0 || have == n) return null;
        long i = rnd.nextLong(have);
        return new Request(id, 0, new RequestBlock(i, missingNodes(mine, 2 * i, have)), null, null,
            new RequestUpgrade(have, 1 + rnd.nextLong(n - have)), manifestWanted, 0);
      }
      case BLOCK_IN_UPGRADE -> {
        if (have == n) return null;
        long i = have + rnd.nextLong(n - have);
        long len = i - have + 1 + rnd.nextLong(n - i); // the upgrade covers the block
        return new Request(id, 0, new RequestBlock(i, 0), null, null, new RequestUpgrade(have, len), manifestWanted, 1);
      }
      case HASH -> {
        if (have == 0) return null;
        long index = randomPrefixNode(rnd, have);
        return new Request(id, 0, null, new RequestHash(index, missingNodes(mine, index, have)), null, null, false, 0);
      }
      case UPGRADE -> {
        if (have == n) return null;
        long len = rnd.nextBoolean() ? n - have : 1 + rnd.nextLong(n - have);
        return new Request(id, 0, null, null, null, new RequestUpgrade(have, len), manifestWanted, 0);
      }
      case SEEK_UPGRADE -> {
        if (have == n) return null;
        long len = 1 + rnd.nextLong(n - have);
        long bytes = rnd.nextLong(byteOffset(n) + 1);
        return new Request(id, 0, null, null, new RequestSeek(bytes, 0), new RequestUpgrade(have, len), manifestWanted, 0);
      }
      case HASH_SEEK -> {
        if (have == 0) return null;
        long i = rnd.nextLong(have);
        long levels = missingNodes(mine, 2 * i, have);
        long root = 2 * i;
        for (long k = 0; k < levels; k++) root = FlatTree.parent(root);
        long size = nodes.get(root).size();
        if (size == 0) return null;
        long bytes = byteOffset(FlatTree.leftSpan(root) / 2) + rnd.nextLong(size);
        return new Request(id, 0, null, new RequestHash(2 * i, levels), new RequestSeek(bytes, 0), null, false, 0);
      }
      default -> throw new IllegalArgumentException(kind.toString());
    }
  }

  /** A random node of the tree of the first {@code have} blocks. */
  private long randomPrefixNode(Random rnd, long have) {
    while (true) {
      long index = rnd.nextLong(2 * have);
      if (FlatTree.rightSpan(index) < 2 * have) return index;
    }
  }
}
