package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Prologue;
import org.maiaos.mesh.hypercore.manifest.Verifier;

class ProofVerifierTest {
  private static ProofFixture core(int length) {
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < length; i++) blocks.add(("block-" + i).getBytes(StandardCharsets.UTF_8));
    return ProofFixture.of(new byte[32], blocks);
  }

  private static Data build(ProofFixture c, Request r) {
    return ProofBuilder.build(c.head, c.reader(), c::block, r, c.manifest);
  }

  /** Verifies as a requester holding the whole tree of the first {@code have} blocks. */
  private static VerifiedProof verify(ProofFixture c, long have, Data d) {
    NodeReader mine = c.fullPrefix(have);
    return ProofVerifier.verify(c.headAt(mine, have), mine, c.verifier, d);
  }

  private static void assertCode(CoreError code, Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(code, e.code(), e.getMessage());
  }

  private static Request upgrade(long start, long length) {
    return new Request(1, 0, null, null, null, new RequestUpgrade(start, length), false, 0);
  }

  /** Checks a verified proof says only true things about {@code c}. */
  static void assertTruthful(ProofFixture c, VerifiedProof v) {
    for (TreeNode n : v.nodes()) assertEquals(c.nodes.get(n.index()), n, "proven node " + n.index());
    if (v.block() != null) assertArrayEquals(c.block(v.block().index()), v.block().value());
    if (v.head() != null) {
      MerkleTree truth = MerkleTree.open(c.reader(), v.head().length(), 0, null);
      assertArrayEquals(truth.hash(), v.head().hash());
      assertEquals(truth.roots(), v.head().roots());
      assertEquals(truth.byteLength(), v.head().byteLength());
    }
  }

  @Test
  void acceptsRandomHonestProofsAndLearnsOnlyTrueNodes() {
    Random rnd = TestSeeds.random("ProofVerifierTest.acceptsRandomHonestProofsAndLearnsOnlyTrueNodes");
    int verified = 0;
    for (int round = 0; round < 80; round++) {
      ProofFixture c = ProofFixture.random(rnd, 1 + rnd.nextInt(90), 64);
      long have = rnd.nextLong(c.length() + 1);
      NodeReader mine = c.sparsePrefix(have, rnd.nextDouble(), rnd);
      MerkleTree ours = c.headAt(mine, have);
      for (ProofFixture.Kind kind : ProofFixture.Kind.values()) {
        Request r = c.request(kind, rnd, have, mine, 1);
        if (r == null) continue;
        Data d;
        try {
          d = build(c, r);
        } catch (HypercoreException e) {
          assertEquals(CoreError.INVALID_OPERATION, e.code(), kind + ": " + e.getMessage());
          continue;
        }
        VerifiedProof v = ProofVerifier.verify(ours, mine, c.verifier, Data.decode(d.encode()));
        verified++;
        assertTruthful(c, v);
        if (r.block() != null) assertEquals(r.block().index(), v.block().index());
        else assertNull(v.block());
        if (r.upgrade() != null) {
          assertNotNull(v.head(), kind.toString());
          assertEquals(c.length(), v.head().length(), "the additional nodes take the head to the prover's length");
          assertArrayEquals(c.head.signature(), v.head().signature());
          assertEquals(0, v.head().fork());
        } else {
          assertNull(v.head());
        }
      }
    }
    assertTrue(verified > 250, "verified " + verified);
  }

  @Test
  void upgradesAnEmptyCoreFromTheRootsAlone() {
    ProofFixture c = core(11);
    VerifiedProof v = verify(c, 0, build(c, upgrade(0, 11)));
    assertEquals(11, v.head().length());
    assertArrayEquals(c.head.hash(), v.head().hash());
    assertEquals(List.of(7L, 17L, 20L), v.nodes().stream().map(TreeNode::index).toList());
  }

  @Test
  void treatsAStaleUpgradeThatMatchesOurTreeAsNoUpgrade() {
    ProofFixture c = core(6);
    Data stale = build(c, upgrade(4, 2));
    VerifiedProof v = verify(c, 6, stale);
    assertNull(v.head());
  }

  @Test
  void rejectsAProofForAnotherFork() {
    ProofFixture c = core(4);
    Data d = build(c, upgrade(2, 2));
    Data other = new Data(d.request(), 1, null, null, null, d.upgrade(), null);
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 2, other));
    // into an empty tree the fork is only checked by the signature
    Data fromZero = build(c, upgrade(0, 4));
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, new Data(1, 1, null, null, null, fromZero.upgrade(), null)));
  }

  @Test
  void takesAnotherForkOnlyIntoAnEmptyTree() {
    ProofFixture c = core(6);
    MerkleTreeBatch b = c.head.truncate(c.reader(), 4, 1).batch();
    b.append("block-4b".getBytes(StandardCharsets.UTF_8));
    b.append("block-5b".getBytes(StandardCharsets.UTF_8));
    MerkleTree fork1 = b.commit(c.verifier.sign(b.hash(), 6, 1, c.keyPair));
    Map<Long, TreeNode> nodes = new HashMap<>(c.nodes);
    for (TreeNode n : b.nodes()) nodes.put(n.index(), n);
    Data d = ProofBuilder.build(fork1, nodes::get, i -> null, new Request(1, 1, null, null, null, new RequestUpgrade(0, 6), true, 0), c.manifest);
    NodeReader none = i -> null;
    VerifiedProof v = ProofVerifier.verify(MerkleTree.empty(), none, c.verifier, d);
    assertEquals(1, v.head().fork());
    assertArrayEquals(fork1.hash(), v.head().hash());
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 4, d)); // our fork-0 tree of 4 blocks
  }

  @Test
  void rejectsAnUpgradeWithoutOrWithAWrongSignature() {
    ProofFixture c = core(5);
    DataUpgrade u = build(c, upgrade(0, 5)).upgrade();
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, withUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), null)));
    byte[] forLength4 = c.verifier.sign(MerkleTree.open(c.reader(), 4, 0, null).hash(), 4, 0, c.keyPair);
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, withUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), forLength4)));
    byte[] forFork1 = c.verifier.sign(c.head.hash(), 5, 1, c.keyPair);
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, withUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), forFork1)));
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, withUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), new byte[3])));
  }

  @Test
  void rejectsUpgradeNodesOutOfOrderMissingOrForged() {
    ProofFixture c = core(7);
    DataUpgrade u = build(c, upgrade(0, 7)).upgrade();
    List<TreeNode> swapped = new ArrayList<>(u.nodes());
    Collections.swap(swapped, 0, 1);
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 0, withUpgrade(0, 7, swapped, List.of(), u.signature())));
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 0, withUpgrade(0, 7, u.nodes().subList(0, 2), List.of(), u.signature())));
    List<TreeNode> forged = new ArrayList<>(u.nodes());
    TreeNode r = forged.get(1);
    forged.set(1, new TreeNode(r.index(), r.size() + 1, r.hash()));
    assertCode(CoreError.INVALID_SIGNATURE, () -> verify(c, 0, withUpgrade(0, 7, forged, List.of(), u.signature())));
    // a node where an additional node should start a new root
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 0, withUpgrade(0, 4, u.nodes().subList(0, 1), List.of(c.nodes.get(1L)), u.signature())));
  }

  @Test
  void rejectsABlockWhoseValueOrPathWasChanged() {
    ProofFixture c = core(8);
    Data d = build(c, new Request(1, 0, new RequestBlock(5, 3), null, null, null, false, 0));
    DataBlock b = d.block();
    Data value = new Data(1, 0, new DataBlock(5, "block-x".getBytes(StandardCharsets.UTF_8), b.nodes()), null, null, null, null);
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 8, value));
    Data index = new Data(1, 0, new DataBlock(4, b.value(), b.nodes()), null, null, null, null);
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 8, index));
    // a shorter path ends at node 11: fine for a requester storing it, not for one with only the root
    Data shortPath = new Data(1, 0, new DataBlock(5, b.value(), b.nodes().subList(0, 2)), null, null, null, null);
    assertEquals(5, verify(c, 8, shortPath).block().index());
    NodeReader onlyRoots = i -> i == 7 ? c.nodes.get(7L) : null;
    assertCode(CoreError.INVALID_PROOF, () -> ProofVerifier.verify(c.headAt(onlyRoots, 8), onlyRoots, c.verifier, shortPath));
    assertEquals(5, verify(c, 8, d).block().index());
  }

  @Test
  void rejectsSeekAndHashProofsThatDoNotFold() {
    ProofFixture c = core(8);
    TreeNode n2 = c.nodes.get(2L);
    TreeNode n0 = c.nodes.get(0L);
    TreeNode n5 = c.nodes.get(5L);
    assertEquals(5, verify(c, 8, new Data(1, 0, null, new DataHash(2, List.of(n2, n0, n5)), null, null, null)).nodes().size());
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 8, new Data(1, 0, null, new DataHash(2, List.of(n0, n2, n5)), null, null, null)));
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 8, new Data(1, 0, null, new DataHash(2, List.of()), null, null, null)));
    // a seek root the block proof never uses is an unexpected node
    assertCode(CoreError.INVALID_PROOF, () -> verify(c, 8, new Data(1, 0, null, new DataHash(2, List.of(n2, n0, n5)), new DataSeek(9, List.of(c.nodes.get(9L))), null, null)));
  }

  @Test
  void survivesHostileIndexesAndLengths() {
    ProofFixture c = core(5);
    long max = Uint.MAX_SAFE;
    byte[] h = new byte[32];
    List<TreeNode> deep = new ArrayList<>();
    deep.add(new TreeNode(max, max, h));
    FlatIterator ite = new FlatIterator(max);
    for (int i = 0; i < Data.MAX_NODES - 1; i++) {
      long s;
      try {
        s = ite.sibling();
        ite.parent();
      } catch (ArithmeticException e) {
        s = max;
      }
      deep.add(new TreeNode(s, max, h));
    }
    byte[] sig = c.head.signature();
    List<Data> hostile = List.of(
        new Data(1, 0, null, null, new DataSeek(0, deep), null, null),
        new Data(1, 0, null, new DataHash(max, deep), null, null, null),
        new Data(1, 0, new DataBlock(max, new byte[0], List.of()), null, null, null, null),
        new Data(1, 0, new DataBlock(max, new byte[0], deep.subList(1, 60)), null, null, null, null),
        withUpgrade(max, max, List.of(), List.of(), sig),
        withUpgrade(0, max, deep, deep, sig),
        withUpgrade(0, 0, List.of(), List.of(), sig),
        withUpgrade(0, 5, List.of(new TreeNode(7, max, h), new TreeNode(8, max, h)), deep, sig),
        withUpgrade(3, 2, List.of(), deep, sig),
        withUpgrade(max - 1, 1, deep, List.of(), sig));
    for (long have : new long[] {0, 3, 5}) {
      for (Data d : hostile) {
        try {
          // JS too accepts some of these as harmless no-ops (an empty upgrade on a non-empty core)
          VerifiedProof v = verify(c, have, d);
          assertNull(v.head(), "accepted " + d);
          assertTruthful(c, v);
        } catch (HypercoreException e) {
          assertTrue(e.code() == CoreError.INVALID_PROOF || e.code() == CoreError.INVALID_SIGNATURE, e.getMessage());
        }
      }
    }
  }

  @Test
  void checksThePrologueOfTheCore() {
    ProofFixture c = core(6);
    MerkleTree at4 = MerkleTree.open(c.reader(), 4, 0, null);
    Manifest m = new Manifest(1, false, 1, c.manifest.signers(), new Prologue(Key32.of(at4.hash()), 4), null, null);
    Verifier v = Verifier.of(m.hash(), m);
    // the head at 4 needs no signature: it is the prologue
    Data toPrologue = new Data(1, 0, null, null, null, new DataUpgrade(0, 4, List.of(c.nodes.get(3L)), List.of(), null), null);
    NodeReader none = i -> null;
    assertEquals(4, ProofVerifier.verify(MerkleTree.empty(), none, v, toPrologue).head().length());
    // an upgrade starting inside the prologue must cover it
    Data partial = new Data(1, 0, null, null, null, new DataUpgrade(0, 2, List.of(c.nodes.get(1L)), List.of(), null), null);
    assertCode(CoreError.INVALID_PROOF, () -> ProofVerifier.verify(MerkleTree.empty(), none, v, partial));
    // a tree of the prologue's length with another hash
    TreeNode fake = new TreeNode(3, c.nodes.get(3L).size(), new byte[32]);
    Data wrong = new Data(1, 0, null, null, null, new DataUpgrade(0, 4, List.of(fake), List.of(), null), null);
    assertCode(CoreError.INVALID_PROOF, () -> ProofVerifier.verify(MerkleTree.empty(), none, v, wrong));
  }

  private static Data withUpgrade(long start, long length, List<TreeNode> nodes, List<TreeNode> additional, byte[] sig) {
    return new Data(1, 0, null, null, null, new DataUpgrade(start, length, nodes, additional, sig), null);
  }
}
