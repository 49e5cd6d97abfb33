package org.maiaos.mesh.hypercore.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.Fixed;

class VerifierTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final KeyPair A = Ed25519.keyPair(filled(1));
  private static final KeyPair B = Ed25519.keyPair(filled(2));
  private static final KeyPair C = Ed25519.keyPair(filled(3));
  private static final byte[] TREE_HASH = filled(9);

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }

  private static byte[] head(Key32 ctx, long length, long fork) {
    byte[] out = new byte[ctx == null ? 80 : 112];
    int i = 0;
    System.arraycopy(Caps.TREE.toByteArray(), 0, out, i, 32);
    i += 32;
    if (ctx != null) {
      System.arraycopy(ctx.toByteArray(), 0, out, i, 32);
      i += 32;
    }
    System.arraycopy(TREE_HASH, 0, out, i, 32);
    Fixed.putUint64LE(out, i + 32, length);
    Fixed.putUint64LE(out, i + 40, fork);
    return out;
  }

  /** Flips one bit of each of the first {@code bytes} bytes of {@code sig}. */
  private static void assertEveryBitFlipRejected(Verifier v, long length, long fork, byte[] sig, int bytes) {
    for (int i = 0; i < bytes; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 1 << (i % 8);
      assertFalse(v.verify(TREE_HASH, length, fork, bad), "flipped byte " + i);
    }
  }

  @Test
  void defaultManifestSignsTheKeyedHeadAndStoresAMultiSignature() {
    Manifest m = Manifest.defaultSigner(A.publicKey());
    Verifier v = Verifier.of(m.hash(), m);
    assertFalse(v.isCompat());
    Signer s = m.signers().get(0);
    assertArrayEquals(head(m.hash(), 7, 2), v.signable(TREE_HASH, 7, 2, s));
    byte[] sig = v.sign(TREE_HASH, 7, 2, A);
    assertEquals(68, sig.length);
    assertEquals("0100", HEX.formatHex(sig, 0, 2));
    assertEquals("0000", HEX.formatHex(sig, 66, 68));
    assertTrue(Ed25519.verify(head(m.hash(), 7, 2), Arrays.copyOfRange(sig, 2, 66), A.publicKey()));
    assertTrue(v.verify(TREE_HASH, 7, 2, sig));
    assertFalse(v.verify(TREE_HASH, 8, 2, sig));
    assertFalse(v.verify(TREE_HASH, 7, 3, sig));
    assertFalse(v.verify(filled(8), 7, 2, sig));
    assertFalse(v.verify(TREE_HASH, 7, 2, null));
    // Bytes 66 and 67 are the patch length and patch-node count: without allowPatch a patch is
    // ignored, by JS as well, so only the count, signer index and signature bytes must matter.
    assertEveryBitFlipRejected(v, 7, 2, sig, 66);
  }

  @Test
  void compatCoreSignsTheShortHeadWithARawSignature() {
    Manifest m = Manifest.defaultSigner(A.publicKey());
    Verifier v = Verifier.of(A.publicKey(), m);
    assertTrue(v.isCompat());
    assertArrayEquals(head(null, 5, 0), v.signable(TREE_HASH, 5, 0, m.signers().get(0)));
    byte[] sig = v.sign(TREE_HASH, 5, 0, A);
    assertArrayEquals(Ed25519.sign(head(null, 5, 0), A), sig);
    assertTrue(v.verify(TREE_HASH, 5, 0, sig));
    assertEveryBitFlipRejected(v, 5, 0, sig, 64);
  }

  @Test
  void v0ManifestUsesTheSignerNamespaceAsContext() {
    Manifest m = Manifest.v0Signer(A.publicKey());
    Verifier v = Verifier.of(m.hash(), m);
    assertFalse(v.isCompat());
    byte[] sig = v.sign(TREE_HASH, 3, 1, A);
    assertArrayEquals(Ed25519.sign(head(Caps.DEFAULT_NAMESPACE, 3, 1), A), sig);
    assertTrue(v.verify(TREE_HASH, 3, 1, sig));
    assertEveryBitFlipRejected(v, 3, 1, sig, 64);
  }

  @Test
  void aKeyPairThatIsNotASignerCannotSign() {
    Manifest m = Manifest.defaultSigner(A.publicKey());
    HypercoreException e = assertThrows(HypercoreException.class, () -> Verifier.of(m.hash(), m).sign(TREE_HASH, 1, 0, B));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }

  private static Manifest twoOfThree() {
    List<Signer> signers = List.of(
        new Signer(Caps.DEFAULT_NAMESPACE, A.publicKey()),
        new Signer(Caps.DEFAULT_NAMESPACE, B.publicKey()),
        new Signer(Caps.DEFAULT_NAMESPACE, C.publicKey()));
    return new Manifest(1, false, 2, signers, null, null, null);
  }

  private static byte[] multi(Verifier v, int... signers) {
    KeyPair[] kps = {A, B, C};
    List<MultiSignature.Proof> proofs = new ArrayList<>();
    for (int s : signers) proofs.add(new MultiSignature.Proof(s, v.sign(TREE_HASH, 4, 0, kps[s]), 0));
    return new MultiSignature(proofs, List.of()).encode();
  }

  @Test
  void quorumNeedsThatManyDistinctValidSigners() {
    Manifest m = twoOfThree();
    Verifier v = Verifier.of(m.hash(), m);
    assertEquals(64, v.sign(TREE_HASH, 4, 0, A).length, "a multi-signer manifest signs raw");
    assertTrue(v.verify(TREE_HASH, 4, 0, multi(v, 0, 1)));
    assertTrue(v.verify(TREE_HASH, 4, 0, multi(v, 2, 0)));
    assertTrue(v.verify(TREE_HASH, 4, 0, multi(v, 1, 2, 0)));
    assertFalse(v.verify(TREE_HASH, 4, 0, multi(v, 1)), "one proof for quorum 2");
    assertFalse(v.verify(TREE_HASH, 4, 0, multi(v, 1, 1)), "the same signer twice");
    byte[] wrongIndex = new MultiSignature(List.of(
        new MultiSignature.Proof(0, v.sign(TREE_HASH, 4, 0, A), 0),
        new MultiSignature.Proof(3, v.sign(TREE_HASH, 4, 0, B), 0)), List.of()).encode();
    assertFalse(v.verify(TREE_HASH, 4, 0, wrongIndex), "signer index out of range");
    byte[] swapped = new MultiSignature(List.of(
        new MultiSignature.Proof(1, v.sign(TREE_HASH, 4, 0, A), 0),
        new MultiSignature.Proof(0, v.sign(TREE_HASH, 4, 0, B), 0)), List.of()).encode();
    assertFalse(v.verify(TREE_HASH, 4, 0, swapped), "signatures under the wrong signer index");
  }

  @Test
  void malformedSignatureBytesAreInvalidNotAnException() {
    Manifest m = twoOfThree();
    Verifier v = Verifier.of(m.hash(), m);
    Random rnd = TestSeeds.random("VerifierTest.malformedSignatureBytesAreInvalidNotAnException");
    byte[] good = multi(v, 0, 1);
    for (int len = 0; len < good.length; len++) assertFalse(v.verify(TREE_HASH, 4, 0, Arrays.copyOf(good, len)));
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = new byte[rnd.nextInt(200)];
      rnd.nextBytes(junk);
      assertFalse(v.verify(TREE_HASH, 4, 0, junk));
    }
  }

  @Test
  void prologueHeadsAreValidWithoutASignature() {
    Prologue p = new Prologue(Key32.of(TREE_HASH), 10);
    Manifest m = new Manifest(1, false, 1, List.of(new Signer(Caps.DEFAULT_NAMESPACE, A.publicKey())), p, null, null);
    Verifier v = Verifier.of(m.hash(), m);
    assertTrue(v.verify(TREE_HASH, 10, 0, null));
    assertFalse(v.verify(filled(8), 10, 0, null));
    assertFalse(v.verify(TREE_HASH, 9, 0, null));
    assertFalse(v.verify(TREE_HASH, 11, 0, null));
    assertTrue(v.verify(TREE_HASH, 11, 0, v.sign(TREE_HASH, 11, 0, A)));
  }
}
