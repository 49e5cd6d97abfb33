package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;

/** A raw UDP peer that misbehaves; the stream drops or closes, the socket lives on. */
class UdxHostilePeerTest {
  private static final long WAIT_SECONDS = 30;
  private static final int LOCAL = 1;
  private static final int EVIL = 2;
  private static final UdxLimits LIMITS =
      new UdxLimits(1152, 4 * 1024 * 1024, 2048, Duration.ofMillis(100), Duration.ofMillis(500), 6, 5);

  private EventLoopGroup group;
  private UdxSocket socket;
  private DatagramSocket evil;
  private final List<Integer> otherProtocol = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("hyperswarm-udxhostile"));
    socket = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0), LIMITS);
    socket.onMessage((buf, from) -> otherProtocol.add(buf.readableBytes()));
    evil = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    evil.setSoTimeout(10_000);
  }

  @AfterEach
  void tearDown() throws Exception {
    evil.close();
    socket.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private UdxStream connected() throws Exception {
    UdxStream s = socket.createStream(LOCAL);
    assertTrue(s.connect(EVIL, (InetSocketAddress) evil.getLocalSocketAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    return s;
  }

  private void send(byte[] bytes) throws IOException {
    evil.send(new DatagramPacket(bytes, bytes.length, socket.localAddress()));
  }

  private void send(UdxPacket p) throws IOException {
    ByteBuf buf = Unpooled.buffer();
    try {
      p.encode(buf);
      byte[] b = new byte[buf.readableBytes()];
      buf.readBytes(b);
      send(b);
    } finally {
      buf.release();
    }
  }

  /** The next UDX packet from the stream, or null after {@code ms}. */
  private UdxPacket receive(int ms) throws IOException {
    evil.setSoTimeout(ms);
    byte[] buf = new byte[4096];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      evil.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    ByteBuf b = Unpooled.wrappedBuffer(buf, 0, p.getLength());
    try {
      return UdxPacket.decode(b);
    } finally {
      b.release();
    }
  }

  private UdxPacket receiveOrFail() throws IOException {
    UdxPacket p = receive(10_000);
    assertNotNull(p, "no packet from the stream");
    return p;
  }

  private static <T> T onLoop(UdxStream s, Callable<T> c) throws Exception {
    return s.eventLoop().submit(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Polls the condition on the stream's event loop until it holds, failing after WAIT_SECONDS. */
  private static void awaitOnLoop(UdxStream s, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!onLoop(s, condition)) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("condition not met in " + WAIT_SECONDS + " s");
      Thread.sleep(5);
    }
  }

  /** The stream still answers: a HEARTBEAT gets an ACK. */
  private void assertAlive(UdxStream s) throws Exception {
    assertTrue(s.isActive());
    while (receive(50) != null) {
      // drain retransmissions
    }
    send(UdxPacket.of(UdxPacket.HEARTBEAT, LOCAL, 4096, 0, 0, new byte[0]));
    for (int i = 0; i < 100; i++) {
      UdxPacket p = receiveOrFail();
      if (!p.has(UdxPacket.DATA) && !p.has(UdxPacket.END) && !p.has(UdxPacket.HEARTBEAT)) return;
    }
    throw new AssertionError("no ACK for a HEARTBEAT");
  }

  @Test
  void shortForeignAndUnknownDatagramsGoToTheOtherProtocolHandler() throws Exception {
    UdxStream s = connected();
    byte[] good = new byte[20];
    good[0] = (byte) 0xFF;
    good[1] = 1;
    good[4] = LOCAL;
    send(java.util.Arrays.copyOf(good, 19)); // truncated header
    byte[] badVersion = good.clone();
    badVersion[1] = 2;
    send(badVersion);
    byte[] wrongId = good.clone();
    wrongId[4] = 99;
    send(wrongId);
    send(new byte[] {0x13, 0x01, 0x02}); // a dht-rpc-looking datagram
    assertAlive(s);
    assertEquals(List.of(19, 20, 20, 3), otherProtocol);
  }

  @Test
  void aCorruptPacketForTheStreamIsDroppedAndTheStreamGoesOn() throws Exception {
    UdxStream s = connected();
    byte[] bad = new byte[30];
    bad[0] = (byte) 0xFF;
    bad[1] = 1;
    bad[2] = UdxPacket.DATA;
    bad[3] = 50; // data offset past the end
    bad[4] = LOCAL;
    send(bad);
    byte[] sack = new byte[20 + 12]; // a partial SACK block
    System.arraycopy(bad, 0, sack, 0, 20);
    sack[2] = UdxPacket.SACK;
    sack[3] = 0;
    send(sack);
    assertAlive(s);
    assertEquals(2L, onLoop(s, s::droppedPackets));
    assertTrue(otherProtocol.isEmpty());
  }

  @Test
  void anAckBeyondWhatWasSentIsIgnored() throws Exception {
    UdxStream s = connected();
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[3000]));
    for (int i = 0; i < 3; i++) assertTrue(receiveOrFail().has(UdxPacket.DATA));
    send(UdxPacket.of(0, LOCAL, 4096, 0, 1_000_000, new byte[0]));
    send(UdxPacket.of(0, LOCAL, 4096, 0, -5, new byte[0]));
    assertAlive(s);
    assertTrue(onLoop(s, () -> s.sender().droppedAcks()) >= 1);
    assertFalse(onLoop(s, () -> s.sender().allAcked()));
    send(UdxPacket.of(0, LOCAL, 4096, 0, 3, new byte[0]));
    assertAlive(s);
    assertTrue(onLoop(s, () -> s.sender().allAcked()));
  }

  @Test
  void sackRangesOutsideTheWindowAreDroppedUnprocessed() throws Exception {
    UdxStream s = connected();
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[4 * 1152]));
    for (int i = 0; i < 4; i++) receiveOrFail();
    List<UdxPacket.Sack> bad = List.of(new UdxPacket.Sack(0, 100_000), new UdxPacket.Sack(3, 2), new UdxPacket.Sack(-10, 2),
        new UdxPacket.Sack(Integer.MAX_VALUE, Integer.MIN_VALUE), new UdxPacket.Sack(2, 2));
    send(new UdxPacket(UdxPacket.SACK, 0, LOCAL, 4096, 0, 0, bad, new byte[0]));
    assertAlive(s);
    assertEquals(5L, onLoop(s, () -> s.sender().droppedSacks()));
    assertEquals(4, onLoop(s, () -> s.sender().nextSeq()));
    assertFalse(onLoop(s, () -> s.sender().allAcked()));
  }

  @Test
  void aZeroWindowForeverClosesTheStreamAfterBoundedProbesNotTheSocket() throws Exception {
    UdxStream s = connected();
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1152]));
    UdxPacket first = receiveOrFail();
    // ack it but shut the window; then keep it shut
    send(UdxPacket.of(0, LOCAL, 0, 0, first.seq() + 1, new byte[0]));
    // the write must meet the shut window: wait until the stream has taken the ack in
    awaitOnLoop(s, () -> s.sender().allAcked() && s.sender().peerRwnd() == 0);
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 * 1024]));
    int probes = 0;
    int data = 0;
    while (true) {
      UdxPacket p = receive(3_000);
      if (p == null) break;
      if (p.has(UdxPacket.HEARTBEAT)) {
        probes++;
        send(UdxPacket.of(0, LOCAL, 0, 0, first.seq() + 1, new byte[0]));
      } else if (p.has(UdxPacket.DATA)) {
        data++;
      }
    }
    assertTrue(s.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(UdxError.ETIMEDOUT, ((HypercoreException) s.closeCause()).code());
    assertEquals(LIMITS.maxZeroWindowProbes(), probes);
    assertEquals(0, data);
    assertSocketStillWorks();
  }

  @Test
  void aPeerThatNeverAcksTimesOutAfterSixRetransmissionTimeouts() throws Exception {
    UdxStream s = connected();
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));
    int received = 0;
    while (receive(3_000) != null) received++;
    assertTrue(s.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(UdxError.ETIMEDOUT, ((HypercoreException) s.closeCause()).code());
    assertEquals(1 + LIMITS.maxRtoTimeouts(), received); // first send and six retransmissions
    assertSocketStillWorks();
  }

  @Test
  void destroyFromThePeerResetsTheStreamOnly() throws Exception {
    UdxStream s = connected();
    send(UdxPacket.of(UdxPacket.DESTROY, LOCAL, 0, 0, 0, new byte[0]));
    assertTrue(s.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(UdxError.ECONNRESET, ((HypercoreException) s.closeCause()).code());
    assertSocketStillWorks();
  }

  @Test
  void dataFarAheadOrBeyondTheWindowIsNotBuffered() throws Exception {
    UdxStream s = connected();
    s.config().setAutoRead(false); // nothing is read: only the window bounds memory
    send(UdxPacket.of(UdxPacket.DATA, LOCAL, 4096, 1_000_000, 0, new byte[1152]));
    // 6000 packets of 1152 bytes with a hole at 0: more than the 4 MiB window
    UdxPacket ack = receiveOrFail();
    assertEquals(0, ack.ack());
    long lastRwnd = ack.rwnd();
    for (int seq = 1; seq <= 6000; seq++) {
      send(UdxPacket.of(UdxPacket.DATA, LOCAL, 4096, seq, 0, new byte[1152]));
      ack = receiveOrFail(); // every DATA packet is acked, kept or not
      assertEquals(0, ack.ack());
      assertTrue(ack.rwnd() <= lastRwnd);
      lastRwnd = ack.rwnd();
      assertTrue(ack.sacks().size() <= 1, ack.toString());
    }
    assertEquals(0L, lastRwnd);
    assertAlive(s);
    long overWindow = onLoop(s, () -> s.receiver().droppedOverWindow());
    assertEquals(1 + 6000 - (LIMITS.receiveWindowBytes() / 1152 + 1), overWindow);
  }

  @Test
  void aRetransmittedEndAfterACleanCloseIsAckedAgain() throws Exception {
    UdxStream s = connected();
    send(UdxPacket.of(UdxPacket.END, LOCAL, 4096, 0, 0, new byte[0]));
    assertEquals(1, receiveOrFail().ack());
    s.shutdownOutput();
    UdxPacket end = receiveOrFail();
    assertTrue(end.has(UdxPacket.END));
    send(UdxPacket.of(0, LOCAL, 4096, 1, end.seq() + 1, new byte[0]));
    assertTrue(s.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(null, s.closeCause());
    // our ACK of the peer's END was "lost": the peer sends END again and still gets its ACK
    send(UdxPacket.of(UdxPacket.END, LOCAL, 4096, 0, 0, new byte[0]));
    UdxPacket ack = receiveOrFail();
    assertEquals(0, ack.type());
    assertEquals(1, ack.ack());
    assertEquals(EVIL, ack.remoteId());
    assertTrue(otherProtocol.isEmpty());
  }

  private void assertSocketStillWorks() throws Exception {
    UdxStream other = socket.createStream(LOCAL + 100);
    assertTrue(other.connect(EVIL, (InetSocketAddress) evil.getLocalSocketAddress()).await(WAIT_SECONDS, TimeUnit.SECONDS));
    send(UdxPacket.of(UdxPacket.HEARTBEAT, LOCAL + 100, 4096, 0, 0, new byte[0]));
    UdxPacket ack = receiveOrFail();
    assertEquals(EVIL, ack.remoteId());
    other.close();
  }
}
