package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

class SecretStreamHandlerTest {
  private static final SecretStreamLimits NO_KEEP_ALIVE = SecretStreamLimits.DEFAULTS.withKeepAlive(Duration.ZERO);
  private final KeyPair alice = Ed25519.keyPair();
  private final KeyPair bob = Ed25519.keyPair();
  private EmbeddedPair pair;
  private SecretStreamHandler a;
  private SecretStreamHandler b;
  private final List<Object> aEvents = new ArrayList<>();
  private final List<Object> bEvents = new ArrayList<>();

  /** Records user events; lets messages through to the EmbeddedChannel's inbound queue. */
  private static ChannelHandler events(List<Object> into) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        into.add(evt);
      }
    };
  }

  private void connect(SecretStreamLimits aLimits, SecretStreamLimits bLimits) {
    a = new SecretStreamHandler(true, alice, aLimits);
    b = new SecretStreamHandler(false, bob, bLimits);
    pair = new EmbeddedPair(new ChannelHandler[] {a, events(aEvents)}, new ChannelHandler[] {b, events(bEvents)});
  }

  private void connect() {
    connect(NO_KEEP_ALIVE, NO_KEEP_ALIVE);
  }

  @AfterEach
  void close() {
    if (pair != null) pair.close();
  }

  private static byte[] read(EmbeddedChannel ch) {
    ByteBuf buf = ch.readInbound();
    if (buf == null) return null;
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static void assertClosedWith(EmbeddedChannel ch, SecretStreamHandler h, CoreError code, String start) {
    assertFalse(ch.isOpen(), "channel closed");
    HypercoreException f = h.failure();
    assertEquals(code, f == null ? null : f.code(), String.valueOf(f));
    assertTrue(f.getMessage().startsWith(start), f.getMessage());
  }

  /** A raw frame with the given body, as a peer would write it. */
  private static ByteBuf frame(byte[] body) {
    int n = body.length;
    return Unpooled.wrappedBuffer(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16)}, body);
  }

  @Test
  void bothSidesSeeTheSameHandshakeHashAndEachOthersKey() {
    connect();
    pair.shuttle();
    SecretStreamHandshake ha = a.handshakeFuture().getNow();
    SecretStreamHandshake hb = b.handshakeFuture().getNow();
    assertArrayEquals(ha.handshakeHash(), hb.handshakeHash());
    assertEquals(bob.publicKey(), ha.remotePublicKey());
    assertEquals(alice.publicKey(), hb.remotePublicKey());
    assertEquals(alice.publicKey(), ha.publicKey());
    assertTrue(ha.initiator());
    assertFalse(hb.initiator());
    assertEquals(List.of(ha), aEvents);
    assertEquals(List.of(hb), bEvents);
  }

  @Test
  void theWireCarriesTheHandshakeSizesOfTheSpec() {
    connect();
    List<Integer> aSent = new ArrayList<>();
    List<Integer> bSent = new ArrayList<>();
    pair.tamperAToB(buf -> {
      aSent.add(buf.readableBytes());
      return buf;
    }).tamperBToA(buf -> {
      bSent.add(buf.readableBytes());
      return buf;
    });
    pair.shuttle();
    // msg1, then msg3 and the header; msg2, then the header
    assertEquals(List.of(3 + 32, 3 + 64, 3 + 56), aSent);
    assertEquals(List.of(3 + 96, 3 + 56), bSent);
  }

  @Test
  void messagesOfRandomSizesRoundTripBothWays() {
    connect();
    pair.shuttle();
    Random rnd = TestSeeds.random("SecretStreamHandlerTest.roundTrip");
    for (int i = 0; i < 40; i++) {
      byte[] m = new byte[i == 0 ? 0 : i == 1 ? 1 << 20 : rnd.nextInt(70_000)];
      rnd.nextBytes(m);
      boolean fromA = rnd.nextBoolean();
      (fromA ? pair.a : pair.b).writeAndFlush(Unpooled.wrappedBuffer(m.clone()));
      pair.shuttle();
      assertArrayEquals(m, read(fromA ? pair.b : pair.a));
    }
  }

  @Test
  void writesBeforeTheHandshakeAreQueuedThenSentInOrder() {
    connect();
    pair.a.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
    pair.a.writeAndFlush(new byte[] {2, 2});
    pair.b.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {3}));
    pair.shuttle();
    assertArrayEquals(new byte[] {1}, read(pair.b));
    assertArrayEquals(new byte[] {2, 2}, read(pair.b));
    assertArrayEquals(new byte[] {3}, read(pair.a));
  }

  @Test
  void aWriteOverThePendingLimitFails() {
    connect(NO_KEEP_ALIVE.withMaxPendingWriteBytes(10), NO_KEEP_ALIVE);
    ChannelFuture ok = pair.a.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
    ChannelFuture over = pair.a.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
    assertEquals(CoreError.BAD_ARGUMENT, ((HypercoreException) over.cause()).code());
    pair.shuttle();
    assertTrue(ok.isSuccess());
    assertEquals(10, read(pair.b).length);
  }

  @Test
  void aMessageTooLargeForOneFrameFailsItsWriteOnly() {
    connect();
    pair.shuttle();
    ChannelFuture f = pair.a.writeAndFlush(Unpooled.wrappedBuffer(new byte[SecretStreamHandler.MAX_MESSAGE_BYTES + 1]));
    assertEquals(CoreError.BAD_ARGUMENT, ((HypercoreException) f.cause()).code());
    assertTrue(pair.a.isOpen());
  }

  @Test
  void emptyMessagesAreDeliveredWithoutKeepAliveAndDroppedWithIt() {
    connect(NO_KEEP_ALIVE, SecretStreamLimits.DEFAULTS);
    pair.shuttle();
    pair.a.writeAndFlush(Unpooled.EMPTY_BUFFER);
    pair.b.writeAndFlush(new byte[0]);
    pair.shuttle();
    assertNull(read(pair.b), "b keeps alive, so it drops empty messages");
    assertArrayEquals(new byte[0], read(pair.a));
  }

  @Test
  void anIdleStreamSendsKeepAlives() {
    SecretStreamLimits ka = SecretStreamLimits.DEFAULTS.withKeepAlive(Duration.ofSeconds(5));
    connect(ka, ka);
    pair.a.freezeTime();
    pair.shuttle();
    AtomicInteger sizes = new AtomicInteger();
    pair.tamperAToB(buf -> {
      sizes.set(buf.readableBytes());
      return buf;
    });
    pair.a.advanceTimeBy(5, TimeUnit.SECONDS);
    pair.a.runScheduledPendingTasks();
    pair.shuttle();
    assertEquals(3 + 17, sizes.get(), "an empty message: 11 00 00 and 17 bytes");
    assertNull(read(pair.b), "and it is filtered out");
    assertTrue(pair.b.isOpen());
  }

  @Test
  void aRecentWriteDefersTheKeepAlive() {
    SecretStreamLimits ka = SecretStreamLimits.DEFAULTS.withKeepAlive(Duration.ofSeconds(4));
    connect(ka, ka);
    pair.a.freezeTime();
    pair.shuttle();
    AtomicInteger frames = new AtomicInteger();
    pair.tamperAToB(buf -> {
      frames.incrementAndGet();
      return buf;
    });
    pair.a.advanceTimeBy(1, TimeUnit.SECONDS);
    pair.a.writeAndFlush(new byte[] {7});
    pair.a.advanceTimeBy(1, TimeUnit.SECONDS); // first tick (2 s) sees the write
    pair.a.runScheduledPendingTasks();
    pair.shuttle();
    assertEquals(1, frames.get());
    pair.a.advanceTimeBy(2, TimeUnit.SECONDS); // second tick: idle since then
    pair.a.runScheduledPendingTasks();
    pair.shuttle();
    assertEquals(2, frames.get());
  }

  @Test
  void aHandshakeThatNeverCompletesTimesOut() {
    connect(NO_KEEP_ALIVE.withHandshakeTimeout(Duration.ofSeconds(3)), NO_KEEP_ALIVE);
    pair.a.freezeTime();
    pair.a.readOutbound(); // msg1 is lost
    pair.a.advanceTimeBy(3, TimeUnit.SECONDS);
    pair.a.runScheduledPendingTasks();
    assertClosedWith(pair.a, a, CoreError.REQUEST_TIMEOUT, "REQUEST_TIMEOUT: secret-stream handshake not complete");
    assertInstanceOf(HypercoreException.class, a.handshakeFuture().cause());
  }

  @Test
  void aSilentPeerTimesOutWhenATimeoutIsSet() {
    connect(NO_KEEP_ALIVE.withTimeout(Duration.ofSeconds(10)), NO_KEEP_ALIVE);
    pair.a.freezeTime();
    pair.shuttle();
    pair.a.advanceTimeBy(10, TimeUnit.SECONDS);
    pair.a.runScheduledPendingTasks();
    assertTrue(pair.a.isOpen(), "bytes arrived during the first period");
    pair.a.advanceTimeBy(10, TimeUnit.SECONDS);
    pair.a.runScheduledPendingTasks();
    assertClosedWith(pair.a, a, CoreError.REQUEST_TIMEOUT, "REQUEST_TIMEOUT: no data from the peer");
  }

  @Test
  void aTransportFrameOverTheLimitClosesTheStream() {
    connect(NO_KEEP_ALIVE, NO_KEEP_ALIVE.withMaxFrameBytes(1000));
    pair.shuttle();
    pair.a.writeAndFlush(new byte[1000 - 17]); // exactly at the limit
    pair.shuttle();
    assertEquals(983, read(pair.b).length);
    pair.a.writeAndFlush(new byte[1000 - 16]); // one over
    pair.shuttle();
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: frame of 1001 bytes over the limit of 1000");
    assertNull(read(pair.b));
  }

  @Test
  void anOversizedHandshakeFrameIsRefusedBeforeItsBodyArrives() {
    connect();
    pair.a.readOutbound(); // drop the real msg1
    pair.b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 1})); // 65 536 bytes announced
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: frame of 65536 bytes over the limit of 65535");
  }

  @Test
  void aTruncatedFrameAtEndOfStreamIsADecodingError() {
    connect();
    pair.shuttle();
    pair.a.writeAndFlush(new byte[100]);
    ByteBuf wire = pair.a.readOutbound();
    pair.b.writeInbound(wire.retainedSlice(0, 60));
    wire.release();
    assertTrue(pair.b.isOpen());
    pair.b.unsafe().close(pair.b.voidPromise()); // how a transport closes on the peer's end of stream
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: stream ended inside a frame");
  }

  @Test
  void aCorruptedTransportFrameClosesTheStream() {
    connect();
    pair.shuttle();
    pair.tamperAToB(buf -> {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      buf.release();
      bytes[10] ^= 0x40;
      return Unpooled.wrappedBuffer(bytes);
    });
    pair.a.writeAndFlush(new byte[50]);
    pair.shuttle();
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: secretstream message does not authenticate");
    assertNull(read(pair.b));
  }

  @Test
  void aFrameShorterThanTheMacClosesTheStream() {
    connect();
    pair.shuttle();
    pair.b.writeInbound(frame(new byte[16]));
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: secretstream message of 16 bytes");
  }

  @Test
  void garbageAfterTheHandshakeClosesTheStream() {
    connect();
    pair.shuttle();
    byte[] garbage = new byte[200];
    new Random(1).nextBytes(garbage);
    garbage[0] = 50; // a plausible length, so it is the MAC that fails
    garbage[1] = 0;
    garbage[2] = 0;
    pair.b.writeInbound(Unpooled.wrappedBuffer(garbage));
    assertFalse(pair.b.isOpen());
    assertEquals(CoreError.DECODING_ERROR, b.failure().code());
  }

  @Test
  void aForgedSecondHandshakeMessageClosesTheInitiator() {
    connect();
    pair.tamperBToA(buf -> {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      buf.release();
      if (bytes.length == 99) bytes[3 + 40] ^= 1; // inside the encrypted static key
      return Unpooled.wrappedBuffer(bytes);
    });
    pair.shuttle();
    assertClosedWith(pair.a, a, CoreError.DECODING_ERROR, "DECODING_ERROR: Noise handshake message 2");
    assertInstanceOf(HypercoreException.class, a.handshakeFuture().cause());
    assertNull(a.handshake());
    assertFalse(b.handshakeFuture().isDone(), "the responder never completes");
  }

  @Test
  void aSmallOrderEphemeralKeyClosesTheResponder() {
    connect();
    pair.a.readOutbound();
    byte[] msg1 = new byte[32];
    msg1[0] = 1;
    pair.b.writeInbound(frame(msg1));
    assertClosedWith(pair.b, b, CoreError.DECODING_ERROR, "DECODING_ERROR: Noise handshake message 2");
  }

  @Test
  void aHeaderWithTheWrongStreamIdClosesTheStream() {
    connect();
    pair.tamperBToA(buf -> {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      buf.release();
      if (bytes.length == 59) bytes[3] ^= 1;
      return Unpooled.wrappedBuffer(bytes);
    });
    pair.shuttle();
    assertClosedWith(pair.a, a, CoreError.DECODING_ERROR, "DECODING_ERROR: header message carries the wrong stream id");
  }

  @Test
  void aHeaderOfTheWrongSizeClosesTheStream() {
    connect();
    pair.tamperBToA(buf -> {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      buf.release();
      if (bytes.length != 59) return Unpooled.wrappedBuffer(bytes);
      return frame(Arrays.copyOfRange(bytes, 3, 3 + 55));
    });
    pair.shuttle();
    assertClosedWith(pair.a, a, CoreError.DECODING_ERROR, "DECODING_ERROR: header message of 55 bytes, expected 56");
  }

  @Test
  void endFlushesThenCloses() {
    connect();
    pair.shuttle();
    pair.a.write(new byte[] {1});
    a.end();
    pair.a.runPendingTasks();
    pair.shuttle();
    assertArrayEquals(new byte[] {1}, read(pair.b));
    assertFalse(pair.a.isOpen());
    assertNull(a.failure());
  }

  @Test
  void closingBeforeTheHandshakeFailsItsFutureAndPendingWrites() {
    connect();
    ChannelFuture w = pair.a.writeAndFlush(new byte[] {1});
    pair.a.close();
    assertEquals(CoreError.SESSION_CLOSED, ((HypercoreException) a.handshakeFuture().cause()).code());
    assertFalse(w.isSuccess());
    assertNull(a.failure());
  }
}
