package org.maiaos.mesh.hypercore.encoding;

import org.maiaos.mesh.hypercore.CoreError;

/**
 * compact-encoding {@code uint}: 1 byte up to 0xFC, else a marker (FD/FE/FF) and 2/4/8 bytes LE.
 * Values are JS numbers, so anything above 2^53-1 is refused on both sides.
 */
public final class Uint {
  /** Number.MAX_SAFE_INTEGER: the largest uint JS can represent exactly. */
  public static final long MAX_SAFE = (1L << 53) - 1;

  private Uint() {}

  public static int size(long n) {
    if (n < 0 || n > MAX_SAFE) throw CoreError.BAD_ARGUMENT.error("uint out of range: %d", n);
    if (n <= 0xFC) return 1;
    if (n <= 0xFFFF) return 3;
    if (n <= 0xFFFFFFFFL) return 5;
    return 9;
  }

  public static void preencode(State s, long n) {
    s.end += size(n);
  }

  public static void encode(State s, long n) {
    byte[] b = s.buffer;
    int i = s.start;
    if (n <= 0xFC) {
      b[i++] = (byte) n;
    } else if (n <= 0xFFFF) {
      b[i++] = (byte) 0xFD;
      i = Fixed.putLE(b, i, n, 2);
    } else if (n <= 0xFFFFFFFFL) {
      b[i++] = (byte) 0xFE;
      i = Fixed.putLE(b, i, n, 4);
    } else {
      b[i++] = (byte) 0xFF;
      i = Fixed.putLE(b, i, n, 8);
    }
    s.start = i;
  }

  public static long decode(State s) {
    s.require(1);
    int a = s.buffer[s.start++] & 0xFF;
    if (a <= 0xFC) return a;
    int width = a == 0xFD ? 2 : a == 0xFE ? 4 : 8;
    s.require(width);
    long n = Fixed.getLE(s.buffer, s.start, width);
    s.start += width;
    if (n < 0 || n > MAX_SAFE) throw CoreError.DECODING_ERROR.error("uint exceeds 2^53-1");
    return n;
  }

  /** Decodes a uint that must fit {@code max} (inclusive), e.g. a count or an index. */
  public static long decode(State s, long max) {
    long n = decode(s);
    if (n > max) throw CoreError.DECODING_ERROR.error("value %d over limit %d", n, max);
    return n;
  }

  /** Decodes a uint that is an element count: each element takes at least one byte. */
  public static int decodeCount(State s, int maxCount) {
    long n = decode(s);
    if (n > maxCount || n > s.remaining()) {
      throw CoreError.DECODING_ERROR.error("count %d over limit (max %d, %d bytes left)", n, maxCount, s.remaining());
    }
    return (int) n;
  }
}
