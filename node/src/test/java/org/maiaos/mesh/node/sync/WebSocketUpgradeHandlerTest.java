package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;

/** The shared first handler: plain upgrades answered from the bytes, everything else by the general path. */
class WebSocketUpgradeHandlerTest {
  /** RFC 6455 section 1.3's example key and its accept value. */
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  @TempDir Path tmp;
  private SyncServer server;

  @BeforeEach
  void start() {
    server = SyncServer.start(SyncServerConfig.defaults().withAddress("127.0.0.1", 0), HyperbeeStorage.open(tmp.resolve("bee")),
        Map.of("/status", () -> new HttpRoute.Reply("text/plain", "fine")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String upgrade(String path, String... extraHeaders) {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n");
    for (String h : extraHeaders) sb.append(h).append("\r\n");
    return sb.append("\r\n").toString();
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  private byte[] keyOf(String head) {
    ByteBuf b = ascii(head);
    try {
      return new WebSocketUpgradeHandler(server).plainUpgradeKey(b);
    } finally {
      b.release();
    }
  }

  private static String readAll(EmbeddedChannel ch) {
    StringBuilder sb = new StringBuilder();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      if (o instanceof ByteBuf b) {
        sb.append(b.toString(StandardCharsets.ISO_8859_1));
        b.release();
      } else {
        sb.append(o);
        io.netty.util.ReferenceCountUtil.release(o);
      }
    }
    return sb.toString();
  }

  @Test
  void acceptsThePlainUpgradesClientsSend() {
    assertEquals(KEY, new String(keyOf(upgrade("/")), StandardCharsets.US_ASCII));
    assertNotNull(keyOf(upgrade("/any/path?peer=x&y=1", "Origin: http://localhost", "Sec-WebSocket-Extensions: permessage-deflate")));
    assertNotNull(keyOf("GET / HTTP/1.1\r\nhost: a\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
        + "sec-websocket-key:  " + KEY + " \r\nsec-websocket-version: 13\r\ncontent-length: 0\r\n\r\n"));
  }

  @Test
  void leavesEverythingElseToTheGeneralPath() {
    String plain = upgrade("/");
    assertNull(keyOf(plain.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")), "another version");
    assertNull(keyOf(plain.replace("GET ", "POST ")), "another method");
    assertNull(keyOf(plain.replace("HTTP/1.1", "HTTP/1.0")), "HTTP/1.0");
    assertNull(keyOf(upgrade("/health")), "/health answers 200 whatever the headers");
    assertNull(keyOf(upgrade("/status")), "a route");
    assertNull(keyOf(upgrade("/%68ealth")), "an escaped path");
    assertNull(keyOf(plain.substring(0, plain.length() - 2)), "the head not yet complete");
    assertNull(keyOf(plain + "x"), "bytes after the head");
    assertNull(keyOf(plain.replace("Connection: Upgrade", "Connection: keep-alive")), "no upgrade token");
    assertNull(keyOf(plain.replace("Upgrade: websocket", "Upgrade: h2c")), "another protocol");
    assertNull(keyOf(plain.replace("Sec-WebSocket-Key: " + KEY + "\r\n", "")), "no key");
    assertNull(keyOf(upgrade("/", "Transfer-Encoding: chunked")), "a body");
    assertNull(keyOf(upgrade("/", "Content-Length: 5")), "a body");
    assertNull(keyOf(upgrade("/", "X-Long: a", " folded")), "a folded line");
    assertNull(keyOf(upgrade("/", "Bad Name: a")), "not a token");
    assertNull(keyOf(upgrade("/", "Sec-WebSocket-Key: " + KEY)), "two keys");
    assertNull(keyOf(upgrade("/", "X-Big: " + "a".repeat(WebSocketUpgradeHandler.MAX_HEAD_BYTES))), "too long");
  }

  @Test
  void answersAPlainUpgradeWithTheRfcAcceptValueAndNoHttpCodec() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketUpgradeHandler(server));
    ch.writeInbound(ascii(upgrade("/")));
    String out = readAll(ch);
    assertTrue(out.startsWith("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
        + "sec-websocket-accept: " + ACCEPT + "\r\n\r\n"), out);
    assertTrue(out.contains("\"type\":\"ping\""), "pinged from the upgrade on: " + out);
    assertNotNull(ch.pipeline().get("wsdecoder"));
    assertNotNull(ch.pipeline().get("wsencoder"));
    assertNotNull(ch.pipeline().get(SyncFrameHandler.class));
    assertNull(ch.pipeline().get(HttpServerCodec.class));
    assertNull(ch.pipeline().get(WebSocketUpgradeHandler.class));
    assertEquals(1, server.clients());
    assertEquals(1, server.pinger().members(ch.eventLoop()));

    ch.close();
    assertEquals(0, server.clients(), "a closed connection is no client");
    assertEquals(0, server.pinger().members(ch.eventLoop()), "and leaves the pings");
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeadSplitOverTwoReadsIsUpgradedByTheGeneralPathAlike() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketUpgradeHandler(server));
    String head = upgrade("/");
    ch.writeInbound(ascii(head.substring(0, 30)));
    ch.writeInbound(ascii(head.substring(30)));
    String out = readAll(ch);
    assertTrue(out.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), out);
    assertTrue(out.contains("sec-websocket-accept: " + ACCEPT + "\r\n"), out);
    assertNotNull(ch.pipeline().get(SyncFrameHandler.class));
    assertEquals(1, server.clients());
    ch.close();
    assertEquals(0, server.clients());
    ch.finishAndReleaseAll();
  }

  @Test
  void healthAndRoutesAreAnsweredByTheGeneralPath() {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketUpgradeHandler(server));
    ch.writeInbound(ascii("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"));
    String out = readAll(ch);
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n") && out.endsWith("\r\n\r\nok"), out);
    ch.writeInbound(ascii("GET /status HTTP/1.1\r\nHost: a\r\n\r\n"));
    out = readAll(ch);
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n") && out.endsWith("\r\n\r\nfine"), out);
    assertEquals(0, server.clients());
    ch.finishAndReleaseAll();
  }
}
