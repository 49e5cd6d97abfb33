package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.TestEventLoops;

/**
 * The Java secret-stream against @hyperswarm/secret-stream 6.9.2 over TCP on 127.0.0.1
 * ({@code interop/stream-peer.js}), Java-first and JS-first: both sides see the same handshake hash
 * and each other's key, messages of random sizes up to 1 MiB cross both ways intact, a clean end
 * closes both sides, and a misbehaving JS peer is disconnected with the reason kept.
 */
class SecretStreamInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_SECONDS = 60;
  private static final SecretStreamLimits LIMITS = SecretStreamLimits.DEFAULTS.withKeepAlive(Duration.ZERO);
  private static EventLoopGroup group;

  @BeforeAll
  static void startLoop() {
    group = TestEventLoops.start();
  }

  @AfterAll
  static void stopLoop() throws InterruptedException {
    TestEventLoops.stopAndCheckNoThreadLeft(group);
  }

  /** Queues every message the stream passes up, as bytes. */
  static final class Inbox extends ChannelInboundHandlerAdapter {
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        messages.add(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }

    byte[] take() throws InterruptedException {
      byte[] m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(m, "no message within " + WAIT_SECONDS + " s");
      return m;
    }
  }

  private static Channel connect(int port, SecretStreamHandler handler, Inbox inbox) throws InterruptedException {
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(handler, inbox);
          }
        })
        .connect("127.0.0.1", port).sync().channel();
  }

  /** Listens on an ephemeral port; the first connection gets {@code handler} and {@code inbox}. */
  private static Channel listen(SecretStreamHandler handler, Inbox inbox, CompletableFuture<Channel> accepted)
      throws InterruptedException {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(handler, inbox);
            accepted.complete(ch);
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  private static ObjectNode jsOptions(KeyPair keyPair, boolean initiator) {
    return JsPeer.obj().put("seed", HEX.formatHex(keyPair.seed())).put("isInitiator", initiator).put("echo", true);
  }

  private static String sha256(byte[] b) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void javaInitiatorToJsResponder() throws Exception {
    KeyPair java = Ed25519.keyPair();
    KeyPair js = Ed25519.keyPair();
    try (JsPeer peer = JsPeer.start("stream-peer.js", jsOptions(js, false).put("listen", true))) {
      int port = peer.expect("listening").get("port").asInt();
      SecretStreamHandler handler = new SecretStreamHandler(true, java, LIMITS);
      Inbox inbox = new Inbox();
      Channel ch = connect(port, handler, inbox);
      exchange("javaInitiator", ch, handler, inbox, peer, java, js);
    }
  }

  @Test
  void jsInitiatorToJavaResponder() throws Exception {
    KeyPair java = Ed25519.keyPair();
    KeyPair js = Ed25519.keyPair();
    SecretStreamHandler handler = new SecretStreamHandler(false, java, LIMITS);
    Inbox inbox = new Inbox();
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    Channel server = listen(handler, inbox, accepted);
    try (JsPeer peer = JsPeer.start("stream-peer.js",
        jsOptions(js, true).put("port", ((InetSocketAddress) server.localAddress()).getPort()))) {
      Channel ch = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
      server.close().sync();
      exchange("jsInitiator", ch, handler, inbox, peer, java, js);
    } finally {
      server.close().sync();
    }
  }

  private static void exchange(String name, Channel ch, SecretStreamHandler handler, Inbox inbox, JsPeer peer,
      KeyPair java, KeyPair js) throws Exception {
    SecretStreamHandshake hs = handler.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonNode jsHs = peer.expect("handshake");
    assertEquals(jsHs.get("hash").asText(), HEX.formatHex(hs.handshakeHash()));
    assertEquals(jsHs.get("remotePublicKey").asText(), java.publicKey().hex());
    assertEquals(jsHs.get("publicKey").asText(), js.publicKey().hex());
    assertEquals(js.publicKey(), hs.remotePublicKey());
    assertEquals(!hs.initiator(), jsHs.get("isInitiator").asBoolean());

    // Java -> JS -> Java: JS decrypts each message, reports its digest, and sends it back
    Random rnd = TestSeeds.random("SecretStreamInteropIT." + name);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      int size = i == 0 ? 0 : i == 1 ? 1 << 20 : i % 3 == 0 ? rnd.nextInt(1 << 20) + 1 : rnd.nextInt(4096);
      byte[] m = new byte[size];
      rnd.nextBytes(m);
      sent.add(m);
      ch.writeAndFlush(Unpooled.wrappedBuffer(m.clone()));
    }
    for (byte[] m : sent) {
      JsonNode got = peer.expect("data");
      assertEquals(m.length, got.get("size").asInt());
      assertEquals(sha256(m), got.get("sha256").asText());
      assertArrayEquals(m, inbox.take());
    }

    // JS -> Java: random messages chosen by JS, compared by digest
    ArrayNode sizes = JsPeer.obj().arrayNode();
    for (int i = 0; i < 12; i++) sizes.add(i == 0 ? 0 : i == 1 ? 1 << 20 : rnd.nextInt(1 << 20));
    peer.command(JsPeer.obj().put("cmd", "send").set("sizes", sizes));
    for (int i = 0; i < sizes.size(); i++) {
      JsonNode s = peer.expect("sent");
      byte[] m = inbox.take();
      assertEquals(s.get("size").asInt(), m.length);
      assertEquals(s.get("sha256").asText(), sha256(m));
    }

    // a clean end: Java half-closes, JS ends its side, both are closed and nobody failed
    handler.end().sync();
    assertTrue(handler.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "JS ended its side too");
    assertTrue(peer.expect("close").get("error").isNull());
    assertNull(handler.failure());
  }

  /** Connects a Java initiator to a JS responder with the given options; returns when handshaken. */
  private static Channel misbehaving(ObjectNode jsOptions, SecretStreamHandler handler, Inbox inbox, JsPeer peer)
      throws Exception {
    int port = peer.expect("listening").get("port").asInt();
    Channel ch = connect(port, handler, inbox);
    if (!jsOptions.path("rawResponder").asBoolean()) {
      handler.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      peer.expect("handshake");
    }
    return ch;
  }

  private static void assertDisconnected(Channel ch, SecretStreamHandler handler, String reasonStart) throws Exception {
    assertTrue(handler.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "disconnected");
    assertTrue(!ch.isOpen());
    HypercoreException f = handler.failure();
    assertNotNull(f, "a reason is kept");
    assertEquals(CoreError.DECODING_ERROR, f.code());
    assertTrue(f.getMessage().startsWith(reasonStart), f.getMessage());
  }

  @Test
  void garbageAfterTheHandshakeDisconnects() throws Exception {
    ObjectNode opts = jsOptions(Ed25519.keyPair(), false).put("listen", true);
    try (JsPeer peer = JsPeer.start("stream-peer.js", opts)) {
      SecretStreamHandler handler = new SecretStreamHandler(true, Ed25519.keyPair(), LIMITS);
      Inbox inbox = new Inbox();
      Channel ch = misbehaving(opts, handler, inbox, peer);
      byte[] garbage = new byte[3 + 40];
      new Random(7).nextBytes(garbage);
      garbage[0] = 40;
      garbage[1] = 0;
      garbage[2] = 0;
      peer.command(JsPeer.obj().put("cmd", "raw").put("hex", HEX.formatHex(garbage)));
      assertDisconnected(ch, handler, "DECODING_ERROR: secretstream message does not authenticate");
      assertTrue(inbox.messages.isEmpty());
      peer.expect("close");
    }
  }

  @Test
  void anOversizedFrameDisconnectsBeforeItsBodyIsBuffered() throws Exception {
    ObjectNode opts = jsOptions(Ed25519.keyPair(), false).put("listen", true);
    try (JsPeer peer = JsPeer.start("stream-peer.js", opts)) {
      SecretStreamHandler handler = new SecretStreamHandler(true, Ed25519.keyPair(), LIMITS.withMaxFrameBytes(65_536));
      Inbox inbox = new Inbox();
      Channel ch = misbehaving(opts, handler, inbox, peer);
      peer.command(JsPeer.obj().put("cmd", "send").set("sizes", JsPeer.obj().arrayNode().add(65_519).add(100_000)));
      assertEquals(65_519, inbox.take().length, "a frame at the limit passes");
      assertDisconnected(ch, handler, "DECODING_ERROR: frame of 100017 bytes over the limit of 65536");
      peer.expect("close");
    }
  }

  @Test
  void aFrameCutShortByTheEndOfTheStreamDisconnects() throws Exception {
    ObjectNode opts = jsOptions(Ed25519.keyPair(), false).put("listen", true);
    try (JsPeer peer = JsPeer.start("stream-peer.js", opts)) {
      SecretStreamHandler handler = new SecretStreamHandler(true, Ed25519.keyPair(), LIMITS);
      Inbox inbox = new Inbox();
      Channel ch = misbehaving(opts, handler, inbox, peer);
      peer.command(JsPeer.obj().put("cmd", "rawEnd").put("hex", "e80300" + "00".repeat(10)));
      assertDisconnected(ch, handler, "DECODING_ERROR: stream ended inside a frame: 13 bytes of a 1000-byte frame");
      peer.expect("close");
    }
  }

  @Test
  void aForgedHandshakeDisconnects() throws Exception {
    ObjectNode opts = jsOptions(Ed25519.keyPair(), false).put("listen", true).put("rawResponder", true);
    try (JsPeer peer = JsPeer.start("stream-peer.js", opts)) {
      SecretStreamHandler handler = new SecretStreamHandler(true, Ed25519.keyPair(), LIMITS);
      Inbox inbox = new Inbox();
      Channel ch = misbehaving(opts, handler, inbox, peer);
      assertDisconnected(ch, handler, "DECODING_ERROR: Noise handshake message 2");
      assertTrue(handler.handshakeFuture().cause() instanceof HypercoreException);
      peer.expect("close");
    }
  }
}
