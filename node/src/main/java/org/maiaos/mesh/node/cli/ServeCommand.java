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
  @Option(names = "--append-stdin", description = "While serving, append each stdin line as one block (peers hear of it at once) and print"
      + " the new length; the end of stdin stops the appending, not the server. This process holds the core, so another"
      + " process cannot append to it; read-only commands (core info/get, bee get/range) still work beside it.") boolean appendStdin;

  @Override
  public Integer call() throws Exception {
    Endpoint at = Endpoint.parse(listen);
    EventLoopGroup group = new NioEventLoopGroup(0, new io.netty.util.concurrent.DefaultThreadFactory("node-serve"));
    try (Hypercore core = Hypercore.open(dir); Replicator replicator = new Replicator(core)) {
      if (appendStdin && !core.writable()) throw new CliException("BAD_ARGUMENT: --append-stdin needs a writable core; " + dir + " is a replica");
      if (appendStdin && core.length() > 0 && org.maiaos.mesh.hyperbee.Hyperbee.isHyperbee(core)) {
        throw new CliException("BAD_ARGUMENT: --append-stdin appends raw blocks, which would break the hyperbee in " + dir);
      }
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
      if (appendStdin) startAppending(core);
      server.closeFuture().sync();
      return 0;
    } finally {
      group.shutdownGracefully();
    }
  }

  /** Appends stdin's lines one by one on a thread of their own; a bad line is reported and skipped. */
  private static void startAppending(Hypercore core) {
    Thread t = new Thread(() -> {
      try {
        LineReader lines = new LineReader(System.in, Hypercore.MAX_BLOCK_BYTES);
        for (LineReader.Line line; (line = lines.next()) != null; ) {
          if (line.tooLong()) {
            System.err.println("BAD_ARGUMENT: stdin line " + line.number() + " is over the " + Hypercore.MAX_BLOCK_BYTES
                + "-byte block limit: not appended");
            continue;
          }
          long length = core.append(line.bytes());
          System.out.println("length " + length);
          System.out.flush();
        }
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("appending stopped: " + e.getMessage());
      }
    }, "serve-append");
    t.setDaemon(true);
    t.start();
  }
}
