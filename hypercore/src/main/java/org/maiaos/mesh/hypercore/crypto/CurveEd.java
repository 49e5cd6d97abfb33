package org.maiaos.mesh.hypercore.crypto;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The "Ed25519" Diffie-Hellman of noise-curve-ed: the local scalar is derived from the Ed25519 seed
 * as Ed25519 signing does (SHA-512, clamped), and multiplied with the remote Ed25519 public key by
 * {@code crypto_scalarmult_ed25519_noclamp}. The output is a compressed Edwards point, not an X25519
 * value. libsodium refuses non-canonical, small-order and off-subgroup points and an identity
 * result; that refusal is a DECODING_ERROR here, as it fails the handshake in JS.
 */
public final class CurveEd {
  public static final int DH_BYTES = 32;

  private CurveEd() {}

  public static byte[] dh(Key32 remotePublicKey, KeyPair local) {
    byte[] sk = local.unsafeSecretKey();
    if (sk == null) throw CoreError.BAD_ARGUMENT.error("DH needs a secret key");
    byte[] h = new byte[64];
    if (Sodium.get().crypto_hash_sha512(h, sk, 32) != 0) {
      throw CoreError.ASSERTION.error("crypto_hash_sha512 failed");
    }
    byte[] scalar = Arrays.copyOf(h, 32);
    Arrays.fill(h, (byte) 0);
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
    byte[] out = new byte[DH_BYTES];
    int rc = SodiumExtra.crypto_scalarmult_ed25519_noclamp(out, scalar, remotePublicKey.unsafeBytes());
    Arrays.fill(scalar, (byte) 0);
    if (rc != 0) throw CoreError.DECODING_ERROR.error("remote key %s is not a usable Ed25519 point", remotePublicKey.hex());
    return out;
  }
}
