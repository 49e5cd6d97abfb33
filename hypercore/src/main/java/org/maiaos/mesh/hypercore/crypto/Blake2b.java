package org.maiaos.mesh.hypercore.crypto;

import org.maiaos.mesh.hypercore.CoreError;

/**
 * BLAKE2b with a 32-byte output, plain and keyed (libsodium {@code crypto_generichash}). The hash of
 * several parts equals the hash of their concatenation, which is what hypercore-crypto's batch
 * hashing does, so callers concatenate into one array and pay one native call.
 */
public final class Blake2b {
  public static final int BYTES = 32;

  private Blake2b() {}

  public static byte[] hash(byte[] input) {
    return hash(input, 0, input.length);
  }

  /** Hashes {@code input[0, len)}. */
  public static byte[] hash(byte[] input, int off, int len) {
    byte[] in = input;
    if (off != 0) {
      in = java.util.Arrays.copyOfRange(input, off, off + len);
    }
    byte[] out = new byte[BYTES];
    if (Sodium.get().crypto_generichash(out, BYTES, in, len, null, 0) != 0) {
      throw CoreError.ASSERTION.error("crypto_generichash failed");
    }
    return out;
  }

  /** Hashes the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] all = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, i, p.length);
      i += p.length;
    }
    return hash(all);
  }

  /** Keyed BLAKE2b-256 of {@code input} under {@code key} (16..64 bytes). */
  public static byte[] keyed(byte[] key, byte[] input) {
    byte[] out = new byte[BYTES];
    if (Sodium.get().crypto_generichash(out, BYTES, input, input.length, key, key.length) != 0) {
      throw CoreError.BAD_ARGUMENT.error("crypto_generichash rejected a %d-byte key", key.length);
    }
    return out;
  }
}
