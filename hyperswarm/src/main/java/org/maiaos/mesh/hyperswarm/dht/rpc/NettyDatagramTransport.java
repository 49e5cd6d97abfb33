package org.maiaos.mesh.hyperswarm.dht.rpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain UDP through a Netty {@link NioDatagramChannel}. Inbound packets are copied to a
 * {@code byte[]} and released on the event loop; oversized ones and non-IPv4 sources are dropped
 * there. The caller owns the {@link EventLoopGroup}.
 */
final class NettyDatagramTransport implements DatagramTransport {
  private static final Logger LOG = LoggerFactory.getLogger(NettyDatagramTransport.class);
  private final Channel channel;
  private final int port;

  private NettyDatagramTransport(Channel channel) {
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** A {@link DatagramTransport.Binder} on {@code group}, dropping datagrams over {@code maxBytes}. */
  public static Binder binder(EventLoopGroup group, int maxBytes) {
    return (host, port, receiver) -> bind(group, host, port, receiver, maxBytes);
  }

  static NettyDatagramTransport bind(EventLoopGroup group, String host, int port, Receiver receiver, int maxBytes)
      throws IOException {
    NettyDatagramTransport[] self = new NettyDatagramTransport[1];
    Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        // Netty reads at most 2048 bytes per datagram by default and truncates the rest silently;
        // one byte more than the limit lets an oversized datagram be seen (and dropped) as such
        .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(maxBytes + 1))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ByteBuf buf = p.content();
            InetSocketAddress sender = p.sender();
            if (self[0] == null || buf.readableBytes() > maxBytes || sender == null
                || sender.getAddress().getAddress().length != 4) {
              return; // released by SimpleChannelInboundHandler
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            receiver.onDatagram(self[0], bytes, PeerAddress.of(sender));
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("udp socket error: {}", cause.toString()); // ICMP unreachable and such: not fatal
          }
        });
    try {
      Channel ch = b.bind(host, port).sync().channel();
      self[0] = new NettyDatagramTransport(ch);
      return self[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + host + ":" + port, e);
    } catch (Exception e) {
      throw new IOException("cannot bind " + host + ":" + port + ": " + e, e);
    }
  }

  @Override
  public int localPort() {
    return port;
  }

  @Override
  public void send(PeerAddress to, byte[] datagram) {
    if (!channel.isActive()) return;
    channel.writeAndFlush(new DatagramPacket(io.netty.buffer.Unpooled.wrappedBuffer(datagram), to.toSocketAddress()));
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5000);
  }
}
