package org.maiaos.mesh.hyperswarm.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.CollectBytes;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;

/**
 * A Java {@link Hyperswarm} and a JS hyperswarm 4.17.2 ({@code interop/hyperdht-peer.js}) on a JS
 * testnet on 127.0.0.1: they find each other by topic, both dialling at once, and keep exactly one
 * connection, the same one at both ends (equal handshake hashes), which carries data both ways; a
 * peer that goes away is retried with back-off and given up after JS's number of attempts. Every
 * wait is bounded (JsPeer 60 s per event, JS ops 30 s, polls 30 s).
 */
class SwarmInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_S = 30;
  private final JsInteropNet net = new JsInteropNet("hyperdht-peer.js");
  private final List<HyperDht> nodes = new ArrayList<>();
  private final List<Hyperswarm> swarms = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 77L));

  @AfterEach
  void close() throws Exception {
    for (Hyperswarm s : swarms) s.close();
    net.close(nodes);
  }

  private JsonNode call(ObjectNode cmd, String event) {
    return net.call(cmd, event);
  }

  private List<PeerAddress> jsTestnet(int size) {
    return JsInteropNet.addresses(call(JsPeer.obj().put("cmd", "testnet").put("size", size), "testnet").get("bootstrap"));
  }

  private int jsSwarm(List<PeerAddress> bootstrap, byte[] seed) {
    ObjectNode c = JsPeer.obj().put("cmd", "node");
    JsInteropNet.addresses(c.putArray("bootstrap"), bootstrap);
    int node = call(c, "node").get("idx").asInt();
    return call(JsPeer.obj().put("cmd", "swarm").put("node", node).put("seed", HEX.formatHex(seed)), "swarm")
        .get("idx").asInt();
  }

  private JsonNode jsConnections(int swarm) {
    return call(JsPeer.obj().put("cmd", "swarmConnections").put("swarm", swarm), "swarmConnections").get("connections");
  }

  private Hyperswarm javaSwarm(List<PeerAddress> bootstrap, KeyPair kp, SwarmOptions opts,
      Hyperswarm.ConnectionHandler handler) throws Exception {
    HyperDht d = HyperDht.open(DhtRpcOptions.DEFAULT.withBootstrap(bootstrap), net.scheduler(), net.udx());
    nodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    Hyperswarm s = new Hyperswarm(d, kp, opts, handler);
    swarms.add(s);
    return s;
  }

  private byte[] seed() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void javaAndJsSwarmsMeetByTopicKeepOneConnectionAndExchangeData() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    Key32 topic = Key32.of(seed());
    byte[] jsSeed = seed();
    Key32 jsKey = Ed25519.keyPair(jsSeed).publicKey();
    int jsSwarm = jsSwarm(boot, jsSeed);

    int bytes = 256 * 1024;
    List<Channel> channels = new CopyOnWriteArrayList<>();
    List<CollectBytes> collects = new CopyOnWriteArrayList<>();
    KeyPair me = Ed25519.keyPair(seed());
    Hyperswarm swarm = javaSwarm(boot, me, SwarmOptions.DEFAULT, (ch, peer) -> {
      CollectBytes c = new CollectBytes(bytes);
      collects.add(c);
      channels.add(ch);
      ch.pipeline().addLast(c);
    });

    // both join as client and server: each finds the other and both may dial at once
    call(JsPeer.obj().put("cmd", "join").put("swarm", jsSwarm).put("topic", topic.hex()), "join");
    swarm.join(topic, true, true);
    assertTrue(swarm.flush().get(WAIT_S, TimeUnit.SECONDS));
    waitFor("one Java connection", () -> swarm.connectionCount() == 1);
    waitFor("one JS connection", () -> jsConnections(jsSwarm).size() == 1);
    Thread.sleep(1500); // let a second dial, if any, arrive and be settled
    assertEquals(1, swarm.connectionCount(), "exactly one connection kept on the Java side");
    JsonNode jsConn = jsConnections(jsSwarm);
    assertEquals(1, jsConn.size(), "exactly one connection kept on the JS side: " + jsConn);
    assertEquals(me.publicKey().hex(), jsConn.get(0).get("remotePublicKey").asText());

    Channel kept = channels.stream().filter(Channel::isActive).findFirst().orElseThrow();
    SecretStreamHandler ss = kept.pipeline().get(SecretStreamHandler.class);
    assertEquals(jsKey, ss.remotePublicKey());
    byte[] hash = ss.handshakeFuture().get(WAIT_S, TimeUnit.SECONDS).handshakeHash();
    assertEquals(HEX.formatHex(hash), jsConn.get(0).get("handshakeHash").asText(), "both ends kept the same connection");
    assertEquals(!ss.isInitiator(), jsConn.get(0).get("initiator").asBoolean());

    // the JS swarm echoes: data goes both ways over the kept connection
    byte[] data = new byte[bytes];
    random.nextBytes(data);
    CollectBytes collect = collects.get(channels.indexOf(kept));
    for (int i = 0; i < data.length; i += 65536) kept.write(Unpooled.wrappedBuffer(data, i, 65536));
    kept.flush();
    assertArrayEquals(data, collect.done.get(WAIT_S, TimeUnit.SECONDS));
    PeerInfo info = swarm.peer(jsKey);
    assertTrue(info.topics().contains(topic), "found under the topic");
  }

  @Test
  void aPeerThatGoesAwayIsRetriedWithBackoffAndGivenUpAfterFourAttempts() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    Key32 topic = Key32.of(seed());
    byte[] jsSeed = seed();
    Key32 jsKey = Ed25519.keyPair(jsSeed).publicKey();
    int jsSwarm = jsSwarm(boot, jsSeed);
    call(JsPeer.obj().put("cmd", "join").put("swarm", jsSwarm).put("topic", topic.hex()).put("client", false), "join");

    SwarmOptions fast = SwarmOptions.DEFAULT.withBackoffs(List.of(100L, 200L, 300L, 60_000L), 0);
    Hyperswarm swarm = javaSwarm(boot, Ed25519.keyPair(seed()), fast, (ch, peer) -> { });
    swarm.join(topic, false, true);
    waitFor("connected to the JS server", () -> swarm.connectionCount() == 1);

    call(JsPeer.obj().put("cmd", "swarmDestroy").put("swarm", jsSwarm), "swarmDestroy");
    waitFor("the connection to close", () -> swarm.connectionCount() == 0);
    // the first loss and three failed retries make four attempts; then the peer is dropped (JS attempts > 3)
    waitFor("the peer to be given up", () -> swarm.peer(jsKey) == null && swarm.connectingCount() == 0);
    assertNull(swarm.peer(jsKey));
    assertEquals(0, swarm.connectionCount());
    assertEquals(4, swarm.attemptedConnections(), "the first dial and three retries, then no more");
    Thread.sleep(1000); // longer than every back-off: nothing more is tried
    assertEquals(4, swarm.attemptedConnections());
  }
}
