package org.maiaos.mesh.node.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.mux.Protomux;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.maiaos.mesh.hyperswarm.replication.ReplicatorOptions;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;

/**
 * A sparse replica of a remote core for the {@code fetch} commands: opened (or created) in a
 * directory or a temp dir, connected as the initiator to one peer; closing it closes everything
 * and removes a temp dir.
 *
 * <p>A wait here ends at the first of: the answer, the connection showing it cannot give one (the
 * peer rejected the core's channel, failed the secret-stream handshake, was dropped for a bad
 * message, or closed the connection), or {@code --timeout}. The error names that cause.
 */
final class RemoteReplica implements AutoCloseable {
  /** {@code --timeout} when none is given. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** One request to the peer may take this long before it is retried (never more than the whole timeout). */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  final Hypercore core;
  final Replicator replicator;
  private final EventLoopGroup group;
  private final Path dir;
  private final boolean temp;
  private final Duration timeout;
  private final Endpoint at;
  private final String keyHex;
  /** Fails, with the cause, once the connection shows it cannot answer; never completes normally. */
  private final CompletableFuture<Void> broken = new CompletableFuture<>();

  private RemoteReplica(Hypercore core, Path dir, boolean temp, Endpoint at, Duration timeout) {
    this.core = core;
    this.dir = dir;
    this.temp = temp;
    this.at = at;
    this.timeout = timeout;
    this.keyHex = core.key().hex();
    Duration request = REQUEST_TIMEOUT.compareTo(timeout) < 0 ? REQUEST_TIMEOUT : timeout;
    this.replicator = new Replicator(core, new ReplicatorOptions(request, timeout, ReplicatorOptions.DEFAULTS.maxInvalidRequests()));
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("node-fetch"));
  }

  /** Parses the arguments, opens the replica and connects; every user mistake is one CliException line. */
  static RemoteReplica connect(String keyHex, String endpoint, Path dir, Duration timeout) throws IOException {
    Key32 key;
    try {
      key = Key32.fromHex(keyHex);
    } catch (HypercoreException e) {
      throw new CliException("BAD_ARGUMENT: KEY must be 64 hex characters");
    }
    Endpoint at = Endpoint.parse(endpoint);
    boolean temp = dir == null;
    Path where = temp ? Files.createTempDirectory("mesh-fetch-") : dir;
    RemoteReplica r = new RemoteReplica(openReplica(where, key, temp), where, temp, at, timeout);
    try {
      Connection c = connect(r.group, at, r.replicator, timeout);
      r.watch(c);
      return r;
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** {@code --timeout SECONDS}: BAD_ARGUMENT unless positive. */
  static Duration timeout(long seconds) {
    if (seconds <= 0) throw new CliException("BAD_ARGUMENT: --timeout must be a positive number of seconds");
    return Duration.ofSeconds(seconds);
  }

  /** The handlers of one connection, kept to tell why it ended (the pipeline is empty by then). */
  record Connection(Channel channel, SecretStreamHandler secretStream, Protomux mux, ProtocolStream stream) {}

  /** Connects to {@code at} as the initiator and replicates {@code replicator}'s core over it. */
  static Connection connect(EventLoopGroup group, Endpoint at, Replicator replicator) {
    return connect(group, at, replicator, DEFAULT_TIMEOUT);
  }

  static Connection connect(EventLoopGroup group, Endpoint at, Replicator replicator, Duration timeout) {
    // The handlers are taken while the pipeline is built: a peer that sends garbage can have
    // them removed before connect() returns (the pipeline is empty once the channel closes).
    Connection[] made = new Connection[1];
    Channel ch;
    try {
      ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 10_000))
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream stream = ProtocolStream.install(ch, true, Ed25519.keyPair(), ProtocolStream.of(List.of(replicator)));
              made[0] = new Connection(ch, ch.pipeline().get(SecretStreamHandler.class), ch.pipeline().get(Protomux.class), stream);
            }
          })
          .connect(at.host(), at.port()).sync().channel();
    } catch (Exception e) {
      // a network failure, not a mistake in the arguments
      throw new CliException("CONNECTION_FAILED: cannot connect to " + at + ": " + e.getMessage());
    }
    return made[0];
  }

  private void watch(Connection c) {
    c.stream().remoteOpened(core.discoveryKey()).whenComplete((opened, e) -> {
      if (e == null && !opened) fail(c, true);
    });
    c.channel().closeFuture().addListener(f -> fail(c, false));
  }

  /** Fails {@link #broken} with the most telling cause the connection shows. */
  private void fail(Connection c, boolean rejected) {
    String why;
    try {
      why = why(c, rejected);
    } catch (RuntimeException e) { // a listener that throws would leave the wait to the timeout
      why = "CONNECTION_FAILED: the connection to " + at + " ended (" + e + ")";
    }
    broken.completeExceptionally(new CliException(why));
  }

  private String why(Connection c, boolean rejected) {
    if (!c.secretStream().handshakeFuture().isSuccess()) {
      HypercoreException f = c.secretStream().failure();
      return (f == null ? "CONNECTION_FAILED" : f.code().name()) + ": the peer at " + at
          + " is not a hypercore peer: the secret-stream handshake failed (" + (f == null ? "the connection closed" : detail(f)) + ")";
    }
    HypercoreException dropped = c.mux().failure() != null ? c.mux().failure() : c.secretStream().failure();
    if (dropped != null) return dropped.code().name() + ": the connection to " + at + " ended: " + detail(dropped);
    if (rejected) return "BLOCK_NOT_AVAILABLE: the peer at " + at + " does not have core " + keyHex;
    return "CONNECTION_FAILED: the peer at " + at + " closed the connection";
  }

  /** A message without its leading {@code CODE: }. */
  private static String detail(HypercoreException e) {
    String m = e.getMessage();
    String prefix = e.code().name() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
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
    try {
      return await(replicator.update());
    } catch (HypercoreException e) {
      if (e.code() != CoreError.REQUEST_TIMEOUT) throw e;
      throw new CliException("REQUEST_TIMEOUT: the peer at " + at + " did not tell the length of core " + keyHex + " within " + timeout.toSeconds() + " s (--timeout)");
    }
  }

  /** Block {@code index}, fetched if need be. */
  byte[] get(long index) throws Exception {
    return await(replicator.get(index));
  }

  /**
   * Runs a blocking read of the replica (a Hyperbee walk, which fetches the blocks it needs) on
   * its own thread, so that it too ends at the first cause or the timeout.
   */
  <T> T read(Supplier<T> work) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(work.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    }, "node-fetch-read");
    t.setDaemon(true); // it ends with the replicator's close (SESSION_CLOSED) at the latest
    t.start();
    return await(f);
  }

  /** Waits for {@code f}, the connection's failure, or the timeout, whichever comes first. */
  <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      CompletableFuture.anyOf(f, broken).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return f.getNow(null);
    } catch (TimeoutException e) {
      throw new CliException("REQUEST_TIMEOUT: no answer from the peer at " + at + " for core " + keyHex + " within " + timeout.toSeconds() + " s (--timeout)");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HypercoreException he) throw he;
      if (e.getCause() instanceof CliException ce) throw ce;
      throw e;
    }
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
