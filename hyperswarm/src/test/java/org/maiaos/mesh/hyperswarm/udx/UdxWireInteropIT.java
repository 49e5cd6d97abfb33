package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes udx-native puts on the wire, captured by a raw Java UDP socket: each one decodes with
 * {@link UdxPacket} and encodes back to the identical bytes, and the raw side drives a whole
 * stream (HEARTBEAT, out-of-order DATA, END) that udx-native accepts.
 */
class UdxWireInteropIT {
  private static final int RAW_ID = 7;
  private static final int JS_ID = 0x0A0B0C0D;

  @Test
  void udxNativePacketsDecodeAndReencodeByteForByte() throws Exception {
    try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      raw.setSoTimeout(30_000);
      try (JsUdxPeer js = new JsUdxPeer(Map.of("localId", JS_ID, "remoteId", RAW_ID, "port", raw.getLocalPort(), "mode", "recv",
          "timeoutMs", 60_000))) {
        InetSocketAddress jsAddr = new InetSocketAddress("127.0.0.1", js.port);

        send(raw, jsAddr, UdxPacket.of(UdxPacket.HEARTBEAT, JS_ID, 65536, 0, 0, new byte[0]));
        UdxPacket ack = capture(raw);
        assertEquals(0, ack.type());
        assertEquals(RAW_ID, ack.remoteId());
        assertEquals(0, ack.seq());
        assertEquals(0, ack.ack());
        assertTrue(ack.rwnd() > 0);

        send(raw, jsAddr, UdxPacket.of(UdxPacket.DATA, JS_ID, 65536, 1, 0, "world".getBytes(StandardCharsets.UTF_8)));
        UdxPacket sack = capture(raw);
        assertEquals(UdxPacket.SACK, sack.type());
        assertEquals(0, sack.ack());
        assertEquals(List.of(new UdxPacket.Sack(1, 2)), sack.sacks());

        send(raw, jsAddr, UdxPacket.of(UdxPacket.DATA, JS_ID, 65536, 0, 0, "hello ".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, capture(raw).ack());

        send(raw, jsAddr, UdxPacket.of(UdxPacket.END, JS_ID, 65536, 2, 0, new byte[0]));
        // the ACK of our END, and JS's own END (udx-peer.js ends when the peer ends), in either order
        UdxPacket end = null;
        boolean endAcked = false;
        for (int i = 0; i < 10 && (end == null || !endAcked); i++) {
          UdxPacket p = capture(raw);
          if (p.has(UdxPacket.END)) end = p;
          if (p.ack() == 3) endAcked = true;
        }
        assertTrue(endAcked, "END not acked");
        assertEquals(UdxPacket.END, end.type());
        assertEquals(0, end.seq());
        assertEquals(0, end.payloadLength());

        send(raw, jsAddr, UdxPacket.of(0, JS_ID, 65536, 3, 1, new byte[0]));
        JsonNode done = js.await("done", 60);
        assertTrue(done.get("error").isNull(), done.toString());
        assertEquals(11, done.get("received").asInt());
        assertEquals(HexFormat.of().formatHex(BulkTransfer.sha256().digest("hello world".getBytes(StandardCharsets.UTF_8))),
            done.get("receivedSha256").asText());
      }
    }
  }

  private static void send(DatagramSocket raw, InetSocketAddress to, UdxPacket p) throws IOException {
    byte[] b = p.toBytes();
    raw.send(new DatagramPacket(b, b.length, to));
  }

  /** The next datagram from JS; asserts it re-encodes to the very same bytes. */
  private static UdxPacket capture(DatagramSocket raw) throws IOException {
    byte[] buf = new byte[4096];
    DatagramPacket d = new DatagramPacket(buf, buf.length);
    raw.receive(d);
    byte[] wire = Arrays.copyOf(buf, d.getLength());
    UdxPacket p = UdxPacket.decode(wire);
    assertArrayEquals(wire, p.toBytes(), p.toString());
    return p;
  }
}
