package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandshake;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;

/**
 * {@code connect(publicKey)} and {@code listen} against real JS hyperdht 6.34.0 on 127.0.0.1: a
 * Java client reaches a JS server and a JS client a Java server, both through a handshake relayed
 * by a DHT node, then 1 MiB goes through the secret-stream over UDX and comes back echoed, byte for
 * byte; and a network of only Java nodes relays a JS client's handshake to a JS server. Every wait
 * is bounded (JsPeer 60 s per event, JS ops 30 s, futures 30 s).
 */
class HyperDhtConnectInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_S = 30;
  private static final int ECHO_BYTES = 1 << 20;
  private final JsInteropNet net = new JsInteropNet("hyperdht-peer.js");
  private final List<HyperDht> javaNodes = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 321L));

  @AfterEach
  void close() throws Exception {
    net.close(javaNodes);
  }

  private HyperDht java(DhtRpcOptions opts) throws Exception {
    HyperDht d = HyperDht.open(opts, net.scheduler(), net.udx());
    javaNodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  private JsonNode call(ObjectNode cmd, String event) {
    return net.call(cmd, event);
  }

  private List<PeerAddress> jsTestnet(int size) {
    return JsInteropNet.addresses(call(JsPeer.obj().put("cmd", "testnet").put("size", size), "testnet").get("bootstrap"));
  }

  private int jsNode(List<PeerAddress> bootstrap) {
    ObjectNode c = JsPeer.obj().put("cmd", "node");
    JsInteropNet.addresses(c.putArray("bootstrap"), bootstrap);
    return call(c, "node").get("idx").asInt();
  }

  private byte[] seed() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }

  /** Writes everything read back to its sender. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  private static SecretStreamHandshake session(Channel ch) throws Exception {
    SecretStreamHandler h = ch.pipeline().get(SecretStreamHandler.class);
    return h.handshakeFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  private void javaEchoesThroughJsServer(HyperDht client, int jsServerNode) throws Exception {
    byte[] serverSeed = seed();
    JsonNode l = call(JsPeer.obj().put("cmd", "listen").put("node", jsServerNode).put("seed", HEX.formatHex(serverSeed)), "listen");
    Key32 serverKey = Key32.fromHex(l.get("publicKey").asText());

    KeyPair me = Ed25519.keyPair(seed());
    CollectBytes collect = new CollectBytes(ECHO_BYTES);
    Channel ch = client.connect(serverKey, me, SecretStreamLimits.DEFAULTS, c -> c.pipeline().addLast(collect))
        .get(WAIT_S, TimeUnit.SECONDS);
    try {
      SecretStreamHandshake s = session(ch);
      assertEquals(serverKey, s.remotePublicKey());
      assertEquals(me.publicKey(), s.publicKey());
      byte[] data = new byte[ECHO_BYTES];
      random.nextBytes(data);
      for (int i = 0; i < data.length; i += 65536) ch.write(Unpooled.wrappedBuffer(data, i, 65536));
      ch.flush();
      assertArrayEquals(data, collect.done.get(WAIT_S, TimeUnit.SECONDS));
    } finally {
      ch.close().await(WAIT_S, TimeUnit.SECONDS);
    }
  }

  private void jsEchoesThroughJavaServer(HyperDht serverNode, int jsClientNode) throws Exception {
    KeyPair serverKp = Ed25519.keyPair(seed());
    HyperDhtServer server = serverNode.listen(serverKp, null, SecretStreamLimits.DEFAULTS,
        c -> c.pipeline().addLast(new Echo())).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(!server.relayAddresses().isEmpty(), "announced at some relays");
    byte[] clientSeed = seed();
    JsonNode e = call(JsPeer.obj().put("cmd", "echo").put("node", jsClientNode).put("publicKey", serverKp.publicKey().hex())
        .put("seed", HEX.formatHex(clientSeed)).put("bytes", ECHO_BYTES), "echo");
    assertTrue(e.get("identical").asBoolean(), e.toString());
    assertEquals(ECHO_BYTES, e.get("bytes").asInt());
    assertEquals(serverKp.publicKey().hex(), e.get("remotePublicKey").asText());
  }

  @Test
  void aJavaClientConnectsByPublicKeyToAJsServerAndEchoesOneMebibyte() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    int jsServer = jsNode(boot);
    HyperDht client = java(DhtRpcOptions.DEFAULT.withBootstrap(boot));
    javaEchoesThroughJsServer(client, jsServer);
  }

  @Test
  void aJsClientConnectsByPublicKeyToAJavaServerAndEchoesOneMebibyte() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    HyperDht server = java(DhtRpcOptions.DEFAULT.withBootstrap(boot));
    int jsClient = jsNode(boot);
    jsEchoesThroughJavaServer(server, jsClient);
  }

  @Test
  void aNetworkOfOnlyJavaNodesRelaysJsAndJavaConnections() throws Exception {
    HyperDht first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.rpc().serverAddress());
    java(DhtRpcOptions.persistent(boot));
    java(DhtRpcOptions.persistent(boot));
    int jsServer = jsNode(boot);
    int jsClient = jsNode(boot);
    // JS to JS through Java relays
    byte[] serverSeed = seed();
    JsonNode l = call(JsPeer.obj().put("cmd", "listen").put("node", jsServer).put("seed", HEX.formatHex(serverSeed)), "listen");
    JsonNode e = call(JsPeer.obj().put("cmd", "echo").put("node", jsClient).put("publicKey", l.get("publicKey").asText())
        .put("bytes", ECHO_BYTES), "echo");
    assertTrue(e.get("identical").asBoolean(), e.toString());
    // and Java to JS, JS to Java, on the same all-Java network
    HyperDht javaPeer = java(DhtRpcOptions.DEFAULT.withBootstrap(boot));
    javaEchoesThroughJsServer(javaPeer, jsServer);
    jsEchoesThroughJavaServer(javaPeer, jsClient);
  }
}
