package org.maiaos.mesh.hyperswarm.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.TestEventLoops;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;

/**
 * The Java Protomux over the Java secret-stream against protomux 3.12.1 over
 * @hyperswarm/secret-stream 6.9.2 ({@code interop/mux-peer.js}) on 127.0.0.1, Java-first and
 * JS-first: channels opened from either side pair up and carry their handshakes, messages of
 * random sizes up to 1 MiB cross both ways, many channels share the stream and their ids are
 * reused after closes without the peer objecting, unwanted opens are rejected both ways, corked
 * batches cross both ways, an end closes everything, and a peer that sends garbage is
 * disconnected.
 */
class ProtomuxInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_SECONDS = 60;
  private static EventLoopGroup group;

  @BeforeAll
  static void startLoop() {
    group = TestEventLoops.start();
  }

  @AfterAll
  static void stopLoop() throws InterruptedException {
    TestEventLoops.stopAndCheckNoThreadLeft(group);
  }

  record Ev(String kind, String ref, int type, byte[] data, boolean remote) {}

  /** The Java end: secret-stream + Protomux, with every channel callback queued as an {@link Ev}. */
  static final class Side {
    final SecretStreamHandler stream;
    final Protomux mux = new Protomux();
    final BlockingQueue<Ev> queue = new LinkedBlockingQueue<>();
    final List<Ev> backlog = new ArrayList<>();
    Channel channel;

    Side(boolean initiator, KeyPair keyPair) {
      stream = new SecretStreamHandler(initiator, keyPair, SecretStreamLimits.DEFAULTS.withKeepAlive(Duration.ZERO));
    }

    MuxChannel.Listener listener(String ref) {
      return new MuxChannel.Listener() {
        @Override
        public void onOpen(MuxChannel ch, byte[] handshake) {
          queue.add(new Ev("open", ref, -1, handshake, false));
        }

        @Override
        public void onMessage(MuxChannel ch, int type, State message) {
          queue.add(new Ev("message", ref, type, Bytes.decodeRaw(message), false));
        }

        @Override
        public void onClose(MuxChannel ch, boolean remote) {
          queue.add(new Ev("closed", ref, -1, null, remote));
        }
      };
    }

    <T> T onLoop(Callable<T> c) throws Exception {
      return mux.executor().submit(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    MuxChannel open(String ref, String protocol, byte[] id, byte[] handshake, int messages) throws Exception {
      return onLoop(() -> {
        MuxChannel ch = mux.createChannel(MuxChannel.Options.of(protocol).id(id).messages(messages).listener(listener(ref)));
        ch.open(handshake);
        return ch;
      });
    }

    void send(MuxChannel ch, int type, byte[] m) throws Exception {
      onLoop(() -> ch.send(type, m));
    }

    /** The first event matching {@code p}; others stay queued for later waits. */
    Ev await(Predicate<Ev> p, String what) throws InterruptedException {
      for (Iterator<Ev> it = backlog.iterator(); it.hasNext(); ) {
        Ev e = it.next();
        if (p.test(e)) {
          it.remove();
          return e;
        }
      }
      for (;;) {
        Ev e = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no '" + what + "' event within " + WAIT_SECONDS + " s");
        if (p.test(e)) return e;
        backlog.add(e);
      }
    }

    Ev await(String kind, String ref) throws InterruptedException {
      return await(e -> e.kind.equals(kind) && e.ref.equals(ref), kind + " " + ref);
    }

    void install(Channel ch) {
      channel = ch;
      ch.pipeline().addLast(stream, mux);
    }
  }

  private static Side javaInitiator(JsPeer js, KeyPair kp) throws InterruptedException {
    int port = js.expect("listening").get("port").asInt();
    Side side = new Side(true, kp);
    new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            side.install(ch);
          }
        })
        .connect("127.0.0.1", port).sync();
    return side;
  }

  private static ObjectNode jsOptions(boolean initiator) {
    return JsPeer.obj().put("seed", HEX.formatHex(Ed25519.keyPair().seed())).put("isInitiator", initiator);
  }

  private static String sha256(byte[] b) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode cmd(String name) {
    return JsPeer.obj().put("cmd", name);
  }

  /** Sends a command and waits until JS has carried it out. */
  private static void jsDo(JsPeer js, List<JsonNode> backlog, ObjectNode command) {
    js.command(command);
    String name = command.get("cmd").asText();
    for (;;) {
      JsonNode e = js.next();
      if (e.path("event").asText().equals("ack") && e.path("cmd").asText().equals(name)) return;
      if (e.path("event").asText().equals("eof")) throw new AssertionError("JS peer ended before acking " + name);
      backlog.add(e);
    }
  }

  /** Waits for JS's event of this kind for this ref. */
  private static JsonNode jsAwait(JsPeer js, List<JsonNode> backlog, String kind, String ref) {
    for (Iterator<JsonNode> it = backlog.iterator(); it.hasNext(); ) {
      JsonNode e = it.next();
      if (e.path("event").asText().equals(kind) && e.path("ref").asText().equals(ref)) {
        it.remove();
        return e;
      }
    }
    for (;;) {
      JsonNode e = js.next();
      String k = e.path("event").asText();
      if (k.equals(kind) && e.path("ref").asText().equals(ref)) return e;
      if (k.equals("eof") || k.equals("close") && !kind.equals("close")) {
        throw new AssertionError("JS peer ended while waiting for " + kind + " " + ref + ": " + e);
      }
      backlog.add(e);
    }
  }

  @Test
  void javaInitiatorToJsResponder() throws Exception {
    try (JsPeer js = JsPeer.start("mux-peer.js", jsOptions(false).put("listen", true))) {
      Side java = javaInitiator(js, Ed25519.keyPair());
      conversation("javaInitiator", java, js);
    }
  }

  @Test
  void jsInitiatorToJavaResponder() throws Exception {
    Side java = new Side(false, Ed25519.keyPair());
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            java.install(ch);
            accepted.complete(ch);
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    try (JsPeer js = JsPeer.start("mux-peer.js", jsOptions(true).put("port", ((InetSocketAddress) server.localAddress()).getPort()))) {
      accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
      server.close().sync();
      conversation("jsInitiator", java, js);
    } finally {
      server.close().sync();
    }
  }

  private static void conversation(String name, Side java, JsPeer js) throws Exception {
    Random rnd = TestSeeds.random("ProtomuxInteropIT." + name);
    List<JsonNode> jsBacklog = new ArrayList<>();
    java.stream.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(HEX.formatHex(java.stream.handshake().handshakeHash()), js.expect("handshake").get("hash").asText());

    // 1. Java opens, JS's pair handler accepts and echoes; random sizes up to 1 MiB both ways
    jsDo(js, jsBacklog, cmd("pair").put("protocol", "test/echo").putNull("id").put("accept", true).put("messages", 3)
        .put("echo", true).put("handshake", HEX.formatHex(utf8("js-hs"))));
    byte[] echoId = new byte[32];
    rnd.nextBytes(echoId);
    MuxChannel echo = java.open("echo", "test/echo", echoId, utf8("java-hs"), 3);
    assertArrayEquals(utf8("js-hs"), java.await("open", "echo").data);
    String echoRef = "pair:test/echo:" + HEX.formatHex(echoId);
    assertEquals(HEX.formatHex(utf8("java-hs")), jsAwait(js, jsBacklog, "open", echoRef).get("handshake").asText());
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      byte[] m = new byte[i == 0 ? 0 : i == 1 ? 1 << 20 : i % 4 == 0 ? rnd.nextInt(1 << 20) : rnd.nextInt(2000)];
      rnd.nextBytes(m);
      sent.add(m);
      java.send(echo, i % 3, m);
    }
    for (int i = 0; i < sent.size(); i++) {
      JsonNode got = jsAwait(js, jsBacklog, "message", echoRef);
      assertEquals(i % 3, got.get("type").asInt());
      assertEquals(sha256(sent.get(i)), got.get("sha256").asText());
      Ev back = java.await("message", "echo");
      assertEquals(i % 3, back.type);
      assertArrayEquals(sent.get(i), back.data);
    }

    // 2. JS opens, Java's pair handler accepts; JS sends random messages
    java.onLoop(() -> {
      java.mux.pair("test/js", null, (protocol, id) -> {
        java.mux.createChannel(MuxChannel.Options.of(protocol).id(id).messages(2).listener(java.listener("js-opened")))
            .open(utf8("welcome"));
        return null;
      });
      return null;
    });
    js.command(cmd("open").put("ref", "jsch").put("protocol", "test/js").put("id", "0102").put("messages", 2)
        .put("handshake", "cafe"));
    assertArrayEquals(HEX.parseHex("cafe"), java.await("open", "js-opened").data);
    assertEquals(HEX.formatHex(utf8("welcome")), jsAwait(js, jsBacklog, "open", "jsch").get("handshake").asText());
    ArrayNode sizes = JsPeer.obj().arrayNode();
    for (int i = 0; i < 8; i++) sizes.add(i == 0 ? 0 : i == 1 ? 1 << 20 : rnd.nextInt(100_000));
    js.command(cmd("sendRandom").put("ref", "jsch").put("type", 1).set("sizes", sizes));
    for (int i = 0; i < sizes.size(); i++) {
      JsonNode s = jsAwait(js, jsBacklog, "sent", "jsch");
      Ev m = java.await("message", "js-opened");
      assertEquals(1, m.type);
      assertEquals(s.get("sha256").asText(), sha256(m.data));
    }

    // 3. many channels on one stream; half closed by each side; then reopened, reusing ids
    jsDo(js, jsBacklog, cmd("pair").put("protocol", "test/many").putNull("id").put("accept", true).put("messages", 1)
        .put("echo", true));
    List<MuxChannel> many = new ArrayList<>();
    for (int i = 0; i < 16; i++) many.add(java.open("many" + i, "test/many", new byte[] {(byte) i}, null, 1));
    for (int i = 0; i < 16; i++) {
      java.await("open", "many" + i);
      java.send(many.get(i), 0, new byte[] {(byte) i, 42});
    }
    for (int i = 0; i < 16; i++) assertArrayEquals(new byte[] {(byte) i, 42}, java.await("message", "many" + i).data);
    for (int i = 0; i < 16; i += 2) {
      MuxChannel ch = many.get(i);
      java.onLoop(() -> {
        ch.close();
        return null;
      });
      assertFalse(java.await("closed", "many" + i).remote);
      assertTrue(jsAwait(js, jsBacklog, "closed", "pair:test/many:" + HEX.formatHex(new byte[] {(byte) i})).get("isRemote").asBoolean());
    }
    for (int i = 1; i < 16; i += 2) {
      js.command(cmd("close").put("ref", "pair:test/many:" + HEX.formatHex(new byte[] {(byte) i})));
      assertTrue(java.await("closed", "many" + i).remote);
    }
    assertTrue(java.onLoop(() -> java.mux.channels().size()) == 2, "echo and js-opened remain");
    List<MuxChannel> again = new ArrayList<>();
    for (int i = 0; i < 16; i++) again.add(java.open("again" + i, "test/many", new byte[] {(byte) (100 + i)}, null, 1));
    for (int i = 0; i < 16; i++) {
      java.await("open", "again" + i);
      java.send(again.get(i), 0, new byte[] {(byte) i});
      assertArrayEquals(new byte[] {(byte) i}, java.await("message", "again" + i).data);
    }
    assertTrue(java.onLoop(() -> again.stream().mapToInt(MuxChannel::localId).max().getAsInt()) <= 18,
        "freed ids were reused (16 again + 2 open = 18)");

    // 4. unwanted opens are rejected, both ways
    java.open("unwanted", "test/nobody-here", null, null, 1);
    assertTrue(java.await("closed", "unwanted").remote);
    js.command(cmd("open").put("ref", "unwanted-js").put("protocol", "test/nobody-there"));
    assertTrue(jsAwait(js, jsBacklog, "closed", "unwanted-js").get("isRemote").asBoolean());

    // 5. corked batches, both ways
    js.command(cmd("cork"));
    js.command(cmd("sendRandom").put("ref", "jsch").put("type", 0).set("sizes", JsPeer.obj().arrayNode().add(10).add(0).add(3000)));
    js.command(cmd("send").put("ref", "pair:test/echo:" + HEX.formatHex(echoId)).put("type", 2).put("hex", "beef"));
    js.command(cmd("uncork"));
    for (int i = 0; i < 3; i++) {
      JsonNode s = jsAwait(js, jsBacklog, "sent", "jsch");
      assertEquals(s.get("sha256").asText(), sha256(java.await("message", "js-opened").data));
    }
    Ev beef = java.await("message", "echo");
    assertEquals(2, beef.type);
    assertArrayEquals(HEX.parseHex("beef"), beef.data);
    java.onLoop(() -> {
      java.mux.cork();
      echo.send(0, new byte[] {1});
      echo.send(1, new byte[] {2});
      again.get(0).send(0, new byte[] {3});
      java.mux.uncork();
      return null;
    });
    assertArrayEquals(new byte[] {1}, java.await("message", "echo").data);
    assertArrayEquals(new byte[] {2}, java.await("message", "echo").data);
    assertArrayEquals(new byte[] {3}, java.await("message", "again0").data);

    // 6. a clean end closes every channel on both sides
    java.stream.end().sync();
    assertTrue(java.mux.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(java.await("closed", "echo").remote);
    assertTrue(js.expect("close").get("error").isNull());
    assertNull(java.mux.failure());
    assertNull(java.stream.failure());
  }

  private static void misbehaves(String frameHex, String reason) throws Exception {
    try (JsPeer js = JsPeer.start("mux-peer.js", jsOptions(false).put("listen", true))) {
      Side java = javaInitiator(js, Ed25519.keyPair());
      java.stream.handshakeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      js.expect("handshake");
      js.command(cmd("raw").put("hex", frameHex));
      assertTrue(java.mux.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS), "disconnected");
      assertFalse(java.channel.isOpen());
      assertNotNull(java.mux.failure());
      assertEquals(CoreError.DECODING_ERROR, java.mux.failure().code());
      assertEquals(reason, java.mux.failure().getMessage());
      js.expect("close");
    }
  }

  @Test
  void aMessageForAnUnknownChannelDisconnects() throws Exception {
    misbehaves("090001", "DECODING_ERROR: message for channel 9, which the peer never opened");
  }

  @Test
  void anOpenThatSkipsIdsDisconnects() throws Exception {
    misbehaves("000105" + "01" + "78" + "00", "DECODING_ERROR: invalid open: channel 5 skips ids (next free is 1)");
  }

  @Test
  void aTruncatedControlFrameDisconnects() throws Exception {
    misbehaves("0002fe0100", "DECODING_ERROR: out of bounds: need 4 bytes, 2 left");
  }
}
