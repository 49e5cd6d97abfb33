package org.maiaos.mesh.hyperswarm.dht.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;

class DhtMessagesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Key32 ID = Key32.fromHex("ea50f55683100864aa622153cff29c6f99eea9e753f8e211d6b01e0a8af2ac6c");

  @Test
  void nodeIdIsBlake2bOfTheEncodedAddress() {
    assertEquals(ID, new PeerAddress("127.0.0.1", 49738).id()); // spec 1.3
    assertEquals("7f00000149c2", HEX.formatHex(new PeerAddress("127.0.0.1", 49737).toBytes()));
  }

  @Test
  void encodesThePingRequestOfTheCapture() {
    DhtRequest ping = new DhtRequest(0x3c54, new PeerAddress("127.0.0.1", 49738), null, null, true, 0, null, null);
    assertEquals("0304543c7f0000014ac200", HEX.formatHex(ping.toBytes()));
    assertEquals(ping, DhtRequest.decode(State.of(ping.toBytes())));
  }

  @Test
  void encodesThePingResponseOfTheCapture() {
    DhtResponse pong = new DhtResponse(0x3c54, new PeerAddress("127.0.0.1", 55405), ID, null, List.of(), 0, null);
    assertEquals("1301543c7f0000016dd8" + ID.hex(), HEX.formatHex(pong.toBytes()));
    assertEquals(pong, DhtResponse.decode(State.of(pong.toBytes())));
  }

  @Test
  void roundTripsRandomMessages() {
    Random r = new Random(seed());
    for (int i = 0; i < 500; i++) {
      DhtRequest q = randomRequest(r);
      assertEquals(q, DhtRequest.decode(State.of(q.toBytes())));
      DhtResponse p = randomResponse(r);
      assertEquals(p, DhtResponse.decode(State.of(p.toBytes())));
    }
  }

  @Test
  void rejectsARequestTruncatedAtEveryByte() {
    Random r = new Random(seed());
    for (int n = 0; n < 20; n++) {
      byte[] full = fullRequest(r).toBytes();
      for (int len = 0; len < full.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(full, len);
        HypercoreException e = assertThrows(HypercoreException.class, () -> DhtRequest.decode(State.of(cut)), "len " + len);
        assertEquals(CoreError.DECODING_ERROR, e.code());
      }
    }
  }

  @Test
  void rejectsAResponseTruncatedAtEveryByte() {
    Random r = new Random(seed());
    for (int n = 0; n < 20; n++) {
      byte[] full = fullResponse(r).toBytes();
      for (int len = 0; len < full.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(full, len);
        HypercoreException e = assertThrows(HypercoreException.class, () -> DhtResponse.decode(State.of(cut)), "len " + len);
        assertEquals(CoreError.DECODING_ERROR, e.code());
      }
    }
  }

  @Test
  void ignoresTrailingBytesAsJsDoes() {
    DhtRequest q = new DhtRequest(7, new PeerAddress("10.0.0.1", 1), null, null, false, 9, null, new byte[] {1});
    byte[] longer = java.util.Arrays.copyOf(q.toBytes(), q.toBytes().length + 5);
    assertEquals(q, DhtRequest.decode(State.of(longer)));
  }

  @Test
  void acceptsExactlyTheCloserNodeLimitAndRefusesOneMore() {
    assertEquals(Messages.MAX_CLOSER_NODES, DhtResponse.decode(State.of(withNodeCount(Messages.MAX_CLOSER_NODES, true)))
        .closerNodes().size());
    HypercoreException e = assertThrows(HypercoreException.class,
        () -> DhtResponse.decode(State.of(withNodeCount(Messages.MAX_CLOSER_NODES + 1, true))));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void refusesAHugeCloserNodeCountBeforeAllocating() {
    // flags=4 (closer nodes), tid, to, then a count of 2^32-1 with no bytes behind it
    byte[] b = HEX.parseHex("130400007f0000010100" + "feffffffff");
    assertThrows(HypercoreException.class, () -> DhtResponse.decode(State.of(b)));
  }

  @Test
  void refusesACountThatTheRemainingBytesCannotHold() {
    byte[] b = withNodeCount(10, false); // declares 10 nodes, carries none
    assertThrows(HypercoreException.class, () -> DhtResponse.decode(State.of(b)));
  }

  @Test
  void refusesAValueLongerThanTheDatagram() {
    byte[] b = HEX.parseHex("031000007f0000010100" + "00" + "fd0010" + "aabb");
    assertThrows(HypercoreException.class, () -> DhtRequest.decode(State.of(b)));
  }

  @Test
  void refusesTheWrongTypeByte() {
    byte[] q = new DhtRequest(1, new PeerAddress("1.2.3.4", 5), null, null, true, 0, null, null).toBytes();
    assertThrows(HypercoreException.class, () -> DhtResponse.decode(State.of(q)));
    byte[] p = new DhtResponse(1, new PeerAddress("1.2.3.4", 5), null, null, List.of(), 0, null).toBytes();
    assertThrows(HypercoreException.class, () -> DhtRequest.decode(State.of(p)));
  }

  @Test
  void survivesCorruptedBytes() {
    Random r = new Random(seed());
    for (int i = 0; i < 2000; i++) {
      byte[] b = (i % 2 == 0 ? fullRequest(r).toBytes() : fullResponse(r).toBytes());
      b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
      try {
        if (i % 2 == 0) DhtRequest.decode(State.of(b));
        else DhtResponse.decode(State.of(b));
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code());
      }
    }
  }

  @Test
  void emptyValueIsPresentAndZeroErrorIsAbsent() {
    DhtResponse p = new DhtResponse(1, new PeerAddress("1.2.3.4", 5), null, null, List.of(), 0, new byte[0]);
    assertEquals(16, p.flags());
    assertArrayEquals(new byte[0], DhtResponse.decode(State.of(p.toBytes())).value());
    DhtResponse none = DhtResponse.decode(State.of(new DhtResponse(1, new PeerAddress("1.2.3.4", 5), null, null,
        List.of(), 0, null).toBytes()));
    assertNull(none.value());
    assertEquals(0, none.error());
  }

  @Test
  void refusesMalformedHosts() {
    for (String h : new String[] {"1.2.3", "1.2.3.256", "a.b.c.d", "1..2.3", "::1", ""}) {
      assertThrows(HypercoreException.class, () -> new PeerAddress(h, 1), h);
    }
    assertThrows(HypercoreException.class, () -> new PeerAddress("1.2.3.4", 65536));
  }

  static byte[] withNodeCount(int n, boolean withNodes) {
    StringBuilder sb = new StringBuilder("130400007f0000010100");
    sb.append(n <= 0xfc ? String.format("%02x", n) : String.format("fd%02x%02x", n & 0xff, n >>> 8));
    if (withNodes) for (int i = 0; i < n; i++) sb.append("7f0000010100");
    return HEX.parseHex(sb.toString());
  }

  static long seed() {
    String s = System.getProperty("test.seed");
    return s == null || s.isBlank() ? 42 : Long.parseLong(s);
  }

  static PeerAddress randomAddress(Random r) {
    return new PeerAddress(r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256),
        r.nextInt(65536));
  }

  static Key32 randomKey(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Key32.of(b);
  }

  static byte[] randomValue(Random r) {
    byte[] v = new byte[r.nextInt(4) == 0 ? 300 + r.nextInt(300) : r.nextInt(40)];
    r.nextBytes(v);
    return v;
  }

  static long randomUint(Random r) {
    switch (r.nextInt(4)) {
      case 0: return r.nextInt(0xfd);
      case 1: return r.nextInt(0x10000);
      case 2: return r.nextLong() & 0xFFFFFFFFL;
      default: return r.nextLong() & ((1L << 53) - 1);
    }
  }

  static DhtRequest randomRequest(Random r) {
    return new DhtRequest(r.nextInt(65536), randomAddress(r), r.nextBoolean() ? randomKey(r) : null,
        r.nextBoolean() ? randomKey(r) : null, r.nextBoolean(), randomUint(r), r.nextBoolean() ? randomKey(r) : null,
        r.nextBoolean() ? randomValue(r) : null);
  }

  static DhtResponse randomResponse(Random r) {
    List<PeerAddress> nodes = new ArrayList<>();
    int n = r.nextBoolean() ? 0 : r.nextInt(21);
    for (int i = 0; i < n; i++) nodes.add(randomAddress(r));
    return new DhtResponse(r.nextInt(65536), randomAddress(r), r.nextBoolean() ? randomKey(r) : null,
        r.nextBoolean() ? randomKey(r) : null, nodes, r.nextBoolean() ? 0 : randomUint(r),
        r.nextBoolean() ? randomValue(r) : null);
  }

  private static DhtRequest fullRequest(Random r) {
    return new DhtRequest(r.nextInt(65536), randomAddress(r), randomKey(r), randomKey(r), true, randomUint(r),
        randomKey(r), randomValue(r));
  }

  private static DhtResponse fullResponse(Random r) {
    List<PeerAddress> nodes = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(20); i++) nodes.add(randomAddress(r));
    return new DhtResponse(r.nextInt(65536), randomAddress(r), randomKey(r), randomKey(r), nodes, 1 + randomUint(r) / 2,
        randomValue(r));
  }
}
