package org.maiaos.mesh.hypercore.crypto;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * BLAKE2b with a 64-byte output, and HMAC over it: the hash of Noise
 * {@code Noise_*_Ed25519_ChaChaPoly_BLAKE2b} as noise-handshake computes it ({@code hmac.js}: block
 * 128 bytes, a longer key is hashed first, {@code ipad 0x36}, {@code opad 0x5c}).
 */
public final class Blake2b512 {
  public static final int BYTES = 64;
  static final int BLOCK_BYTES = 128;

  private Blake2b512() {}

  /** BLAKE2b-512 of the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    byte[] in = concat(parts);
    byte[] out = new byte[BYTES];
    if (Sodium.get().crypto_generichash(out, BYTES, in, in.length, null, 0) != 0) {
      throw CoreError.ASSERTION.error("crypto_generichash failed");
    }
    return out;
  }

  /** HMAC-BLAKE2b-512 of the concatenation of {@code parts} under {@code key}. */
  public static byte[] hmac(byte[] key, byte[]... parts) {
    byte[] k = key.length > BLOCK_BYTES ? hash(key) : key;
    byte[] inner = new byte[BLOCK_BYTES];
    byte[] outer = new byte[BLOCK_BYTES];
    for (int i = 0; i < BLOCK_BYTES; i++) {
      byte b = i < k.length ? k[i] : 0;
      inner[i] = (byte) (b ^ 0x36);
      outer[i] = (byte) (b ^ 0x5c);
    }
    byte[][] innerParts = new byte[parts.length + 1][];
    innerParts[0] = inner;
    System.arraycopy(parts, 0, innerParts, 1, parts.length);
    byte[] innerHash = hash(innerParts);
    byte[] out = hash(outer, innerHash);
    Arrays.fill(inner, (byte) 0);
    Arrays.fill(outer, (byte) 0);
    return out;
  }

  private static byte[] concat(byte[][] parts) {
    if (parts.length == 1) return parts[0];
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, i, p.length);
      i += p.length;
    }
    return all;
  }
}
