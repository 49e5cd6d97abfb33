package org.maiaos.mesh.hypercore.manifest;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.Fixed;

/**
 * Signs and verifies a core's tree heads as {@code lib/verifier.js} does: what is signed (the
 * signable, §6.1 of the format notes) and the bytes stored as the signature (raw 64 bytes for
 * compat and v0 single-signer cores, a {@link MultiSignature} otherwise).
 *
 * <p>Multisig patches (a signer counting towards quorum with a signature over a longer tree) are
 * not supported: such a proof is rejected when the manifest allows patching.
 */
public final class Verifier {
  private final Key32 key;
  private final Manifest manifest;
  private final boolean compat;
  private final int version;

  private Verifier(Key32 key, Manifest manifest, boolean compat) {
    this.key = key;
    this.manifest = manifest;
    this.compat = compat;
    this.version = compat ? 0 : manifest.version();
  }

  /** The verifier of the core {@code key} with {@code manifest}; compat when key = the signer's key. */
  public static Verifier of(Key32 key, Manifest manifest) {
    return new Verifier(key, manifest, manifest.isCompatWith(key));
  }

  public boolean isCompat() {
    return compat;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The bytes a signer signs for the tree head (treeHash, length, fork). */
  public byte[] signable(byte[] treeHash, long length, long fork, Signer signer) {
    if (compat) {
      byte[] out = new byte[80];
      System.arraycopy(Caps.TREE.toByteArray(), 0, out, 0, 32);
      System.arraycopy(treeHash, 0, out, 32, 32);
      Fixed.putUint64LE(out, 64, length);
      Fixed.putUint64LE(out, 72, fork);
      return out;
    }
    Key32 ctx = version == 0 ? signer.namespace() : key;
    byte[] out = new byte[112];
    System.arraycopy(Caps.TREE.toByteArray(), 0, out, 0, 32);
    System.arraycopy(ctx.toByteArray(), 0, out, 32, 32);
    System.arraycopy(treeHash, 0, out, 64, 32);
    Fixed.putUint64LE(out, 96, length);
    Fixed.putUint64LE(out, 104, fork);
    return out;
  }

  /** Signs a tree head and returns the signature bytes exactly as JS hypercore stores them. */
  public byte[] sign(byte[] treeHash, long length, long fork, KeyPair keyPair) {
    for (Signer s : manifest.signers()) {
      if (!s.publicKey().equals(keyPair.publicKey())) continue;
      byte[] sig = Ed25519.sign(signable(treeHash, length, fork, s), keyPair);
      if (manifest.signers().size() != 1 || version == 0) return sig;
      return MultiSignature.single(sig).encode();
    }
    throw CoreError.BAD_ARGUMENT.error("public key %s is not a declared signer", keyPair.publicKey());
  }

  /** True when {@code signature} is a valid signature of the tree head under this manifest. */
  public boolean verify(byte[] treeHash, long length, long fork, byte[] signature) {
    if (version == 0) {
      if (signature == null) return false;
      if (compat || (!manifest.allowPatch() && manifest.signers().size() == 1)) {
        return Ed25519.verify(signable(treeHash, length, fork, manifest.signers().get(0)), signature, manifest.signers().get(0).publicKey());
      }
      return false; // v0 multi-signer (multiSignaturev0) cores are not supported
    }
    Prologue p = manifest.prologue();
    if (p != null && length <= p.length()) {
      return length == p.length() && Arrays.equals(treeHash, p.hash().toByteArray());
    }
    return verifyMulti(treeHash, length, fork, signature);
  }

  private boolean verifyMulti(byte[] treeHash, long length, long fork, byte[] signature) {
    if (signature == null || manifest.quorum() == 0) return false;
    MultiSignature multi;
    try {
      multi = MultiSignature.decode(signature);
    } catch (HypercoreException e) {
      return false;
    }
    if (multi.proofs().size() < manifest.quorum()) return false;
    boolean[] tried = new boolean[manifest.signers().size()];
    for (int i = 0; i < manifest.quorum(); i++) {
      MultiSignature.Proof proof = multi.proofs().get(i);
      if (proof.patch() > 0 && manifest.allowPatch()) return false;
      if (proof.signer() >= tried.length || tried[proof.signer()]) return false;
      tried[proof.signer()] = true;
      Signer s = manifest.signers().get(proof.signer());
      if (!Ed25519.verify(signable(treeHash, length, fork, s), proof.signature(), s.publicKey())) return false;
    }
    return true;
  }
}
