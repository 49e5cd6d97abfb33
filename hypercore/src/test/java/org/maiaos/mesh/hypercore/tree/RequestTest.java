package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

class RequestTest {
  private static final HexFormat HEX = HexFormat.of();

  private static void assertDecodingError(byte[] bytes) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> Request.decode(bytes));
    assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
  }

  static long randomUint(Random rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> rnd.nextInt(0xFD);
      case 1 -> 0xFD + rnd.nextInt(0xFFFF - 0xFD);
      case 2 -> 0x10000L + rnd.nextInt(Integer.MAX_VALUE);
      case 3 -> Uint.MAX_SAFE;
      default -> rnd.nextLong(Uint.MAX_SAFE);
    };
  }

  static Request randomRequest(Random rnd) {
    return new Request(
        randomUint(rnd),
        randomUint(rnd),
        rnd.nextBoolean() ? new RequestBlock(randomUint(rnd), randomUint(rnd)) : null,
        rnd.nextBoolean() ? new RequestHash(randomUint(rnd), randomUint(rnd)) : null,
        rnd.nextBoolean() ? new RequestSeek(randomUint(rnd), randomUint(rnd)) : null,
        rnd.nextBoolean() ? new RequestUpgrade(randomUint(rnd), randomUint(rnd)) : null,
        rnd.nextBoolean(),
        rnd.nextBoolean() ? 0 : randomUint(rnd));
  }

  @Test
  void encodesTheCapturedRequestsByteForByte() {
    // the message bodies of s1/s7 frames in the wire notes (after channel and type)
    Request upgrade = new Request(1, 0, null, null, null, new RequestUpgrade(0, 5), true, 0);
    assertEquals("1801000005", HEX.formatHex(upgrade.encode()));
    Request block = new Request(1, 0, new RequestBlock(3, 2), null, null, null, false, 1);
    assertEquals("2101000302" + "01", HEX.formatHex(block.encode()));
    Request hash = new Request(43, 0, null, new RequestHash(2, 2), null, null, false, 0);
    assertEquals("022b000202", HEX.formatHex(hash.encode()));
    assertEquals(hash, Request.decode(HEX.parseHex("022b000202")));
  }

  @Test
  void roundTripsRandomRequests() {
    Random rnd = TestSeeds.random("RequestTest.roundTripsRandomRequests");
    for (int i = 0; i < 2000; i++) {
      Request r = randomRequest(rnd);
      byte[] bytes = r.encode();
      assertEquals(r, Request.decode(bytes));
      assertArrayEquals(bytes, Request.decode(bytes).encode());
    }
  }

  @Test
  void writesSeekAndUpgradeInFlagOrder() {
    Request r = new Request(7, 2, null, null, new RequestSeek(300, 8), new RequestUpgrade(4, 1), false, 0);
    assertEquals("0c" + "07" + "02" + "fd2c01" + "08" + "04" + "01", HEX.formatHex(r.encode()));
  }

  @Test
  void readsAnExplicitZeroPriorityAndDropsItWhenWriting() {
    Request r = Request.decode(HEX.parseHex("20010000"));
    assertEquals(0, r.priority());
    assertEquals("000100", HEX.formatHex(r.encode()));
  }

  @Test
  void ignoresUnknownFlagBitsAsJsDoes() {
    Request r = Request.decode(HEX.parseHex("400100"));
    assertNull(r.block());
    assertEquals(1, r.id());
  }

  @Test
  void rejectsEveryTruncation() {
    Random rnd = TestSeeds.random("RequestTest.rejectsEveryTruncation");
    for (int i = 0; i < 200; i++) {
      byte[] bytes = randomRequest(rnd).encode();
      for (int n = 0; n < bytes.length; n++) assertDecodingError(Arrays.copyOf(bytes, n));
    }
  }

  @Test
  void rejectsTrailingBytesWhenDecodingAWholeBuffer() {
    byte[] bytes = new Request(1, 0, null, null, null, null, false, 0).encode();
    assertDecodingError(Arrays.copyOf(bytes, bytes.length + 1));
    State s = State.of(Arrays.copyOf(bytes, bytes.length + 1));
    assertEquals(1, Request.decode(s).id()); // a stream decode leaves them to the caller
    assertEquals(1, s.remaining());
  }

  @Test
  void rejectsNumbersBeyondTwoToTheFiftyThree() {
    assertDecodingError(HEX.parseHex("01" + "ff0000000000002000" + "00" + "0000"));
    assertDecodingError(HEX.parseHex("00" + "01" + "ffffffffffffffffff"));
  }

  @Test
  void refusesToBuildNegativeFields() {
    assertThrows(HypercoreException.class, () -> new RequestBlock(-1, 0));
    assertThrows(HypercoreException.class, () -> new Request(1, 0, null, null, null, null, false, -2));
    assertTrue(new Request(1, 0, null, null, null, null, false, 0).toString().contains("id=1"));
  }
}
