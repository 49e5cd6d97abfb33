package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.loopback.LossyRelay;

class UdxStreamTest {
  private static final long WAIT_SECONDS = 120;
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
  private static final UdxLimits FAST = UdxLimits.DEFAULTS.withRto(Duration.ofMillis(50), Duration.ofSeconds(2));

  private EventLoopGroup group;
  private UdxSocket a;
  private UdxSocket b;

  @BeforeEach
  void setUp() {
    group = UdxEventLoops.newGroup(2, new DefaultThreadFactory("hyperswarm-udxtest"));
    a = UdxSocket.bind(group, LOOPBACK, FAST);
    b = UdxSocket.bind(group, LOOPBACK, FAST);
  }

  @AfterEach
  void tearDown() throws Exception {
    a.close();
    b.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void transfersBytesBothWaysAndEndsCleanly() throws Exception {
    transfer(b.localAddress(), a.localAddress(), 8L << 20, 8L << 20);
  }

  @Test
  void transfersThroughARelayThatDropsDuplicatesAndReorders() throws Exception {
    try (LossyRelay relay = new LossyRelay(a.localAddress(), b.localAddress(), 0.05, 0.02, 0.05, 42)) {
      transfer(new InetSocketAddress("127.0.0.1", relay.portForA()), new InetSocketAddress("127.0.0.1", relay.portForB()),
          2L << 20, 1L << 20);
    }
  }

  /** a sends {@code ab} bytes to b and b sends {@code ba} to a; {@code aTo} is where a's packets go. */
  private void transfer(InetSocketAddress aTo, InetSocketAddress bTo, long ab, long ba) throws Exception {
    UdxStream sa = a.createStream(1);
    UdxStream sb = b.createStream(2);
    BulkTransfer.Source srcA = new BulkTransfer.Source(ab, 1);
    BulkTransfer.Sink sinkA = new BulkTransfer.Sink(false);
    BulkTransfer.Source srcB = new BulkTransfer.Source(ba, 2);
    BulkTransfer.Sink sinkB = new BulkTransfer.Sink(false);
    sa.pipeline().addLast(srcA, sinkA);
    sb.pipeline().addLast(srcB, sinkB);
    sa.connect(2, aTo);
    sb.connect(1, bTo);
    BulkTransfer.Received atB = sinkB.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    BulkTransfer.Received atA = sinkA.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ab, atB.bytes());
    assertEquals(srcA.sent.get(WAIT_SECONDS, TimeUnit.SECONDS), atB.sha256());
    assertEquals(ba, atA.bytes());
    assertEquals(srcB.sent.get(WAIT_SECONDS, TimeUnit.SECONDS), atA.sha256());
    sa.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS);
    sb.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(false, sa.isOpen());
    assertEquals(false, sb.isOpen());
    assertNull(sa.closeCause());
    assertNull(sb.closeCause());
  }
}
