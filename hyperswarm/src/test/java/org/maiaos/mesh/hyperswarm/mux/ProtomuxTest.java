package org.maiaos.mesh.hyperswarm.mux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.secretstream.EmbeddedPair;

/**
 * Protomux driven through EmbeddedChannels: two muxes back to back for conversations, or one mux
 * fed raw frames (as the JS peer would write them) for exact bytes and misbehaviour.
 */
class ProtomuxTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ID = HEX.parseHex("aa".repeat(32));
  private EmbeddedPair pair;
  private Protomux a;
  private Protomux b;

  private void connect(MuxLimits limits) {
    a = new Protomux(limits);
    b = new Protomux(limits);
    pair = new EmbeddedPair(new ChannelHandler[] {a}, new ChannelHandler[] {b});
  }

  private void connect() {
    connect(MuxLimits.DEFAULTS);
  }

  @AfterEach
  void close() {
    if (pair != null) pair.close();
  }

  private static MuxChannel.Options opts(String protocol, byte[] id, Recorder r) {
    return MuxChannel.Options.of(protocol).id(id).messages(3).listener(r);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The next frame a mux wrote, as hex. */
  private static String sent(EmbeddedChannel ch) {
    ByteBuf buf = ch.readOutbound();
    if (buf == null) return null;
    try {
      return HEX.formatHex(ByteBufUtil.getBytes(buf));
    } finally {
      buf.release();
    }
  }

  private static void feed(EmbeddedChannel ch, String hex) {
    ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(hex.replace(" ", ""))));
  }

  private static String openFrame(int localId, String protocol, String idHex, String handshakeHex) {
    State s = new State();
    byte[] p = utf8(protocol);
    s.end = 9;
    s.alloc();
    Uint.encode(s, localId);
    String uid = HEX.formatHex(s.buffer, 0, s.start);
    String idPart = idHex == null ? "00" : HEX.formatHex(new byte[] {(byte) (idHex.length() / 2)}) + idHex;
    return "0001" + uid + HEX.formatHex(new byte[] {(byte) p.length}) + HEX.formatHex(p) + idPart + handshakeHex;
  }

  private void assertFailed(Protomux mux, EmbeddedChannel ch, String message) {
    ch.runPendingTasks();
    assertFalse(ch.isOpen());
    assertNotNull(mux.failure());
    assertEquals(CoreError.DECODING_ERROR, mux.failure().code());
    assertEquals(message, mux.failure().getMessage());
  }

  @Test
  void aChannelOpenedOnOneSideIsPairedByTheOthersHandlerAndCarriesMessages() {
    connect();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    MuxChannel[] bch = new MuxChannel[1];
    b.pair("proto", ID, (protocol, id) -> {
      assertEquals("proto", protocol);
      assertArrayEquals(ID, id);
      bch[0] = b.createChannel(opts(protocol, id, rb));
      bch[0].open(utf8("hi-from-b"));
      return null;
    });
    MuxChannel ach = a.createChannel(opts("proto", ID, ra));
    ach.open(utf8("hi-from-a"));
    pair.shuttle();
    assertEquals(List.of("open:" + HEX.formatHex(utf8("hi-from-b"))), ra.events);
    assertEquals(List.of("open:" + HEX.formatHex(utf8("hi-from-a"))), rb.events);
    assertTrue(ach.isOpened() && bch[0].isOpened());
    assertTrue(ach.fullyOpened().getNow());

    ach.send(0, new byte[] {1});
    ach.send(2, new byte[0]);
    ach.send(3, new byte[] {9}); // unknown to the receiver: ignored
    bch[0].send(1, new byte[] {2, 3});
    pair.shuttle();
    assertEquals(List.of("msg:0:01", "msg:2:"), rb.events.subList(1, rb.events.size()));
    assertEquals("msg:1:0203", ra.events.get(1));
  }

  @Test
  void channelsOpenedByBothSidesAtOncePair() {
    connect();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    MuxChannel ach = a.createChannel(opts("proto", null, ra));
    MuxChannel bch = b.createChannel(opts("proto", null, rb));
    ach.open(null);
    bch.open(new byte[] {7});
    pair.shuttle();
    assertEquals(List.of("open:07"), ra.events);
    assertEquals(List.of("open:"), rb.events);
    assertEquals(1, ach.remoteId());
    assertEquals(1, bch.localId());
  }

  @Test
  void aPeerOpeningUnderAnAliasPairsWithTheMainProtocol() {
    connect();
    Recorder ra = new Recorder();
    MuxChannel ach = a.createChannel(MuxChannel.Options.of("hypercore/alpha").aliases("hypercore").id(ID).listener(ra));
    ach.open(null);
    assertEquals(openFrame(1, "hypercore/alpha", "aa".repeat(32), ""), sent(pair.a), "the open names the main protocol");
    feed(pair.a, openFrame(1, "hypercore", "aa".repeat(32), "77"));
    assertEquals(List.of("open:77"), ra.events);
    assertTrue(ach.isOpened());
  }

  @Test
  void theOpenFrameIsByteExact() {
    connect();
    byte[] dk = new byte[32];
    byte[] hs = new byte[33];
    hs[0] = 1;
    a.createChannel(MuxChannel.Options.of("hypercore/alpha").id(dk).listener(new Recorder())).open(hs);
    assertEquals("0001010f" + HEX.formatHex(utf8("hypercore/alpha")) + "20" + "00".repeat(32) + "01" + "00".repeat(32),
        sent(pair.a));
  }

  @Test
  void localIdsAreReusedLastFreedFirstOnlyOnceThePeerHasAnswered() {
    connect();
    Recorder r = new Recorder();
    b.pair("p", null, (protocol, id) -> {
      b.createChannel(MuxChannel.Options.of(protocol).id(id).unique(false).listener(new Recorder())).open(null);
      return null;
    });
    List<MuxChannel> chs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      MuxChannel c = a.createChannel(MuxChannel.Options.of("p").id(new byte[] {(byte) i}).listener(r));
      c.open(null);
      chs.add(c);
      assertEquals(i + 1, c.localId());
    }
    pair.shuttle();
    chs.get(1).close(); // frees 2
    chs.get(3).close(); // frees 4
    assertEquals(4, newChannel("p", 10).localId(), "the last freed id first");
    assertEquals(2, newChannel("p", 11).localId());
    assertEquals(5, newChannel("p", 12).localId(), "then one past the highest");

    // closed before the peer answered: the id stays taken until its open or reject arrives
    MuxChannel early = newChannel("never-answered", 0);
    assertEquals(6, early.localId());
    early.close();
    assertEquals(7, newChannel("p", 13).localId());
    pair.shuttle(); // the peer rejects "never-answered" (no handler for it): 6 is free now
    assertEquals(6, newChannel("p", 14).localId());
  }

  private MuxChannel newChannel(String protocol, int id) {
    MuxChannel c = a.createChannel(MuxChannel.Options.of(protocol).id(new byte[] {(byte) id}).listener(new Recorder()));
    c.open(null);
    return c;
  }

  @Test
  void anOpenNobodyWantsIsRejectedAndClosesTheOpener() {
    connect();
    Recorder ra = new Recorder();
    MuxChannel ach = a.createChannel(opts("nobody", ID, ra));
    ach.open(null);
    pair.a.readOutbound(); // inspect the reject instead of shuttling blindly
    feed(pair.b, openFrame(1, "nobody", "aa".repeat(32), ""));
    assertEquals("000201", sent(pair.b));
    feed(pair.a, "000201");
    assertEquals(List.of("close:true", "destroy"), ra.events);
    assertFalse(ach.fullyOpened().getNow());
    assertTrue(a.isIdle());
    assertTrue(pair.a.isOpen());
  }

  @Test
  void closingOneSideClosesTheOtherAndLaterMessagesAreDropped() {
    connect();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    MuxChannel ach = a.createChannel(opts("p", null, ra));
    MuxChannel bch = b.createChannel(opts("p", null, rb));
    ach.open(null);
    bch.open(null);
    pair.shuttle();
    bch.send(0, new byte[] {1}); // crosses the close below
    ach.close();
    assertEquals("000301", sent(pair.a));
    pair.b.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("000301")));
    pair.shuttle();
    assertEquals(List.of("open:", "close:false", "destroy"), ra.events, "a's message from b was dropped");
    assertEquals(List.of("open:", "close:true", "destroy"), rb.events);
    assertTrue(a.isIdle() && b.isIdle());
    assertTrue(pair.a.isOpen() && pair.b.isOpen());
    assertFalse(bch.send(0, new byte[] {2}));
  }

  @Test
  void messagesSentBeforeThePeerPairsAreHeldAndDeliveredInOrder() {
    connect();
    Recorder rb = new Recorder();
    CompletableFuture<Void> decided = new CompletableFuture<>();
    b.pair("p", null, (protocol, id) -> decided);
    MuxChannel ach = a.createChannel(opts("p", null, new Recorder()));
    ach.open(null);
    ach.send(0, new byte[] {1});
    ach.send(1, new byte[] {2});
    pair.shuttle();
    assertTrue(rb.events.isEmpty());
    MuxChannel bch = b.createChannel(opts("p", null, rb));
    bch.open(null);
    decided.complete(null);
    pair.shuttle();
    assertEquals(List.of("open:", "msg:0:01", "msg:1:02"), rb.events);
    assertTrue(ach.isOpened());
  }

  @Test
  void aPairHandlerThatNeverDecidesIsTimedOutIntoAReject() {
    connect(MuxLimits.DEFAULTS.withPairTimeout(Duration.ofSeconds(5)));
    b.pair("p", null, (protocol, id) -> new CompletableFuture<>());
    Recorder ra = new Recorder();
    a.createChannel(opts("p", null, ra)).open(null);
    pair.b.freezeTime();
    pair.shuttle();
    assertTrue(ra.events.isEmpty());
    pair.b.advanceTimeBy(5, TimeUnit.SECONDS);
    pair.b.runScheduledPendingTasks();
    pair.shuttle();
    assertEquals(List.of("close:true", "destroy"), ra.events);
  }

  @Test
  void theGoldenBatchOfTheSpecDecodes() {
    connect();
    Recorder rb = new Recorder();
    b.pair("hypercore/alpha", null, (protocol, id) -> {
      b.createChannel(MuxChannel.Options.of(protocol).id(id).messages(10).listener(rb)).open(null);
      return null;
    });
    feed(pair.b, openFrame(1, "hypercore/alpha", "aa".repeat(32), "01" + "00".repeat(32)));
    pair.b.runPendingTasks();
    feed(pair.b, "00 00 01 05 00 0f 00 05 00 04 08 00 00 05"); // sync + range
    feed(pair.b, "00 00 01 05 00 07 00 00 00"); // a one-item batch
    assertEquals(List.of("open:01" + "00".repeat(32), "msg:0:0f000500", "msg:8:000005", "msg:0:07000000"), rb.events);
  }

  @Test
  void aBatchCanSwitchChannelsAndCarryControlMessages() {
    connect();
    Recorder r1 = new Recorder();
    Recorder r2 = new Recorder();
    MuxChannel c1 = a.createChannel(opts("one", null, r1));
    MuxChannel c2 = a.createChannel(opts("two", null, r2));
    c1.open(null);
    c2.open(null);
    sent(pair.a);
    sent(pair.a);
    feed(pair.a, openFrame(1, "one", null, ""));
    feed(pair.a, openFrame(2, "two", null, ""));
    // batch: ch 1 type 0 [aa]; switch to ch 2: type 1 [bb]; switch to 0: close ch 1 (the peer's id 1)
    feed(pair.a, "0000 01 02 00aa 00 02 02 01bb 00 00 02 0301");
    assertEquals(List.of("open:", "msg:0:aa", "close:true", "destroy"), r1.events);
    assertEquals(List.of("open:", "msg:1:bb"), r2.events);
  }

  @Test
  void corkedSendsLeaveAsOneBatchFrame() {
    connect();
    MuxChannel c1 = a.createChannel(opts("one", null, new Recorder()));
    MuxChannel c2 = a.createChannel(opts("two", null, new Recorder()));
    c1.open(null);
    c2.open(null);
    sent(pair.a);
    sent(pair.a);
    a.cork();
    c1.send(0, new byte[] {(byte) 0xaa});
    c1.send(1, new byte[] {(byte) 0xbb});
    c2.send(2, new byte[0]);
    c1.close();
    assertNull(sent(pair.a), "nothing leaves while corked");
    a.uncork();
    assertEquals("0000" + "01" + "0200aa" + "0201bb" + "0002" + "0102" + "0000" + "020301", sent(pair.a));
    assertNull(sent(pair.a));
  }

  @Test
  void aBatchIsSentEarlyWhenItReachesTheLimit() {
    connect(MuxLimits.DEFAULTS.withMaxBatchBytes(10));
    MuxChannel c = a.createChannel(opts("one", null, new Recorder()));
    c.open(null);
    sent(pair.a);
    a.cork();
    for (int i = 0; i < 3; i++) c.send(0, new byte[4]);
    a.uncork();
    assertEquals("0000" + "01" + "050000000000" + "050000000000", sent(pair.a));
    assertEquals("0000" + "01" + "050000000000", sent(pair.a));
  }

  @Test
  void severalItemsInABatchAreAnsweredInOneBatch() {
    connect();
    b.pair("p", null, (protocol, id) -> {
      b.createChannel(MuxChannel.Options.of(protocol).id(id).listener(new MuxChannel.Listener() {
        @Override
        public void onMessage(MuxChannel ch, int type, State message) {
          ch.send(1, new byte[] {(byte) type});
        }
      }).messages(2)).open(null);
      return null;
    });
    feed(pair.b, openFrame(1, "p", null, ""));
    pair.b.runPendingTasks();
    assertEquals(openFrame(1, "p", null, ""), sent(pair.b));
    feed(pair.b, "0000 01 0100 0100");
    assertEquals("0000" + "01" + "020100" + "020100", sent(pair.b));
  }

  @Test
  void uniqueChannelsAreNotDuplicated() {
    connect();
    MuxChannel first = a.createChannel(opts("p", ID, new Recorder()));
    assertNotNull(a.createChannel(opts("p", ID, new Recorder())), "not opened yet, so not counted");
    first.open(null);
    assertNull(a.createChannel(opts("p", ID, new Recorder())));
    assertNotNull(a.createChannel(opts("p", ID, new Recorder()).unique(false)));
    assertTrue(a.opened("p", ID));
    assertSame(first, a.lastChannel("p", ID));
  }

  @Test
  void theEndOfTheStreamClosesEveryChannel() {
    connect();
    Recorder ra = new Recorder();
    MuxChannel ach = a.createChannel(opts("p", null, ra));
    b.createChannel(opts("p", null, new Recorder())).open(null);
    ach.open(null);
    pair.shuttle();
    pair.a.close();
    assertEquals(List.of("open:", "close:true", "destroy"), ra.events);
    assertTrue(a.closeFuture().isDone());
    assertNull(a.failure());
    assertNull(a.createChannel(opts("p", null, new Recorder())));
  }

  @Test
  void sendingBeforeOpenIsAnInvalidOperation() {
    connect();
    MuxChannel c = a.createChannel(opts("p", null, new Recorder()));
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> c.send(0, new byte[0])).code());
  }

  @Test
  void aMessageForAChannelThePeerNeverOpenedEndsTheStream() {
    connect();
    feed(pair.a, "05 00 01");
    assertFailed(a, pair.a, "DECODING_ERROR: message for channel 5, which the peer never opened");
  }

  @Test
  void anOpenForChannelZeroEndsTheStream() {
    connect();
    feed(pair.a, openFrame(0, "p", null, ""));
    assertFailed(a, pair.a, "DECODING_ERROR: open for channel 0");
  }

  @Test
  void anOpenThatSkipsIdsEndsTheStream() {
    connect();
    feed(pair.a, openFrame(2, "p", null, ""));
    assertFailed(a, pair.a, "DECODING_ERROR: invalid open: channel 2 skips ids (next free is 1)");
  }

  @Test
  void anOpenForAnIdInUseEndsTheStream() {
    connect();
    a.pair("p", null, (protocol, id) -> new CompletableFuture<>());
    feed(pair.a, openFrame(1, "p", null, ""));
    feed(pair.a, openFrame(1, "q", null, ""));
    assertFailed(a, pair.a, "DECODING_ERROR: invalid open: channel 1 is in use");
  }

  @Test
  void aRejectForNoPendingOpenEndsTheStream() {
    connect();
    feed(pair.a, "000203");
    assertFailed(a, pair.a, "DECODING_ERROR: reject for channel 3, which has no open pending");
  }

  @Test
  void aTruncatedFrameEndsTheStream() {
    connect();
    feed(pair.a, "0001fe0100"); // open whose channel id is cut short
    assertFailed(a, pair.a, "DECODING_ERROR: out of bounds: need 4 bytes, 2 left");
  }

  @Test
  void aCorruptedOpenEndsTheStream() {
    connect();
    feed(pair.a, "000101" + "ff"); // protocol length marker with nothing after
    assertEquals(CoreError.DECODING_ERROR, a.failure().code());
    assertFalse(pair.a.isOpen());
  }

  @Test
  void tooManyChannelsEndTheStream() {
    connect(MuxLimits.DEFAULTS.withMaxRemoteChannels(2));
    a.pair("p", null, (protocol, id) -> {
      a.createChannel(MuxChannel.Options.of(protocol).id(id).unique(false).listener(new Recorder())).open(null);
      return null;
    });
    feed(pair.a, openFrame(1, "p", "01", ""));
    feed(pair.a, openFrame(2, "p", "02", ""));
    assertTrue(pair.a.isOpen());
    feed(pair.a, openFrame(3, "p", "03", ""));
    assertFailed(a, pair.a, "DECODING_ERROR: peer opened more than 2 channels");
  }

  @Test
  void tooManyPendingOpensEndTheStream() {
    connect(MuxLimits.DEFAULTS.withMaxPendingOpens(2));
    a.pair("p", null, (protocol, id) -> new CompletableFuture<>());
    feed(pair.a, openFrame(1, "p", "01", ""));
    feed(pair.a, openFrame(2, "p", "02", ""));
    feed(pair.a, openFrame(3, "p", "03", ""));
    assertFailed(a, pair.a, "DECODING_ERROR: peer has more than 2 channel opens pending");
  }

  @Test
  void heldMessagesOverTheBufferLimitPauseReadingUntilPaired() {
    connect(MuxLimits.DEFAULTS.withMaxBufferedBytes(2000));
    CompletableFuture<Void> decided = new CompletableFuture<>();
    Recorder r = new Recorder();
    a.pair("p", null, (protocol, id) -> decided);
    feed(pair.a, openFrame(1, "p", null, ""));
    feed(pair.a, "01 00" + "00".repeat(900));
    assertTrue(pair.a.config().isAutoRead());
    feed(pair.a, "01 00" + "00".repeat(900)); // 2 x (512 + 901) > 2000
    assertFalse(pair.a.config().isAutoRead());
    a.createChannel(opts("p", null, r)).open(null);
    decided.complete(null);
    pair.a.runPendingTasks();
    assertTrue(pair.a.config().isAutoRead());
    assertEquals(3, r.events.size());
  }

  @Test
  void aCallbackThatThrowsEndsTheStreamWithItsCode() {
    connect();
    a.createChannel(MuxChannel.Options.of("p").listener(new MuxChannel.Listener() {
      @Override
      public void onOpen(MuxChannel channel, byte[] handshake) {
        throw CoreError.INVALID_CAPABILITY.error("remote sent an invalid capability");
      }
    })).open(null);
    b.createChannel(opts("p", null, new Recorder())).open(null);
    pair.shuttle();
    assertFalse(pair.a.isOpen());
    assertEquals(CoreError.INVALID_CAPABILITY, a.failure().code());
  }

  @Test
  void unknownControlTypesAndEmptyFramesAreIgnored() {
    connect();
    feed(pair.a, "0009aabb");
    pair.a.writeInbound(Unpooled.EMPTY_BUFFER);
    feed(pair.a, "000300"); // close of channel 0
    feed(pair.a, "000307"); // close of a channel never opened
    assertTrue(pair.a.isOpen());
    assertNull(a.failure());
  }
}
