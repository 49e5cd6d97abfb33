package org.maiaos.mesh.node.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.protocol.replication.ProtocolStream;
import org.maiaos.mesh.hypercore.protocol.replication.Replicator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh core fetch KEY --connect HOST:PORT --index N [--dir DIR] --json}: connects as the
 * initiator, verifies the remote length (upgrade proof and signature), downloads block N only.
 */
@Command(name = "fetch", description = "Fetch one block of a remote core, verified, downloading nothing else.", mixinStandardHelpOptions = true)
final class FetchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KEY", description = "The core key (64 hex characters).") String key;
  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT") String connect;
  @Option(names = "--index", required = true, paramLabel = "N") long index;
  @Option(names = "--dir", paramLabel = "DIR", description = "Keep the sparse replica here (default: a temp dir, removed after).") Path dir;
  @Option(names = "--json", description = "Print one JSON object.") boolean json;

  @Override
  public Integer call() throws Exception {
    Key32 k;
    try {
      k = Key32.fromHex(key);
    } catch (HypercoreException e) {
      throw new CliException("BAD_ARGUMENT: KEY must be 64 hex characters");
    }
    Endpoint at = Endpoint.parse(connect);
    Path where = dir != null ? dir : Files.createTempDirectory("mesh-fetch-");
    boolean temp = dir == null;
    EventLoopGroup group = new NioEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("node-fetch"));
    try (Hypercore core = openReplica(where, k, temp); Replicator replicator = new Replicator(core)) {
      connect(group, at, replicator);
      long remoteLength = unwrap(() -> replicator.update().get());
      if (index < 0 || index >= remoteLength) {
        throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is out of range (remote length %d)", index, remoteLength);
      }
      byte[] value = unwrap(() -> replicator.get(index).get());
      String hex = HexFormat.of().formatHex(value);
      if (json) {
        System.out.println(new JsonOut().put("index", index).put("value", hex).put("remoteLength", remoteLength)
            .put("downloadedBlocks", replicator.stats().downloadedBlocks()).toString());
      } else {
        System.out.println(hex);
      }
      return 0;
    } finally {
      group.shutdownGracefully();
      if (temp) deleteTree(where);
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

  static Hypercore openReplica(Path where, Key32 k, boolean fresh) {
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

  static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (Exception ignored) {
      // best effort for a temp dir
    }
  }
}
