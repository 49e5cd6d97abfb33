package org.maiaos.mesh.node.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * A sparse replica of a remote core for the {@code fetch} commands: opened (or created) in a
 * directory or a temp dir, connected as the initiator to one peer; closing it closes everything
 * and removes a temp dir.
 */
final class RemoteReplica implements AutoCloseable {
  final Hypercore core;
  final Replicator replicator;
  private final EventLoopGroup group;
  private final Path dir;
  private final boolean temp;

  private RemoteReplica(Hypercore core, Path dir, boolean temp) {
    this.core = core;
    this.dir = dir;
    this.temp = temp;
    this.replicator = new Replicator(core);
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("node-fetch"));
  }

  /** Parses the arguments, opens the replica and connects; every user mistake is one CliException line. */
  static RemoteReplica connect(String keyHex, String endpoint, Path dir) throws IOException {
    Key32 key;
    try {
      key = Key32.fromHex(keyHex);
    } catch (HypercoreException e) {
      throw new CliException("BAD_ARGUMENT: KEY must be 64 hex characters");
    }
    Endpoint at = Endpoint.parse(endpoint);
    boolean temp = dir == null;
    Path where = temp ? Files.createTempDirectory("mesh-fetch-") : dir;
    RemoteReplica r = new RemoteReplica(openReplica(where, key, temp), where, temp);
    try {
      connect(r.group, at, r.replicator);
      return r;
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** Connects to {@code at} as the initiator and replicates {@code replicator}'s core over it. */
  static void connect(EventLoopGroup group, Endpoint at, Replicator replicator) {
    try {
      new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream.install(ch, true, Ed25519.keyPair(), ProtocolStream.of(List.of(replicator)));
            }
          })
          .connect(at.host(), at.port()).sync();
    } catch (Exception e) {
      throw new CliException("BAD_ARGUMENT: cannot connect to " + at + ": " + e.getMessage());
    }
  }

  private static Hypercore openReplica(Path where, Key32 k, boolean fresh) {
    if (!fresh && Files.exists(where.resolve("header"))) {
      Hypercore core = Hypercore.open(where);
      if (!core.key().equals(k)) {
        core.close();
        throw new CliException("BAD_ARGUMENT: " + where + " holds core " + core.key() + ", not " + k);
      }
      return core;
    }
    return Hypercore.createReplica(where, k);
  }

  /** The remote length, verified (upgrade proof and signature). */
  long update() throws Exception {
    return unwrap(() -> replicator.update().get());
  }

  interface Waiting<T> {
    T get() throws Exception;
  }

  /** Waits, and reports a failed future by its HypercoreException (one clean line). */
  static <T> T unwrap(Waiting<T> w) throws Exception {
    try {
      return w.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HypercoreException he) throw he;
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      replicator.close();
      core.close();
    } finally {
      group.shutdownGracefully();
      if (temp) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
          // best effort for a temp dir
        }
      }
    }
  }
}
