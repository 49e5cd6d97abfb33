package org.maiaos.mesh.hypercore.encoding;

/** Fixed-width little-endian integers and raw fixed-size byte strings (fixed32, fixed64). */
public final class Fixed {
  private Fixed() {}

  static int putLE(byte[] b, int i, long n, int width) {
    for (int k = 0; k < width; k++) b[i++] = (byte) (n >>> (8 * k));
    return i;
  }

  static long getLE(byte[] b, int i, int width) {
    long n = 0;
    for (int k = 0; k < width; k++) n |= (b[i + k] & 0xFFL) << (8 * k);
    return n;
  }

  /** Writes {@code n} as 8 bytes little-endian at {@code off}; used by hash inputs too. */
  public static void putUint64LE(byte[] b, int off, long n) {
    putLE(b, off, n, 8);
  }

  public static long getUint64LE(byte[] b, int off) {
    return getLE(b, off, 8);
  }

  public static void preencodeUint64(State s) {
    s.end += 8;
  }

  public static void encodeUint64(State s, long n) {
    s.start = putLE(s.buffer, s.start, n, 8);
  }

  public static long decodeUint64(State s) {
    s.require(8);
    long n = getLE(s.buffer, s.start, 8);
    s.start += 8;
    return n;
  }

  public static void preencodeUint32(State s) {
    s.end += 4;
  }

  public static void encodeUint32(State s, long n) {
    s.start = putLE(s.buffer, s.start, n, 4);
  }

  public static long decodeUint32(State s) {
    s.require(4);
    long n = getLE(s.buffer, s.start, 4);
    s.start += 4;
    return n;
  }

  /** Preencodes {@code n} raw bytes. */
  public static void preencode(State s, int n) {
    s.end += n;
  }

  /** Encodes exactly {@code n} raw bytes (fixed32/fixed64); refuses a wrong length. */
  public static void encode(State s, byte[] bytes, int n) {
    if (bytes.length != n) throw org.maiaos.mesh.hypercore.CoreError.BAD_ARGUMENT.error("expected %d bytes, got %d", n, bytes.length);
    System.arraycopy(bytes, 0, s.buffer, s.start, n);
    s.start += n;
  }

  public static byte[] decode(State s, int n) {
    s.require(n);
    byte[] out = java.util.Arrays.copyOfRange(s.buffer, s.start, s.start + n);
    s.start += n;
    return out;
  }
}
