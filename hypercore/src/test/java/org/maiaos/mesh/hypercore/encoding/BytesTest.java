package org.maiaos.mesh.hypercore.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maiaos.mesh.hypercore.encoding.UintTest.assertDecodingError;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class BytesTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] encode(byte[] b) {
    State s = new State();
    Bytes.preencode(s, b);
    s.alloc();
    Bytes.encode(s, b);
    assertEquals(s.end, s.start);
    return s.buffer;
  }

  @Test
  void bufferIsALengthPrefix() {
    assertEquals("00", HEX.formatHex(encode(new byte[0])));
    assertEquals("03616263", HEX.formatHex(encode("abc".getBytes())));
    byte[] big = new byte[0xFD];
    byte[] enc = encode(big);
    assertEquals("fdfd00", HEX.formatHex(enc, 0, 3));
    assertArrayEquals(big, Bytes.decode(State.of(enc)));
  }

  @Test
  void rejectsALengthPastTheEndBeforeAllocating() {
    assertDecodingError(() -> Bytes.decode(State.of(HEX.parseHex("036162"))));
    // 2^53-1 bytes declared, 0 present: must fail on the bound, not on an allocation.
    assertDecodingError(() -> Bytes.decode(State.of(HEX.parseHex("ffffffffffffff1f00"))));
    assertDecodingError(() -> Bytes.decode(State.of(HEX.parseHex("feffffff7f00"))));
  }

  @Test
  void rejectsEveryTruncationOfAnEncodedBuffer() {
    byte[] full = encode(new byte[300]);
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertDecodingError(() -> Bytes.decode(State.of(cut)));
    }
  }

  @Test
  void optionalBufferReadsZeroLengthAsNull() {
    State s = new State();
    Bytes.preencodeOptional(s, null);
    Bytes.preencodeOptional(s, new byte[] {7});
    s.alloc();
    Bytes.encodeOptional(s, null);
    Bytes.encodeOptional(s, new byte[] {7});
    assertEquals("000107", HEX.formatHex(s.buffer));
    State r = State.of(s.buffer);
    assertNull(Bytes.decodeOptional(r));
    assertArrayEquals(new byte[] {7}, Bytes.decodeOptional(r));
  }

  @Test
  void stringIsUtf8WithAByteLength() {
    String str = "h\u00e9\uD83D\uDE00";
    State s = new State();
    Bytes.preencodeString(s, str);
    s.alloc();
    Bytes.encodeString(s, str);
    assertEquals(1 + 1 + 2 + 4, s.buffer.length);
    assertEquals(7, s.buffer[0]);
    assertEquals(str, Bytes.decodeString(State.of(s.buffer)));
  }

  @Test
  void rawTakesTheRestAndBoolTakesOneByte() {
    byte[] b = HEX.parseHex("0100aabb");
    State s = State.of(b);
    assertTrue(Bytes.decodeBool(s));
    assertFalse(Bytes.decodeBool(s));
    assertEquals("aabb", HEX.formatHex(Bytes.decodeRaw(s)));
    assertEquals(0, s.remaining());
    assertDecodingError(() -> Bytes.decodeBool(s));
  }

  @Test
  void stateRejectsTrailingBytesAndBadWindows() {
    State s = State.of(new byte[2]);
    s.start = 1;
    assertDecodingError(s::requireEnd);
    HypercoreException e = assertThrows(HypercoreException.class, () -> State.of(new byte[2], 1, 3));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    e = assertThrows(HypercoreException.class, () -> State.of(new byte[2], 2, 1));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    assertDecodingError(() -> State.of(new byte[2]).require(-1));
  }
}
