package org.maiaos.mesh.cojson.storage.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.cojson.storage.StorageError;

/** Internal. Unsigned varints and length-prefixed UTF-8, read with every length checked against what remains. */
final class Bytes {
  private Bytes() {}

  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer uvarint(long v) {
      if (v < 0) throw StorageError.ASSERTION.error("negative varint %d", v);
      while ((v & ~0x7fL) != 0) {
        out.write((int) (v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Writer string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  static final class Reader {
    private final byte[] b;
    private final String what;
    private int pos;

    Reader(byte[] b, String what) {
      this.b = b;
      this.what = what;
    }

    int remaining() {
      return b.length - pos;
    }

    int u8() {
      if (pos >= b.length) throw corrupt("truncated");
      return b[pos++] & 0xff;
    }

    long uvarint() {
      long v = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) return v;
      }
      throw corrupt("varint too long");
    }

    /** A count of items that each take at least one byte: never more than what remains. */
    int count() {
      long n = uvarint();
      if (n > remaining()) throw corrupt("count " + n + " exceeds the " + remaining() + " bytes left");
      return (int) n;
    }

    String string() {
      int n = count();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void end() {
      if (pos != b.length) throw corrupt((b.length - pos) + " trailing bytes");
    }

    RuntimeException corrupt(String detail) {
      return StorageError.STORAGE_CORRUPT.error("%s: %s", what, detail);
    }
  }
}
