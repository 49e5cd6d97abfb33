package org.maiaos.mesh.hyperswarm.udx;

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
    BulkTransfer.exchange(a, b, b.localAddress(), a.localAddress(), 8L << 20, 8L << 20, WAIT_SECONDS);
  }

  @Test
  void transfersThroughARelayThatDropsDuplicatesAndReorders() throws Exception {
    try (LossyRelay relay = new LossyRelay(a.localAddress(), b.localAddress(), 0.05, 0.02, 0.05, 42)) {
      BulkTransfer.exchange(a, b, new InetSocketAddress("127.0.0.1", relay.portForA()),
          new InetSocketAddress("127.0.0.1", relay.portForB()), 2L << 20, 1L << 20, WAIT_SECONDS);
    }
  }
}
