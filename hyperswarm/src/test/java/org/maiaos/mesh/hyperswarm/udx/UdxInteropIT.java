package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.loopback.LossyRelay;

/** Java UDX against the real udx-native 1.21.3 (interop/udx-peer.js), on 127.0.0.1. */
class UdxInteropIT {
  private static final long WAIT_SECONDS = 300;
  private static final long MIB = 1L << 20;
  private static final int JAVA_ID = 0x11223344;
  private static final int JS_ID = 0x55667788;

  private EventLoopGroup group;
  private UdxSocket socket;

  @BeforeEach
  void setUp() {
    group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("hyperswarm-udxit"));
    socket = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void tearDown() throws Exception {
    socket.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void javaAndJsExchange64MiBBothWays() throws Exception {
    exchange(64 * MIB, 64 * MIB, 0, 0);
  }

  @Test
  void exchangeSurvivesOnePercentLossDuplicatesAndReordering() throws Exception {
    exchange(64 * MIB, 64 * MIB, 0.01, 11);
  }

  @Test
  void exchangeSurvivesFivePercentLossDuplicatesAndReordering() throws Exception {
    exchange(64 * MIB, 64 * MIB, 0.05, 12);
  }

  /** Java sends {@code javaBytes}, JS sends {@code jsBytes}, at once; both compare SHA-256. */
  private void exchange(long javaBytes, long jsBytes, double loss, long seed) throws Exception {
    UdxStream s = socket.createStream(JAVA_ID);
    BulkTransfer.Source src = new BulkTransfer.Source(javaBytes, seed + 100);
    BulkTransfer.Sink sink = new BulkTransfer.Sink(false);
    s.pipeline().addLast(src, sink);
    // with loss, both sides talk to the relay; it learns the JS address from JS's first packet
    try (LossyRelay relay = loss > 0 ? new LossyRelay(socket.localAddress(), null, loss, loss, loss, seed) : null) {
      int jsTarget = relay == null ? socket.localAddress().getPort() : relay.portForB();
      try (JsUdxPeer js = new JsUdxPeer(Map.of("localId", JS_ID, "remoteId", JAVA_ID, "port", jsTarget, "mode", "send",
          "bytes", jsBytes, "seed", seed))) {
        int javaTarget = relay == null ? js.port : relay.portForA();
        s.connect(JS_ID, new InetSocketAddress("127.0.0.1", javaTarget));
        runExchange(s, src, sink, js, javaBytes, jsBytes);
        if (loss == 0) {
          // udx-native acked our padded MTU probes all the way up
          assertEquals(1500, (int) socket.eventLoop().submit(() -> s.sender().mtu()).get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
      }
    }
  }

  private void runExchange(UdxStream s, BulkTransfer.Source src, BulkTransfer.Sink sink, JsUdxPeer js, long javaBytes,
      long jsBytes) throws Exception {
    BulkTransfer.Received got = sink.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonNode done = js.await("done", WAIT_SECONDS);
    assertTrue(done.get("error").isNull(), "JS stream error: " + done);
    assertEquals(jsBytes, got.bytes());
    assertEquals(done.get("sentSha256").asText(), got.sha256());
    assertEquals(javaBytes, done.get("received").asLong());
    assertEquals(src.sent.get(WAIT_SECONDS, TimeUnit.SECONDS), done.get("receivedSha256").asText());
    assertTrue(s.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "java stream did not close");
    assertNull(s.closeCause());
  }
}
