package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** The plain-UDP transport on 127.0.0.1: delivery with the sender's address, the size bound, port clashes. */
class NettyDatagramTransportTest {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("hyperswarm-test-udp"));

  private record Got(byte[] bytes, PeerAddress from) { }

  @AfterEach
  void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  @Test
  void deliversADatagramWithItsSenderAndDropsOversizedOnes() throws Exception {
    BlockingQueue<Got> inbox = new LinkedBlockingQueue<>();
    DatagramTransport.Binder binder = NettyDatagramTransport.binder(group, 100);
    try (DatagramTransport a = binder.bind("127.0.0.1", 0, (s, d, f) -> inbox.add(new Got(d, f)));
        DatagramTransport b = binder.bind("127.0.0.1", 0, (s, d, f) -> { })) {
      PeerAddress to = new PeerAddress("127.0.0.1", a.localPort());
      b.send(to, new byte[101]); // over the bound: dropped
      b.send(to, new byte[] {1, 2, 3});
      Got g = inbox.poll(30, TimeUnit.SECONDS);
      assertNotNull(g, "datagram within 30 s");
      assertArrayEquals(new byte[] {1, 2, 3}, g.bytes());
      assertEquals(new PeerAddress("127.0.0.1", b.localPort()), g.from());
    }
  }

  @Test
  void bindingATakenPortFails() throws Exception {
    DatagramTransport.Binder binder = NettyDatagramTransport.binder(group, 100);
    try (DatagramTransport a = binder.bind("127.0.0.1", 0, (s, d, f) -> { })) {
      assertThrows(IOException.class, () -> binder.bind("127.0.0.1", a.localPort(), (s, d, f) -> { }));
    }
  }
}
