package org.maiaos.mesh.cojson.storage.model;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** BLAKE3 (Bouncy Castle's {@link Blake3Digest}); a shorter output is a prefix of the 32-byte hash. */
public final class Blake3 {
  public static final int HASH_BYTES = 32;

  private Blake3() {}

  /** The first {@code outLen} (at most 32) bytes of BLAKE3({@code input}). */
  public static byte[] hash(byte[] input, int outLen) {
    if (outLen < 0 || outLen > HASH_BYTES) throw new IllegalArgumentException("outLen " + outLen);
    Blake3Digest d = new Blake3Digest();
    d.update(input, 0, input.length);
    byte[] out = new byte[HASH_BYTES];
    d.doFinal(out, 0);
    return outLen == HASH_BYTES ? out : Arrays.copyOf(out, outLen);
  }
}
