package org.maiaos.mesh.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh demo}: the README's main job for now. It shows the current capability end to end on
 * an embedded default: create a core, append batches, reopen it from disk, read blocks back,
 * truncate, print the signed head, replicate it to a sparse replica over loopback TCP, and write
 * and read a Hyperbee.
 */
@Command(name = "demo", description = "Create a core, append, reopen, read back, truncate, replicate sparsely over TCP, write a bee; print each step.", mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Where to create the demo core (default: a new temp dir).") Path dir;
  @Option(names = "--blocks", description = "How many blocks to append (default: ${DEFAULT-VALUE}).", defaultValue = "1000") int blocks;

  @Override
  public Integer call() throws IOException {
    Path where = dir != null ? dir : Files.createTempDirectory("mesh-demo-");
    System.out.println("creating a core in " + where);
    try (Hypercore core = Hypercore.create(where, HypercoreOptions.defaults())) {
      System.out.println("key           " + core.key().hex());
      System.out.println("discoveryKey  " + core.discoveryKey().hex());
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < blocks; i++) {
        batch.add(("block " + i).getBytes(StandardCharsets.UTF_8));
        if (batch.size() == 100 || i == blocks - 1) {
          core.append(batch);
          batch = new ArrayList<>();
        }
      }
      System.out.println("appended " + core.length() + " blocks in batches of 100");
    }
    try (Hypercore core = Hypercore.open(where)) {
      System.out.println("reopened: length " + core.length() + ", signature verified on open");
      long last = core.length() - 1;
      if (last >= 0) {
        System.out.println("block " + last + " = " + new String(core.get(last), StandardCharsets.UTF_8));
        core.truncate(core.length() / 2);
        System.out.println("truncated to " + core.length() + ", fork " + core.fork());
      }
      System.out.println(CoreCommands.infoJson(core.info()));
      replicate(core, where);
    }
    bee(where);
    return 0;
  }

  /** A sparse replica on the same machine fetches two blocks over TCP, verified, and nothing else. */
  private static void replicate(Hypercore core, Path where) throws IOException {
    io.netty.channel.EventLoopGroup group = new io.netty.channel.nio.NioEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("node-demo"));
    try (org.maiaos.mesh.hypercore.protocol.replication.Replicator served = new org.maiaos.mesh.hypercore.protocol.replication.Replicator(core);
        Hypercore replica = Hypercore.createReplica(where.resolve("replica"), core.key());
        org.maiaos.mesh.hypercore.protocol.replication.Replicator reader = new org.maiaos.mesh.hypercore.protocol.replication.Replicator(replica)) {
      io.netty.channel.Channel server = new io.netty.bootstrap.ServerBootstrap().group(group)
          .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
          .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
            @Override
            protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
              org.maiaos.mesh.hypercore.protocol.replication.ProtocolStream.install(ch, false,
                  org.maiaos.mesh.hypercore.crypto.Ed25519.keyPair(),
                  org.maiaos.mesh.hypercore.protocol.replication.ProtocolStream.of(List.of(served)));
            }
          }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
      int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
      RemoteReplica.connect(group, new Endpoint("127.0.0.1", port), reader);
      long length = RemoteReplica.unwrap(() -> reader.update().get());
      String first = new String(RemoteReplica.unwrap(() -> reader.get(0).get()), StandardCharsets.UTF_8);
      String last = new String(RemoteReplica.unwrap(() -> reader.get(length - 1).get()), StandardCharsets.UTF_8);
      System.out.println("replica over 127.0.0.1:" + port + ": verified length " + length + ", fetched '" + first + "' and '" + last
          + "', downloaded " + reader.stats().downloadedBlocks() + " blocks");
      server.close().syncUninterruptibly();
    } catch (Exception e) {
      if (e instanceof RuntimeException re) throw re;
      throw new IOException(e);
    } finally {
      group.shutdownGracefully();
    }
  }

  /** A Hyperbee: a few puts in one batch, a get and a range. */
  private static void bee(Path where) {
    try (Hypercore core = Hypercore.create(where.resolve("bee"), HypercoreOptions.defaults())) {
      org.maiaos.mesh.hyperbee.Hyperbee<byte[], byte[]> bee = org.maiaos.mesh.hyperbee.Hyperbee.open(core);
      try (org.maiaos.mesh.hyperbee.Batch<byte[], byte[]> b = bee.batch()) {
        for (String region : List.of("eu", "us", "ap")) b.put(("region/" + region).getBytes(StandardCharsets.UTF_8), ("node in " + region).getBytes(StandardCharsets.UTF_8));
        b.flush();
      }
      System.out.println("bee: region/us = " + new String(bee.get("region/us".getBytes(StandardCharsets.UTF_8)).orElseThrow().value(), StandardCharsets.UTF_8)
          + "; " + bee.list(org.maiaos.mesh.hyperbee.Range.<byte[]>all()).size() + " entries, core length " + core.length());
    }
  }
}
