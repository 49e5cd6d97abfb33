package org.maiaos.mesh.hypercore.encoding;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Length-prefixed byte strings: compact-encoding {@code buffer} and {@code string}, the
 * {@code optionalBuffer} (null as a single zero byte) and {@code raw} (the rest of the input).
 */
public final class Bytes {
  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private Bytes() {}

  public static void preencode(State s, byte[] b) {
    Uint.preencode(s, b.length);
    s.end += b.length;
  }

  public static void encode(State s, byte[] b) {
    Uint.encode(s, b.length);
    System.arraycopy(b, 0, s.buffer, s.start, b.length);
    s.start += b.length;
  }

  /** Decodes a buffer whose declared length is checked against the bytes left before copying. */
  public static byte[] decode(State s) {
    long n = Uint.decode(s);
    s.require(n);
    byte[] out = java.util.Arrays.copyOfRange(s.buffer, s.start, s.start + (int) n);
    s.start += (int) n;
    return out;
  }

  public static void preencodeOptional(State s, byte[] b) {
    if (b == null) s.end++;
    else preencode(s, b);
  }

  public static void encodeOptional(State s, byte[] b) {
    if (b == null) Uint.encode(s, 0);
    else encode(s, b);
  }

  /** {@code optionalBuffer}: a zero length reads as null. */
  public static byte[] decodeOptional(State s) {
    byte[] b = decode(s);
    return b.length == 0 ? null : b;
  }

  public static void preencodeString(State s, String str) {
    preencode(s, utf8(str));
  }

  public static void encodeString(State s, String str) {
    encode(s, utf8(str));
  }

  /**
   * UTF-8 as JS encodes it: a lone surrogate becomes U+FFFD ({@code EF BF BD}), where
   * {@link String#getBytes} would write {@code ?}.
   */
  public static byte[] utf8(String str) {
    CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(REPLACEMENT);
    try {
      ByteBuffer bb = enc.encode(CharBuffer.wrap(str));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw CoreError.ASSERTION.error("UTF-8 encoding with replacement failed: %s", e);
    }
  }

  public static String decodeString(State s) {
    return new String(decode(s), StandardCharsets.UTF_8);
  }

  public static void preencodeRaw(State s, byte[] b) {
    s.end += b.length;
  }

  public static void encodeRaw(State s, byte[] b) {
    System.arraycopy(b, 0, s.buffer, s.start, b.length);
    s.start += b.length;
  }

  public static byte[] decodeRaw(State s) {
    byte[] out = java.util.Arrays.copyOfRange(s.buffer, s.start, s.end);
    s.start = s.end;
    return out;
  }

  public static void preencodeBool(State s) {
    s.end++;
  }

  public static void encodeBool(State s, boolean v) {
    s.buffer[s.start++] = (byte) (v ? 1 : 0);
  }

  public static boolean decodeBool(State s) {
    s.require(1);
    return s.buffer[s.start++] == 1; // as JS: any byte but 1 reads as false
  }
}
