package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.loopback.LossyRelay;

/**
 * Streams between sockets on the two transports (epoll with batched sends and reads, NIO one
 * datagram per call), and how each treats a datagram longer than libudx reads. This machine and CI
 * run Linux, where epoll loads; the test requires it rather than skipping.
 */
class UdxEventLoopsTest {
  private static final long WAIT_SECONDS = 120;
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
  private static final UdxLimits FAST = UdxLimits.DEFAULTS.withRto(Duration.ofMillis(50), Duration.ofSeconds(2));

  private final List<EventLoopGroup> groups = new ArrayList<>();
  private final List<UdxSocket> sockets = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (UdxSocket s : sockets) s.close();
    for (EventLoopGroup g : groups) g.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void linuxGetsTheNativeTransport() {
    assertTrue(Epoll.isAvailable(), () -> "epoll did not load: " + Epoll.unavailabilityCause());
    EventLoopGroup g = track(UdxEventLoops.newGroup(1, new DefaultThreadFactory("udx-loops-default")));
    assertEquals(UdxEventLoops.nativeTransport() ? "epoll" : "nio", UdxEventLoops.transportName(g));
  }

  @Test
  void epollToEpoll() throws Exception {
    transfer(epoll(), epoll(), false);
  }

  @Test
  void nioToEpollAndBack() throws Exception {
    transfer(nio(), epoll(), false);
  }

  @Test
  void nioToNio() throws Exception {
    transfer(nio(), nio(), false);
  }

  @Test
  void epollThroughALossyRelay() throws Exception {
    transfer(epoll(), epoll(), true);
  }

  @Test
  void epollDropsDatagramsLongerThanLibudxReads() throws Exception {
    dropsOversized(epoll());
  }

  @Test
  void nioDropsDatagramsLongerThanLibudxReads() throws Exception {
    dropsOversized(nio());
  }

  /** 2,048 bytes arrive whole; 2,049 and 9,000 are dropped and counted, never passed on cut short. */
  private void dropsOversized(EventLoopGroup group) throws Exception {
    UdxSocket receiver = bind(group);
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    receiver.onMessage((datagram, from) -> {
      byte[] b = new byte[datagram.readableBytes()];
      datagram.getBytes(datagram.readerIndex(), b);
      got.add(b);
    });
    UdxSocket sender = bind(group);
    Random rnd = new Random(7);
    byte[][] sent = new byte[3][];
    int[] sizes = {UdxPacket.MAX_DATAGRAM_BYTES + 1, 9000, UdxPacket.MAX_DATAGRAM_BYTES};
    for (int i = 0; i < sizes.length; i++) {
      sent[i] = new byte[sizes[i]];
      rnd.nextBytes(sent[i]);
      sent[i][0] = 0; // not a UDX packet: the message handler's
      sender.send(Unpooled.wrappedBuffer(sent[i]), receiver.localAddress()).sync();
    }
    byte[] first = got.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertArrayEquals(sent[2], first);
    assertEquals(2, receiver.oversizedDatagrams());
    assertNull(got.poll(200, TimeUnit.MILLISECONDS));
  }

  /** 4 MiB each way between a stream on {@code ga} and one on {@code gb}, optionally through a lossy relay. */
  private void transfer(EventLoopGroup ga, EventLoopGroup gb, boolean lossy) throws Exception {
    UdxSocket a = bind(ga);
    UdxSocket b = bind(gb);
    try (LossyRelay relay = lossy ? new LossyRelay(a.localAddress(), b.localAddress(), 0.02, 0.02, 0.02, 11) : null) {
      InetSocketAddress aTo = relay == null ? b.localAddress() : new InetSocketAddress("127.0.0.1", relay.portForA());
      InetSocketAddress bTo = relay == null ? a.localAddress() : new InetSocketAddress("127.0.0.1", relay.portForB());
      BulkTransfer.exchange(a, b, aTo, bTo, 4L << 20, 4L << 20, WAIT_SECONDS);
    }
  }

  private EventLoopGroup epoll() {
    assertTrue(Epoll.isAvailable(), () -> "epoll did not load: " + Epoll.unavailabilityCause());
    return track(new EpollEventLoopGroup(1, new DefaultThreadFactory("udx-loops-epoll")));
  }

  private EventLoopGroup nio() {
    return track(new NioEventLoopGroup(1, new DefaultThreadFactory("udx-loops-nio")));
  }

  private EventLoopGroup track(EventLoopGroup g) {
    groups.add(g);
    return g;
  }

  private UdxSocket bind(EventLoopGroup g) {
    UdxSocket s = UdxSocket.bind(g, LOOPBACK, FAST);
    sockets.add(s);
    return s;
  }
}
