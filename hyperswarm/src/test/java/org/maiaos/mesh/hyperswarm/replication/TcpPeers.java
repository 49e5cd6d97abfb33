package org.maiaos.mesh.hyperswarm.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/** Java replication endpoints on 127.0.0.1 TCP for tests: one event loop group, closed at the end. */
final class TcpPeers implements AutoCloseable {
  final EventLoopGroup group = new NioEventLoopGroup(2);

  Channel listen(boolean initiator, List<Replicator> cores) throws InterruptedException {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ProtocolStream.install(ch, initiator, Ed25519.keyPair(), ProtocolStream.of(cores));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  static int port(Channel server) {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  Channel connect(int port, boolean initiator, List<Replicator> cores) throws InterruptedException {
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ProtocolStream.install(ch, initiator, Ed25519.keyPair(), ProtocolStream.of(cores));
          }
        })
        .connect("127.0.0.1", port).sync().channel();
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }
}
