package org.maiaos.mesh.node.cli;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh core serve DIR --listen HOST:PORT}: serves the core to every peer that connects over
 * TCP, as JS {@code socket.pipe(core.replicate(false)).pipe(socket)} does, until killed.
 */
@Command(name = "serve", description = "Serve the core in DIR to every peer that connects (secret-stream + Protomux + hypercore/alpha).", mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the core (or bee) to serve.") Path dir;
  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Address to listen on (port 0 picks a free one).") String listen;

  @Override
  public Integer call() throws Exception {
    Endpoint at = Endpoint.parse(listen);
    EventLoopGroup group = new NioEventLoopGroup(0, new io.netty.util.concurrent.DefaultThreadFactory("node-serve"));
    try (Hypercore core = Hypercore.open(dir); Replicator replicator = new Replicator(core)) {
      ProtocolStream.Cores cores = ProtocolStream.of(List.of(replicator));
      Channel server;
      try {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ProtocolStream.install(ch, false, Ed25519.keyPair(), cores);
              }
            })
            .bind(at.host(), at.port()).sync().channel();
      } catch (Exception e) {
        throw new CliException("BAD_ARGUMENT: cannot listen on " + at + ": " + e.getMessage());
      }
      InetSocketAddress bound = (InetSocketAddress) server.localAddress();
      System.out.println("listening " + new Endpoint(at.host(), bound.getPort()));
      System.out.flush();
      server.closeFuture().sync();
      return 0;
    } finally {
      group.shutdownGracefully();
    }
  }
}
