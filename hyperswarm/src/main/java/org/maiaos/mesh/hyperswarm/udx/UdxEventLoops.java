package org.maiaos.mesh.hyperswarm.udx;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The event-loop groups UDX sockets run on, and how a socket's channel is made for each.
 *
 * <p>On Linux, where Netty's native epoll transport loads, a group is an epoll group and a socket an
 * {@link EpollDatagramChannel}: the packets written in one event-loop turn leave in one
 * {@code sendmmsg} call and a read takes up to {@value #READ_BATCH} datagrams in one
 * {@code recvmmsg} call (libudx, through libuv, reads with {@code recvmmsg} as well). Elsewhere, or
 * with {@code -Dmesh.udx.transport=nio}, it is NIO: one system call per datagram.
 *
 * <p>Either way a socket reads at most {@link UdxPacket#MAX_DATAGRAM_BYTES} bytes of a datagram,
 * as libudx does; a longer datagram arrives cut to one byte more, so the socket can tell and drop
 * it instead of reading a truncated packet.
 */
public final class UdxEventLoops {
  /** Datagrams one {@code recvmmsg} call may take. */
  static final int READ_BATCH = 32;
  /** The bytes read of each datagram: one more than the longest one accepted. */
  static final int READ_SLOT_BYTES = UdxPacket.MAX_DATAGRAM_BYTES + 1;

  private UdxEventLoops() {}

  /** True when new groups are epoll groups. */
  public static boolean nativeTransport() {
    return !"nio".equals(System.getProperty("mesh.udx.transport")) && Epoll.isAvailable();
  }

  /** A group for UDX sockets (and whatever else runs beside them): epoll where it loads, else NIO. */
  public static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return nativeTransport()
        ? new EpollEventLoopGroup(threads, threadFactory)
        : new NioEventLoopGroup(threads, threadFactory);
  }

  /** "epoll" or "nio": what a socket bound on {@code group} uses. */
  public static String transportName(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup ? "epoll" : "nio";
  }

  /** Sets the channel type and read options of a datagram socket on {@code group}. */
  static Bootstrap datagramBootstrap(EventLoopGroup group) {
    Bootstrap b = new Bootstrap().group(group);
    if (group instanceof EpollEventLoopGroup) {
      return b.channel(EpollDatagramChannel.class)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_SLOT_BYTES)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_SLOT_BYTES * READ_BATCH));
    }
    return b.channel(NioDatagramChannel.class)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_SLOT_BYTES));
  }
}
