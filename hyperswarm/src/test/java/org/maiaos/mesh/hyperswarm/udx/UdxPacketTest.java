package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class UdxPacketTest {
  private static byte[] encode(UdxPacket p) {
    ByteBuf buf = Unpooled.buffer();
    try {
      p.encode(buf);
      assertEquals(p.encodedLength(), buf.readableBytes());
      byte[] out = new byte[buf.readableBytes()];
      buf.readBytes(out);
      return out;
    } finally {
      buf.release();
    }
  }

  private static UdxPacket decode(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return UdxPacket.decode(buf);
    } finally {
      buf.release();
    }
  }

  private static HypercoreException decodeFails(byte[] bytes) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> decode(bytes));
    assertEquals(CoreError.DECODING_ERROR, e.code());
    return e;
  }

  @Test
  void encodesTheHeaderLittleEndianAsLibudx() {
    UdxPacket p = UdxPacket.of(UdxPacket.DATA, 0x04030201, 0x00400000L, 7, 9, new byte[] {(byte) 0xAA, (byte) 0xBB});
    assertEquals("ff010100" + "01020304" + "00004000" + "07000000" + "09000000" + "aabb",
        HexFormat.of().formatHex(encode(p)));
  }

  @Test
  void roundTripsEveryShape() {
    List<UdxPacket> all = List.of(
        UdxPacket.of(0, 1, 4194304, 0, 0, new byte[0]),
        UdxPacket.of(UdxPacket.DATA | UdxPacket.END, -1, 0xFFFFFFFFL, -1, -2, new byte[1152]),
        UdxPacket.of(UdxPacket.DESTROY, 5, 0, 3, 4, new byte[0]),
        UdxPacket.of(UdxPacket.HEARTBEAT, 5, 100, 3, 4, new byte[0]),
        new UdxPacket(UdxPacket.SACK, 0, 9, 10, 11, 12, List.of(new UdxPacket.Sack(14, 16), new UdxPacket.Sack(20, 21)), new byte[0]),
        new UdxPacket(UdxPacket.DATA, 32, 9, 10, 11, 12, List.of(), new byte[] {1, 2, 3}),
        new UdxPacket(UdxPacket.SACK | UdxPacket.DATA, 8, 9, 10, 11, 12, List.of(new UdxPacket.Sack(1, 2)), new byte[] {4}));
    for (UdxPacket p : all) {
      assertEquals(p, decode(encode(p)), p.toString());
      assertArrayEquals(p.toBytes(), encode(p), p.toString()); // into a ByteBuf and into an array: the same bytes
    }
  }

  @Test
  void paddingIsSkippedAndNotPayload() {
    UdxPacket p = new UdxPacket(UdxPacket.DATA, 40, 1, 2, 3, 4, List.of(), new byte[] {9, 8});
    byte[] wire = encode(p);
    assertEquals(20 + 40 + 2, wire.length);
    assertArrayEquals(new byte[] {9, 8}, decode(wire).payload());
  }

  @Test
  void fiftySackBlocksFitAndFiftyOneDoNot() {
    byte[] wire = new byte[20 + 8 * 50];
    wire[0] = (byte) 0xFF;
    wire[1] = 1;
    wire[2] = UdxPacket.SACK;
    assertEquals(50, decode(wire).sacks().size());
    byte[] over = java.util.Arrays.copyOf(wire, 20 + 8 * 51);
    decodeFails(over);
  }

  @Test
  void rejectsATruncatedHeader() {
    byte[] wire = encode(UdxPacket.of(0, 1, 2, 3, 4, new byte[0]));
    for (int n = 0; n < 20; n++) decodeFails(java.util.Arrays.copyOf(wire, n));
  }

  @Test
  void rejectsABadMagicOrVersion() {
    byte[] wire = encode(UdxPacket.of(0, 1, 2, 3, 4, new byte[0]));
    wire[1] = 2;
    decodeFails(wire);
    assertFalse(UdxPacket.looksLikeUdx(Unpooled.wrappedBuffer(wire)));
    wire[1] = 1;
    wire[0] = (byte) 0xFE;
    decodeFails(wire);
  }

  @Test
  void rejectsADataOffsetPastTheEnd() {
    byte[] wire = encode(UdxPacket.of(UdxPacket.DATA, 1, 2, 3, 4, new byte[10]));
    wire[3] = 10;
    assertEquals(0, decode(wire).payload().length);
    wire[3] = 11;
    decodeFails(wire);
  }

  @Test
  void rejectsAPartialSackBlock() {
    byte[] wire = new byte[20 + 12];
    wire[0] = (byte) 0xFF;
    wire[1] = 1;
    wire[2] = UdxPacket.SACK;
    decodeFails(wire);
  }

  @Test
  void rejectsAnOversizedDatagram() {
    byte[] wire = new byte[UdxPacket.MAX_DATAGRAM_BYTES + 1];
    wire[0] = (byte) 0xFF;
    wire[1] = 1;
    decodeFails(wire);
    assertEquals(UdxPacket.MAX_DATAGRAM_BYTES - 20, decode(java.util.Arrays.copyOf(wire, UdxPacket.MAX_DATAGRAM_BYTES)).payload().length);
  }

  @Test
  void corruptedBytesNeverThrowAnythingButDecodingError() {
    java.util.Random rng = new java.util.Random(Long.getLong("test.seed", 7L));
    byte[] base = encode(new UdxPacket(UdxPacket.SACK, 0, 9, 10, 11, 12, List.of(new UdxPacket.Sack(14, 16)), new byte[0]));
    for (int i = 0; i < 10_000; i++) {
      byte[] w = base.clone();
      w[rng.nextInt(w.length)] ^= (byte) (1 + rng.nextInt(255));
      w = java.util.Arrays.copyOf(w, rng.nextInt(w.length + 20));
      try {
        decode(w);
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code());
      }
    }
  }

  @Test
  void sequenceNumbersCompareModuloTwoToThe32() {
    assertTrue(UdxPacket.seqDiff(0, -1) > 0);
    assertTrue(UdxPacket.seqDiff(-1, 0) < 0);
    assertEquals(2, UdxPacket.seqDiff(1, -1));
  }

  @Test
  void theRecordDoesNotShareItsPayload() {
    byte[] data = {1, 2, 3};
    UdxPacket p = UdxPacket.of(UdxPacket.DATA, 1, 2, 3, 4, data);
    data[0] = 9;
    p.payload()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, p.payload());
  }

  @Test
  void constructorRejectsInconsistentPackets() {
    assertThrows(HypercoreException.class, () -> new UdxPacket(0, 0, 1, 1, 1, 1, List.of(new UdxPacket.Sack(1, 2)), new byte[0]));
    assertThrows(HypercoreException.class, () -> new UdxPacket(UdxPacket.SACK, 0, 1, 1, 1, 1, List.of(new UdxPacket.Sack(1, 2)), new byte[1]));
    assertThrows(HypercoreException.class, () -> UdxPacket.of(UdxPacket.DATA, 1, 1, 1, 1, new byte[2048]));
    assertThrows(HypercoreException.class, () -> UdxPacket.of(256, 1, 1, 1, 1, new byte[0]));
  }
}
