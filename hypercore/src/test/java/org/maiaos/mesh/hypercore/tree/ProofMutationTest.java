package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/**
 * Property: no single-byte change to a valid proof makes it prove something else. Every mutation
 * of an encoded {@link Data} fails to decode (DECODING_ERROR), fails to verify (INVALID_PROOF or
 * INVALID_SIGNATURE), or verifies to the same block and head or to less, never to another block,
 * head or node. It verifies only by changing what carries no trust: the request id or the seek's
 * byte offset (the caller matches both against its request, as JS {@code _matchingRequest} does),
 * the manifest (the caller checks it against the key), a signature byte the verifier ignores (the
 * multisig patch count of a manifest without patches, ignored by JS as well), the flags that label
 * a hash proof as a seek proof of the same nodes, or an upgrade start moved back so far that the
 * upgrade is stale and proves nothing new.
 */
class ProofMutationTest {
  /** A valid proof with what it verifies to. */
  private record Case(ProofFixture core, long have, MerkleTree ours, NodeReader mine, Data data, VerifiedProof result) {}

  private static List<Case> validProofs(Random rnd, int count) {
    List<Case> out = new ArrayList<>();
    ProofFixture.Kind[] kinds = ProofFixture.Kind.values();
    while (out.size() < count) {
      ProofFixture core = ProofFixture.random(rnd, 1 + rnd.nextInt(rnd.nextBoolean() ? 12 : 150), 48);
      long have = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(core.length() + 1);
      NodeReader mine = core.sparsePrefix(have, rnd.nextDouble(), rnd);
      MerkleTree ours = core.headAt(mine, have);
      for (int k = 0; k < 3; k++) {
        Request r = core.request(kinds[rnd.nextInt(kinds.length)], rnd, have, mine, rnd.nextInt(1000));
        if (r == null) continue;
        try {
          Data d = ProofBuilder.build(core.head, core.reader(), core::block, r, core.manifest);
          out.add(new Case(core, have, ours, mine, d, ProofVerifier.verify(ours, mine, core.verifier, d)));
        } catch (HypercoreException e) {
          assertEquals(CoreError.INVALID_OPERATION, e.code(), e.getMessage()); // an unprovable seek
        }
      }
    }
    return out;
  }

  /** Checks {@code mutated}: refused with a proof error, or harmless. Returns true if it verified. */
  private static boolean checkMutation(Case c, byte[] mutated, String what) {
    Data d;
    try {
      d = Data.decode(mutated);
    } catch (HypercoreException e) {
      assertEquals(CoreError.DECODING_ERROR, e.code(), what + ": " + e.getMessage());
      return false;
    }
    VerifiedProof v;
    try {
      v = ProofVerifier.verify(c.ours, c.mine, c.core.verifier, d);
    } catch (HypercoreException e) {
      if (e.code() != CoreError.INVALID_PROOF && e.code() != CoreError.INVALID_SIGNATURE) fail(what + ": " + e.getMessage());
      return false;
    }
    assertNothingElse(c, v, what);
    Data o = c.data;
    // only fields that carry no trust may differ
    assertEquals(o.fork(), d.fork(), what);
    if (v.block() != null) assertEquals(o.block(), d.block(), what);
    assertEquals(hashAndSeekNodes(o), hashAndSeekNodes(d), what);
    if (v.head() != null) {
      DataUpgrade a = o.upgrade();
      DataUpgrade b = d.upgrade();
      assertEquals(new DataUpgrade(a.start(), a.length(), a.nodes(), a.additionalNodes(), null),
          new DataUpgrade(b.start(), b.length(), b.nodes(), b.additionalNodes(), null), what);
    }
    return true;
  }

  /**
   * The nodes of the hash and seek parts together: a flags byte can relabel a hash proof as a seek
   * proof of the very same nodes (both prove that node), which request matching then refuses.
   */
  private static List<TreeNode> hashAndSeekNodes(Data d) {
    List<TreeNode> out = new ArrayList<>();
    if (d.hash() != null) out.addAll(d.hash().nodes());
    if (d.seek() != null) out.addAll(d.seek().nodes());
    return out;
  }

