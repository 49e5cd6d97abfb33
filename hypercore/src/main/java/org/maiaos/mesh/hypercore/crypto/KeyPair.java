package org.maiaos.mesh.hypercore.crypto;

import java.util.Arrays;

/**
 * An Ed25519 key pair in libsodium's layout: the secret key is 64 bytes, {@code seed || publicKey}.
 * The secret key never appears in {@link #toString()}.
 */
public final class KeyPair {
  private final Key32 publicKey;
  private final byte[] secretKey;

  KeyPair(Key32 publicKey, byte[] secretKey) {
    this.publicKey = publicKey;
    this.secretKey = secretKey;
  }

  public Key32 publicKey() {
    return publicKey;
  }

  /** A copy of the 64-byte secret key, or null for a verify-only pair. */
  public byte[] secretKey() {
    return secretKey == null ? null : secretKey.clone();
  }

  byte[] unsafeSecretKey() {
    return secretKey;
  }

  /** The 32-byte seed the pair was derived from (the first half of the secret key). */
  public byte[] seed() {
    return secretKey == null ? null : Arrays.copyOf(secretKey, 32);
  }

  @Override
  public String toString() {
    return "KeyPair[" + publicKey.hex() + "]";
  }
}
