package org.maiaos.mesh.node.cli;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
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
 * The HyperDHT node of one {@code mesh dht} or {@code mesh swarm} command, with the event loop it
 * runs on (its scheduler too): dht-rpc and UDX streams share its one UDP socket. Closing closes
 * both.
 */
final class DhtNode implements AutoCloseable {
  private final EventLoopGroup group;
  private final HyperDht dht;

  private DhtNode(EventLoopGroup group, HyperDht dht) {
    this.group = group;
    this.dht = dht;
  }

  /** The slf4j-simple property that sets the level of the hyperswarm module's loggers. */
  static final String SWARM_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.maiaos.mesh.hyperswarm";

  /**
   * Keeps the hyperswarm module's INFO lines (bootstrapped, connected...) off stderr, where a
   * command's error is its one line; warnings still show. A level the user set
   * ({@code MESH_JAVA_OPTS=-D...hyperswarm=info}) wins. Call before the first hyperswarm class logs.
   */
  static void quietLibraryLogs() {
    if (System.getProperty(SWARM_LOG_LEVEL) == null) System.setProperty(SWARM_LOG_LEVEL, "warn");
  }

  /** The options of a client node (ephemeral unless shown reachable) bound to {@code bind} (--bind). */
  static DhtRpcOptions client(List<PeerAddress> bootstrap, String bind) {
    return DhtRpcOptions.DEFAULT.withBootstrap(bootstrap).withHost(new Endpoint(bind, 0).ipv4().host());
  }

  /** Binds {@code opts.host()}:{@code opts.port()} (BAD_ARGUMENT if it cannot) and starts bootstrapping. */
  static DhtNode open(DhtRpcOptions opts) {
    EventLoopGroup group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("node-dht"));
    try {
      // the DHT runs on the loop that reads its socket: no thread hand-over per datagram
      HyperDht dht = HyperDht.open(opts, new EventLoopScheduler(group.next()),
          UdxDatagramTransport.binder(group, UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes()));
      return new DhtNode(group, dht);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new CliException("BAD_ARGUMENT: cannot bind a DHT node on " + opts.host() + ":" + opts.port() + ": " + e.getMessage());
    }
  }

  HyperDht dht() {
    return dht;
  }

  /** The bound address other nodes reach us at. */
  PeerAddress address() {
    return dht.rpc().serverAddress();
  }

  /**
   * Waits until the node has bootstrapped from {@code bootstrap} (the --bootstrap argument, for
   * the messages) and, if {@code needPeers}, fails with CONNECTION_FAILED when no node answered.
   */
  void bootstrapped(Deadline deadline, String bootstrap, boolean needPeers) throws InterruptedException {
    deadline.await(dht.rpc().fullyBootstrapped(),
        () -> "REQUEST_TIMEOUT: bootstrapping from " + bootstrap + " did not finish " + deadline.within());
    if (!needPeers) return;
    List<PeerAddress> known = deadline.await(dht.rpc().nodes(),
        () -> "REQUEST_TIMEOUT: the DHT node did not answer " + deadline.within());
    if (known.isEmpty()) {
      throw new CliException("CONNECTION_FAILED: no DHT node answered at --bootstrap " + bootstrap);
    }
  }

  /** The node (at most 5 s), then its event loop, which is also its scheduler. */
  @Override
  public void close() {
    try {
      dht.close();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
