package org.maiaos.mesh.cojson.storage.model;

import java.math.BigInteger;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;

/** Base58 with the Bitcoin alphabet, as {@code @scure/base}'s {@code base58} and Rust's {@code bs58} write it. */
public final class Base58 {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) INDEX[ALPHABET.charAt(i)] = i;
  }

  private Base58() {}

  /**
   * Encodes {@code bytes}; each leading zero byte becomes a leading '1'. Base-256 to base-58 digit
   * by digit in an int array (every id and signature passes here; BigInteger division cost more).
   */
  public static String encode(byte[] bytes) {
    int zeros = 0;
    while (zeros < bytes.length && bytes[zeros] == 0) zeros++;
    // log(256) / log(58) < 1.366: digits needed for the rest
    byte[] digits = new byte[(bytes.length - zeros) * 1366 / 1000 + 1];
    int used = 0; // base-58 digits so far, least significant first
    for (int i = zeros; i < bytes.length; i++) {
      int carry = bytes[i] & 0xff;
      for (int j = 0; j < used; j++) {
        carry += (digits[j] & 0xff) << 8;
        digits[j] = (byte) (carry % 58);
        carry /= 58;
      }
      while (carry > 0) {
        digits[used++] = (byte) (carry % 58);
        carry /= 58;
      }
    }
    char[] out = new char[zeros + used];
    java.util.Arrays.fill(out, 0, zeros, '1');
    for (int j = 0; j < used; j++) out[zeros + j] = ALPHABET.charAt(digits[used - 1 - j]);
    return new String(out);
  }

  /** Decodes {@code text}; BAD_ARGUMENT on a character outside the alphabet. */
  public static byte[] decode(String text) {
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') zeros++;
    BigInteger n = BigInteger.ZERO;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? INDEX[c] : -1;
      if (v < 0) throw CoreError.BAD_ARGUMENT.error("not base58: character %d of %d", i, text.length());
      n = n.multiply(BASE).add(BigInteger.valueOf(v));
    }
    byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = body.length > 0 && body[0] == 0 ? 1 : 0; // BigInteger's sign byte
    byte[] out = new byte[zeros + body.length - skip];
    System.arraycopy(body, skip, out, zeros, body.length - skip);
    return out;
  }

  /** True when every character of {@code text} is in the alphabet (and it is not empty). */
  public static boolean isBase58(CharSequence text) {
    if (text.length() == 0) return false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 128 || INDEX[c] < 0) return false;
    }
    return true;
  }
}
