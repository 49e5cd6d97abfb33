package org.maiaos.mesh.hypercore.crypto;

import org.maiaos.mesh.hypercore.CoreError;

/** libsodium's {@code crypto_aead_chacha20poly1305_ietf}: 32-byte key, 12-byte nonce, 16-byte tag. */
public final class ChaCha20Poly1305 {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private ChaCha20Poly1305() {}

  public static byte[] encrypt(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) {
    check(key, nonce);
    byte[] c = new byte[plaintext.length + TAG_BYTES];
    int adLen = ad == null ? 0 : ad.length;
    if (Sodium.get().crypto_aead_chacha20poly1305_ietf_encrypt(c, null, plaintext, plaintext.length, ad, adLen, null, nonce, key) != 0) {
      throw CoreError.ASSERTION.error("crypto_aead_chacha20poly1305_ietf_encrypt failed");
    }
    return c;
  }

  /** Throws DECODING_ERROR if {@code ciphertext} is shorter than the tag or does not authenticate. */
  public static byte[] decrypt(byte[] key, byte[] nonce, byte[] ad, byte[] ciphertext) {
    check(key, nonce);
    if (ciphertext.length < TAG_BYTES) {
      throw CoreError.DECODING_ERROR.error("ciphertext of %d bytes is shorter than its tag", ciphertext.length);
    }
    byte[] m = new byte[ciphertext.length - TAG_BYTES];
    int adLen = ad == null ? 0 : ad.length;
    if (Sodium.get().crypto_aead_chacha20poly1305_ietf_decrypt(m, null, null, ciphertext, ciphertext.length, ad, adLen, nonce, key) != 0) {
      throw CoreError.DECODING_ERROR.error("ciphertext does not authenticate");
    }
    return m;
  }

  private static void check(byte[] key, byte[] nonce) {
    if (key == null || key.length != KEY_BYTES || nonce == null || nonce.length != NONCE_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("ChaCha20-Poly1305 needs a 32-byte key and a 12-byte nonce");
    }
  }
}
