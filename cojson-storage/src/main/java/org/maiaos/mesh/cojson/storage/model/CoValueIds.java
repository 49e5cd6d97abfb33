package org.maiaos.mesh.cojson.storage.model;

import java.nio.charset.StandardCharsets;

/** CoValue IDs: {@code co_z} + base58(BLAKE3(canonical header JSON)[0..19]) ({@code coValueCore.ts idforHeader}). */
public final class CoValueIds {
  /** cojson's {@code shortHashLength}. */
  public static final int SHORT_HASH_BYTES = 19;
  public static final String PREFIX = "co_z";

  private CoValueIds() {}

  /** The ID committed to by {@code canonicalHeaderJson}. */
  public static String forCanonicalHeader(String canonicalHeaderJson) {
    return PREFIX + Base58.encode(Blake3.hash(canonicalHeaderJson.getBytes(StandardCharsets.UTF_8), SHORT_HASH_BYTES));
  }

  /** {@code co_z} followed by 1..maxChars-4 base58 characters. */
  public static boolean isWellFormed(String id, int maxChars) {
    return id.length() > PREFIX.length() && id.length() <= maxChars && id.startsWith(PREFIX)
        && Base58.isBase58(id.subSequence(PREFIX.length(), id.length()));
  }
}