  /**
   * A mutated proof may prove less than the original (an upgrade start moved so far back that it
   * is stale: JS treats that as no upgrade too), never something else: its block is the original
   * block, its head the original head, every node it proves a true node of the core.
   */
  private static void assertNothingElse(Case c, VerifiedProof v, String what) {
    VerifiedProof o = c.result;
    if (v.block() != null) assertEquals(o.block(), v.block(), what + ": block");
    for (TreeNode n : v.nodes()) assertEquals(c.core.nodes.get(n.index()), n, what + ": node " + n.index());
    if (v.head() != null) {
      assertNotNull(o.head(), what + ": head");
      assertEquals(o.head().length(), v.head().length(), what);
      assertEquals(o.head().fork(), v.head().fork(), what);
      assertArrayEquals(o.head().hash(), v.head().hash(), what);
      assertEquals(o.head().roots(), v.head().roots(), what);
    }
  }

  @Test
  void noSingleByteMutationProvesAnythingElse() {
    Random rnd = TestSeeds.random("ProofMutationTest.noSingleByteMutationProvesAnythingElse");
    List<Case> cases = validProofs(rnd, 300);
    long mutations = 0;
    long harmless = 0;
    for (Case c : cases) {
      byte[] bytes = c.data.encode();
      for (int p = 0; p < bytes.length; p++) {
        byte[] m = bytes.clone();
        m[p] = (byte) (m[p] + 1 + rnd.nextInt(255));
        mutations++;
        if (checkMutation(c, m, "byte " + p + " of " + c.data)) harmless++;
      }
    }
    System.out.println("ProofMutationTest: " + cases.size() + " proofs, " + mutations + " mutations, " + harmless + " harmless");
    assertTrue(mutations > 30_000, "mutations " + mutations);
  }

  @Test
  void noMutatedSignatureVerifies() {
    Random rnd = TestSeeds.random("ProofMutationTest.noMutatedSignatureVerifies");
    int checked = 0;
    for (int round = 0; round < 40; round++) {
      ProofFixture core = ProofFixture.random(rnd, 1 + rnd.nextInt(60), 32);
      long have = rnd.nextLong(core.length());
      NodeReader mine = core.fullPrefix(have);
      MerkleTree ours = core.headAt(mine, have);
      Request r = new Request(1, 0, null, null, null, new RequestUpgrade(have, core.length() - have), have == 0, 0);
      Data d = ProofBuilder.build(core.head, core.reader(), core::block, r, core.manifest);
      byte[] sig = d.upgrade().signature();
      assertEquals(68, sig.length);
      List<byte[]> bad = new ArrayList<>();
      for (int p = 0; p < sig.length; p++) {
        if (p == 66) continue; // the patch count: ignored without allowPatch, as in JS
        byte[] s = sig.clone();
        s[p] = (byte) (s[p] + 1 + rnd.nextInt(255));
        bad.add(s);
      }
      for (int k = 0; k < 10; k++) {
        byte[] s = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(200) : 68];
        rnd.nextBytes(s);
        bad.add(s);
      }
      MerkleTree shorter = MerkleTree.open(core.reader(), core.length() - 1, 0, null);
      bad.add(core.verifier.sign(shorter.hash(), shorter.length(), 0, core.keyPair));
      bad.add(core.verifier.sign(core.head.hash(), core.length(), 1, core.keyPair));
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      byte[] other = Ed25519.sign(core.verifier.signable(core.head.hash(), core.length(), 0, core.manifest.signers().get(0)), Ed25519.keyPair(seed));
      byte[] wrapped = sig.clone();
      System.arraycopy(other, 0, wrapped, 2, 64);
      bad.add(wrapped);
      bad.add(Arrays.copyOfRange(sig, 2, 66)); // the bare signature without its multisig wrapper
      for (byte[] s : bad) {
        DataUpgrade u = d.upgrade();
        Data m = new Data(d.request(), d.fork(), null, null, null, new DataUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), s), d.manifest());
        HypercoreException e = assertThrows(HypercoreException.class,
            () -> ProofVerifier.verify(ours, mine, core.verifier, m));
        assertEquals(CoreError.INVALID_SIGNATURE, e.code(), e.getMessage());
        checked++;
      }
      byte[] patched = sig.clone();
      patched[66] = 5;
      DataUpgrade u = d.upgrade();
      Data p = new Data(1, 0, null, null, null, new DataUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), patched), null);
      assertEquals(core.length(), ProofVerifier.verify(ours, mine, core.verifier, p).head().length());
    }
    assertTrue(checked > 3000, "checked " + checked);
  }
}
