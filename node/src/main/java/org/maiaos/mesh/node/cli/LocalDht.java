package org.maiaos.mesh.node.cli;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.UdxDatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.EventLoopScheduler;
import org.maiaos.mesh.hyperswarm.dht.rpc.RpcLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxEventLoops;
import org.maiaos.mesh.hyperswarm.udx.UdxLimits;

/**
 * A private HyperDHT on 127.0.0.1 inside one process, for {@code mesh demo}: persistent bootstrap
 * nodes (the first takes its bound address as its own, as {@code mesh dht bootstrap} without
 * {@code --bootstrap} does), and client nodes joined to them, all on one event loop, which is their
 * scheduler too. It never knows the public bootstrap nodes. Closing closes every node, then the
 * loop, each bounded.
 */
final class LocalDht implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final EventLoopGroup group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("node-demo-dht"));
  /** The nodes run on the loop that reads their sockets: no thread hand-over per datagram. */
  private final EventLoopScheduler scheduler = new EventLoopScheduler(group.next());
  private final List<HyperDht> nodes = new ArrayList<>();
  private final Duration wait;
  private List<PeerAddress> bootstrap = List.of();

  private LocalDht(Duration wait) {
    this.wait = wait;
  }

  /** {@code persistent} bootstrap nodes, each bootstrapped within {@code wait}. */
  static LocalDht start(int persistent, Duration wait) throws InterruptedException {
    LocalDht d = new LocalDht(wait);
    try {
      HyperDht first = d.open(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
      d.bootstrap = List.of(first.rpc().serverAddress());
      for (int i = 1; i < persistent; i++) d.open(DhtRpcOptions.persistent(d.bootstrap));
      return d;
    } catch (RuntimeException | InterruptedException e) {
      d.close();
      throw e;
    }
  }

  /** The addresses the nodes bootstrap from: the first persistent node's. */
  List<PeerAddress> bootstrap() {
    return bootstrap;
  }

  /** A new client node (ephemeral until shown reachable), bootstrapped; for one region node's swarm. */
  HyperDht client() throws InterruptedException {
    return open(DhtRpcOptions.DEFAULT.withBootstrap(bootstrap));
  }

  private HyperDht open(DhtRpcOptions opts) throws InterruptedException {
    HyperDht dht;
    try {
      dht = HyperDht.open(opts.withHost(HOST), scheduler,
          UdxDatagramTransport.binder(group, UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes()));
    } catch (IOException e) {
      throw new CliException("BAD_ARGUMENT: cannot bind a DHT node on " + HOST + ": " + e.getMessage());
    }
    synchronized (nodes) {
      nodes.add(dht);
    }
    Deadline deadline = Deadline.ofSeconds(wait.toSeconds());
    deadline.await(dht.rpc().fullyBootstrapped(), () -> "REQUEST_TIMEOUT: a DHT node on " + HOST + " did not bootstrap within " + wait.toSeconds() + " s");
    return dht;
  }

  /** The nodes (each at most 5 s), then the event loop (and with it the scheduler). */
  @Override
  public void close() {
    List<HyperDht> all;
    synchronized (nodes) {
      all = new ArrayList<>(nodes);
      nodes.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (RuntimeException e) {
        // the demo has its answer; the others still close
      }
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
