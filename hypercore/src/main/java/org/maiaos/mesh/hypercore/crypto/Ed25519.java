package org.maiaos.mesh.hypercore.crypto;

import java.security.SecureRandom;
import org.maiaos.mesh.hypercore.CoreError;

/** Ed25519 through libsodium, so edge cases (small-order keys, non-canonical signatures) match JS. */
public final class Ed25519 {
  public static final int SIGNATURE_BYTES = 64;
  public static final int SEED_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ed25519() {}

  /** libsodium {@code crypto_sign_seed_keypair}. */
  public static KeyPair keyPair(byte[] seed) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("seed must be 32 bytes, got %s", seed == null ? "null" : seed.length);
    }
    byte[] pk = new byte[32];
    byte[] sk = new byte[64];
    Sodium.get().crypto_sign_seed_keypair(pk, sk, seed);
    return new KeyPair(Key32.of(pk), sk);
  }

  /** A fresh random key pair. */
  public static KeyPair keyPair() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return keyPair(seed);
  }

  /** A verify-only pair for a known public key. */
  public static KeyPair publicOnly(Key32 publicKey) {
    return new KeyPair(publicKey, null);
  }

  public static byte[] sign(byte[] message, KeyPair keyPair) {
    byte[] sk = keyPair.unsafeSecretKey();
    if (sk == null) throw CoreError.SESSION_NOT_WRITABLE.error("no secret key");
    byte[] sig = new byte[SIGNATURE_BYTES];
    if (Sodium.get().crypto_sign_detached(sig, null, message, message.length, sk) != 0) {
      throw CoreError.ASSERTION.error("crypto_sign_detached failed");
    }
    return sig;
  }

  /** As hypercore-crypto: false for a wrong-sized signature instead of an error. */
  public static boolean verify(byte[] message, byte[] signature, Key32 publicKey) {
    if (signature == null || signature.length != SIGNATURE_BYTES) return false;
    return Sodium.get().crypto_sign_verify_detached(signature, message, message.length, publicKey.unsafeBytes()) == 0;
  }
}
