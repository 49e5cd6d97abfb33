package org.maiaos.mesh.hyperswarm.dht;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.EventLoopScheduler;
import org.maiaos.mesh.hyperswarm.dht.rpc.RpcLimits;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;
import org.maiaos.mesh.hyperswarm.udx.UdxEventLoops;
import org.maiaos.mesh.hyperswarm.udx.UdxLimits;

/**
 * A network of Java HyperDHT nodes on 127.0.0.1 for tests, on one event loop (UDX and dht-rpc on
 * one socket per node), which is also their scheduler ({@link EventLoopScheduler}, as the CLI's nodes run): {@link #network()} starts three persistent nodes, the
 * first the bootstrapper; {@link #client()} adds an ephemeral one. Close it after each test.
 */
public final class JavaDhtNet implements AutoCloseable {
  public static final long WAIT_S = 30;
  private final EventLoopGroup group;
  private final Scheduler scheduler;
  private final DatagramTransport.Binder udx;
  private final List<HyperDht> nodes = new ArrayList<>();
  private List<PeerAddress> boot = List.of();

  public JavaDhtNet(String threadName) {
    group = UdxEventLoops.newGroup(1, new DefaultThreadFactory(threadName));
    scheduler = new EventLoopScheduler(group.next());
    udx = UdxDatagramTransport.binder(group, UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes());
  }

  /** Three persistent nodes; returns the bootstrap list (the first node). */
  public List<PeerAddress> network() throws Exception {
    HyperDht first = open(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    boot = List.of(first.rpc().serverAddress());
    open(DhtRpcOptions.persistent(boot));
    open(DhtRpcOptions.persistent(boot));
    return boot;
  }

  public List<PeerAddress> bootstrap() {
    return boot;
  }

  /** An ephemeral node bootstrapped from the network. */
  public HyperDht client() throws Exception {
    return open(DhtRpcOptions.DEFAULT.withBootstrap(boot));
  }

  /** Opens a node, waits until it has bootstrapped, and closes it with the network. */
  public HyperDht open(DhtRpcOptions opts) throws Exception {
    HyperDht d = HyperDht.open(opts, scheduler, udx);
    nodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** The nodes, then the event loop (and with it the scheduler). */
  @Override
  public void close() throws Exception {
    for (HyperDht d : nodes) d.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }
}
