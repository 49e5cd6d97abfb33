package org.maiaos.mesh.hyperswarm.secretstream;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Blake2b512;
import org.maiaos.mesh.hypercore.crypto.ChaCha20Poly1305;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * Noise's SymmetricState with its CipherState, as noise-handshake 4.2.0 runs it
 * ({@code symmetric-state.js}, {@code cipher.js}, {@code hkdf.js}): BLAKE2b-512 for h and ck, HKDF
 * over HMAC-BLAKE2b-512 with an empty info, ChaCha20-Poly1305 IETF with the nonce
 * {@code 00000000 || u64le(n)} and h as associated data.
 */
final class SymmetricState {
  static final int HASH_BYTES = Blake2b512.BYTES;
  /** noise-handshake refuses a ciphertext longer than a Noise message may be. */
  static final int MAX_MESSAGE_BYTES = 65_535;
  private static final byte[] EMPTY = new byte[0];

  private byte[] h;
  private byte[] ck;
  private byte[] k;
  private long n;

  SymmetricState(byte[] protocolName) {
    h = protocolName.length <= HASH_BYTES ? Arrays.copyOf(protocolName, HASH_BYTES) : Blake2b512.hash(protocolName);
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    h = Blake2b512.hash(h, data);
  }

  /** Mixes in a key pair's public key (a token {@code e} or a pre-message) and returns its 32 bytes. */
  byte[] mixPublicKey(KeyPair keyPair) {
    byte[] publicKey = keyPair.publicKey().toByteArray();
    mixHash(publicKey);
    return publicKey;
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial);
    ck = out[0];
    k = Arrays.copyOf(out[1], 32);
    n = 0;
  }

  boolean hasKey() {
    return k != null;
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] c = plaintext;
    if (k != null) {
      c = ChaCha20Poly1305.encrypt(k, nonce(n), h, plaintext);
      if (c.length > MAX_MESSAGE_BYTES) throw CoreError.BAD_ARGUMENT.error("Noise ciphertext of %d bytes over 65535", c.length);
      n++;
    }
    mixHash(c);
    return c;
  }

  byte[] decryptAndHash(byte[] ciphertext) {
    byte[] p = ciphertext;
    if (k != null) {
      if (ciphertext.length > MAX_MESSAGE_BYTES) {
        throw CoreError.DECODING_ERROR.error("Noise ciphertext of %d bytes over 65535", ciphertext.length);
      }
      p = ChaCha20Poly1305.decrypt(k, nonce(n), h, ciphertext);
      n++;
    }
    mixHash(ciphertext);
    return p;
  }

  /** The two 32-byte transport keys, in initiator order (initiator tx first). */
  byte[][] split() {
    byte[][] out = hkdf(ck, EMPTY);
    return new byte[][] {Arrays.copyOf(out[0], 32), Arrays.copyOf(out[1], 32)};
  }

  /**
   * The handshake's outcome for one side: {@link #split()} into its tx and rx keys, with the
   * handshake hash and the peer's static key; then the split keys and this state are wiped.
   */
  NoiseResult finish(boolean initiator, Key32 remoteStatic) {
    byte[][] keys = split();
    byte[] tx = initiator ? keys[0] : keys[1];
    byte[] rx = initiator ? keys[1] : keys[0];
    NoiseResult result = new NoiseResult(handshakeHash(), tx, rx, remoteStatic);
    Arrays.fill(keys[0], (byte) 0);
    Arrays.fill(keys[1], (byte) 0);
    clear();
    return result;
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  void clear() {
    Arrays.fill(ck, (byte) 0);
    if (k != null) Arrays.fill(k, (byte) 0);
    k = null;
  }

  /** HKDF with an empty info and two outputs: {@code T1 = HMAC(prk, 0x01)}, {@code T2 = HMAC(prk, T1 || 0x02)}. */
  static byte[][] hkdf(byte[] salt, byte[] inputKeyMaterial) {
    byte[] prk = Blake2b512.hmac(salt, inputKeyMaterial);
    byte[] t1 = Blake2b512.hmac(prk, new byte[] {1});
    byte[] t2 = Blake2b512.hmac(prk, t1, new byte[] {2});
    Arrays.fill(prk, (byte) 0);
    return new byte[][] {t1, t2};
  }

  private static byte[] nonce(long counter) {
    byte[] nonce = new byte[ChaCha20Poly1305.NONCE_BYTES];
    for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (counter >>> (8 * i));
    return nonce;
  }
}
