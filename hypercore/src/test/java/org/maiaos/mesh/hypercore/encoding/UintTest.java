package org.maiaos.mesh.hypercore.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class UintTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] encode(long n) {
    State s = new State();
    Uint.preencode(s, n);
    s.alloc();
    Uint.encode(s, n);
    assertEquals(s.end, s.start, "encode filled exactly the preencoded size");
    return s.buffer;
  }

  private static long decode(String hex) {
    State s = State.of(HEX.parseHex(hex));
    long n = Uint.decode(s);
    assertEquals(s.end, s.start, "decode consumed every byte");
    return n;
  }

  static void assertDecodingError(Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
  }

  @Test
  void encodesEachWidthAtItsBoundaries() {
    assertEquals("00", HEX.formatHex(encode(0)));
    assertEquals("fc", HEX.formatHex(encode(0xFC)));
    assertEquals("fdfd00", HEX.formatHex(encode(0xFD)));
    assertEquals("fdffff", HEX.formatHex(encode(0xFFFF)));
    assertEquals("fe00000100", HEX.formatHex(encode(0x10000)));
    assertEquals("feffffffff", HEX.formatHex(encode(0xFFFFFFFFL)));
    assertEquals("ff0000000001000000", HEX.formatHex(encode(0x100000000L)));
    assertEquals("ffffffffffffff1f00", HEX.formatHex(encode(Uint.MAX_SAFE)));
  }

  @Test
  void sizeMatchesTheEncodedLength() {
    long[] values = {0, 1, 0xFC, 0xFD, 0xFFFF, 0x10000, 0xFFFFFFFFL, 0x100000000L, Uint.MAX_SAFE};
    int[] sizes = {1, 1, 1, 3, 3, 5, 5, 9, 9};
    for (int i = 0; i < values.length; i++) {
      assertEquals(sizes[i], Uint.size(values[i]), "size of " + values[i]);
      assertEquals(sizes[i], encode(values[i]).length);
    }
  }

  @Test
  void roundTripsRandomValuesOfEveryWidth() {
    Random rnd = TestSeeds.random("UintTest.roundTripsRandomValuesOfEveryWidth");
    for (int i = 0; i < 10_000; i++) {
      int bits = 1 + rnd.nextInt(53);
      long n = rnd.nextLong() >>> (64 - bits);
      byte[] b = encode(n);
      State s = State.of(b);
      assertEquals(n, Uint.decode(s));
      assertEquals(0, s.remaining());
    }
  }

  @Test
  void refusesToEncodeAboveMaxSafeOrNegative() {
    for (long n : new long[] {Uint.MAX_SAFE + 1, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> Uint.preencode(new State(), n));
      assertEquals(CoreError.BAD_ARGUMENT, e.code());
    }
  }

  @Test
  void decodesNonCanonicalWidthsAsJsDoes() {
    assertEquals(5, decode("fd0500"));
    assertEquals(5, decode("fe05000000"));
    assertEquals(5, decode("ff0500000000000000"));
    assertEquals(0xFD, decode("fdfd00"));
    assertEquals(Uint.MAX_SAFE, decode("ffffffffffffff1f00"));
  }

  @Test
  void rejectsValuesOneOverMaxSafe() {
    assertDecodingError(() -> decode("ff0000000000002000")); // 2^53
    assertDecodingError(() -> decode("ffffffffffffffffff")); // would be negative as a long
    assertDecodingError(() -> decode("ff0000000000000080")); // 2^63
  }

  @Test
  void rejectsEveryTruncation() {
    for (String hex : new String[] {"fdffff", "feffffffff", "ffffffffffffff1f00"}) {
      byte[] full = HEX.parseHex(hex);
      for (int len = 0; len < full.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(full, len);
        assertDecodingError(() -> Uint.decode(State.of(cut)));
      }
    }
  }

  @Test
  void decodesWithinAWindowOnly() {
    byte[] b = HEX.parseHex("01fd0001");
    State s = State.of(b, 1, 3); // "fd 00" cut before its last byte
    assertDecodingError(() -> Uint.decode(s));
  }

  @Test
  void boundedDecodeRejectsOneOverTheLimit() {
    assertEquals(100, Uint.decode(State.of(encode(100)), 100));
    assertDecodingError(() -> Uint.decode(State.of(encode(101)), 100));
  }

  @Test
  void countMayNotExceedItsLimitOrTheBytesLeft() {
    byte[] ok = new byte[1 + 3];
    ok[0] = 3;
    assertEquals(3, Uint.decodeCount(State.of(ok), 10));
    byte[] overBytes = new byte[1 + 2];
    overBytes[0] = 3;
    assertDecodingError(() -> Uint.decodeCount(State.of(overBytes), 10));
    byte[] overLimit = new byte[1 + 11];
    overLimit[0] = 11;
    assertDecodingError(() -> Uint.decodeCount(State.of(overLimit), 10));
    assertDecodingError(() -> Uint.decodeCount(State.of(HEX.parseHex("feffffffff")), Integer.MAX_VALUE));
  }

  @Test
  void fixedWidthIntegersAreLittleEndian() {
    State s = new State();
    Fixed.preencodeUint32(s);
    Fixed.preencodeUint64(s);
    s.alloc();
    Fixed.encodeUint32(s, 0x01020304L);
    Fixed.encodeUint64(s, Uint.MAX_SAFE);
    assertEquals("04030201ffffffffffff1f00", HEX.formatHex(s.buffer));
    State r = State.of(s.buffer);
    assertEquals(0x01020304L, Fixed.decodeUint32(r));
    assertEquals(Uint.MAX_SAFE, Fixed.decodeUint64(r));
    assertDecodingError(() -> Fixed.decodeUint64(State.of(new byte[7])));
    assertDecodingError(() -> Fixed.decodeUint32(State.of(new byte[3])));
  }

  @Test
  void fixedBytesRejectShortInputAndWrongLengths() {
    assertDecodingError(() -> Fixed.decode(State.of(new byte[31]), 32));
    assertArrayEquals(new byte[32], Fixed.decode(State.of(new byte[32]), 32));
    State s = new State();
    Fixed.preencode(s, 32);
    s.alloc();
    HypercoreException e = assertThrows(HypercoreException.class, () -> Fixed.encode(s, new byte[31], 32));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }
}
