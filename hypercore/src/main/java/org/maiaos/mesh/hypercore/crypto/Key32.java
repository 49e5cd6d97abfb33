package org.maiaos.mesh.hypercore.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.CoreError;

/** An immutable 32-byte value: a key, a discovery key, a hash. */
public final class Key32 {
  public static final int BYTES = 32;
  private final byte[] bytes;

  private Key32(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}, which must be exactly 32 bytes long. */
  public static Key32 of(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw CoreError.BAD_ARGUMENT.error("expected 32 bytes, got %s", bytes == null ? "null" : bytes.length);
    }
    return new Key32(bytes.clone());
  }

  /** Parses 64 hex characters. */
  public static Key32 fromHex(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw CoreError.BAD_ARGUMENT.error("expected 64 hex characters, got %s", hex == null ? "null" : hex.length());
    }
    try {
      return new Key32(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw CoreError.BAD_ARGUMENT.error("not hex: %s", hex);
    }
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes without a copy, for this package's hot paths; callers must not write to it. */
  byte[] unsafeBytes() {
    return bytes;
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key32 k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
