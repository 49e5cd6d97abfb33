package org.maiaos.mesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.HyperDhtServer;
import org.maiaos.mesh.hyperswarm.dht.LookupReply;
import org.maiaos.mesh.hyperswarm.dht.UdxDatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.DatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.EventLoopScheduler;
import org.maiaos.mesh.hyperswarm.dht.rpc.ExecutorScheduler;
import org.maiaos.mesh.hyperswarm.dht.rpc.RpcLimits;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxEventLoops;
import org.maiaos.mesh.hyperswarm.udx.UdxLimits;

/**
 * Issue 10's connect benchmark: lookup + connect latency on a 5-node network on 127.0.0.1, Java
 * (5 persistent {@link HyperDht} nodes, the first the bootstrapper) and JS (hyperdht 6.34.0
 * {@code createTestnet(5)}, interop/bench-connect.js), one after the other in one invocation. On
 * each side a server node listens (echo) and announces its key under a topic; a client node runs
 * {@code connect.warmup} + {@code connect.samples} cycles of lookup(topic) to its end (the server's
 * key must be among the peers), connect(serverKey) with a key pair made before the clock starts, a
 * 1-byte echo; the sample runs from the lookup's start to the echo. Closing is not timed. Both
 * sides' samples go through the same statistics here (nearest-rank median and p99).
 */
final class ConnectBench {
  private static final long WAIT_S = 30;
  private static final int NETWORK_NODES = 5;

  private ConnectBench() {}

  static void run(Path interop) throws Exception {
    int samples = Integer.getInteger("connect.samples", 200);
    // 200 warm-up cycles on each side: the latency of a node that has been running a while. In the
    // first ~100 connects after a JVM starts, the JIT is still compiling the path (with 20 warm-up
    // cycles Java's slow samples all fall in cycles 20-110); -Dconnect.warmup=20 shows that start-up.
    int warmup = Integer.getInteger("connect.warmup", 200);
    boolean jsRelayCache = !"false".equals(System.getProperty("connect.jsRelayCache", "true"));
    Random seeds = new Random(10);
    byte[] topic = new byte[32];
    byte[] serverSeed = new byte[32];
    seeds.nextBytes(topic);
    seeds.nextBytes(serverSeed);
    System.out.printf("connect: %d-node network on 127.0.0.1, %d samples after %d warm-up samples (not counted)%n",
        NETWORK_NODES, samples, warmup);

    long[] java = javaSamples(samples, warmup, Key32.of(topic), Ed25519.keyPair(serverSeed));
    report("java", java);
    List<String> args = new ArrayList<>(List.of(Integer.toString(samples), Integer.toString(warmup),
        HexFormat.of().formatHex(topic), HexFormat.of().formatHex(serverSeed)));
    if (!jsRelayCache) args.add("noRelayCache");
    String out = new JsSide(interop).run("bench-connect.js", args.toArray(String[]::new));
    long[] js = JsSide.numbers(out, "samplesNs");
    if (js.length != samples || JsSide.field(out, "found") != samples) {
      throw new IllegalStateException("not the same work: java " + samples + " samples that found the server, js " + out);
    }
    report(jsRelayCache ? "js" : "js (relay-address cache cleared per cycle)", js);
    System.out.printf("java/js: median %.2fx, p99 %.2fx (above 1: java faster)%n",
        (double) rank(js, 0.50) / rank(java, 0.50), (double) rank(js, 0.99) / rank(java, 0.99));
  }

  private static void report(String side, long[] ns) {
    System.out.printf("  %s: median %.2f ms, p99 %.2f ms, min %.2f ms, max %.2f ms%n", side, rank(ns, 0.50) / 1e6,
        rank(ns, 0.99) / 1e6, Arrays.stream(ns).min().orElse(0) / 1e6, Arrays.stream(ns).max().orElse(0) / 1e6);
  }

  /** Nearest-rank percentile: the smallest sample with at least {@code q} of all at or below it. */
  static long rank(long[] ns, double q) {
    long[] s = ns.clone();
    Arrays.sort(s);
    return s[(int) Math.ceil(q * s.length) - 1];
  }

  private static long[] javaSamples(int samples, int warmup, Key32 topic, KeyPair serverKp) throws Exception {
    EventLoopGroup group = UdxEventLoops.newGroup(1, new DefaultThreadFactory("bench-connect-io"));
    // the DHT on its socket's event loop, as the CLI runs it; -Dconnect.scheduler=executor: on a thread of its own
    ExecutorScheduler executor = "executor".equals(System.getProperty("connect.scheduler")) ? new ExecutorScheduler() : null;
    Scheduler scheduler = executor != null ? executor : new EventLoopScheduler(group.next());
    DatagramTransport.Binder udx = UdxDatagramTransport.binder(group, UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes());
    List<HyperDht> nodes = new ArrayList<>();
    try {
      HyperDht first = open(nodes, DhtRpcOptions.persistent(List.of()).withBootstrapper(true), scheduler, udx);
      List<PeerAddress> boot = List.of(first.rpc().serverAddress());
      for (int i = 1; i < NETWORK_NODES; i++) open(nodes, DhtRpcOptions.persistent(boot), scheduler, udx);
      HyperDht serverNode = open(nodes, DhtRpcOptions.DEFAULT.withBootstrap(boot), scheduler, udx);
      HyperDht clientNode = open(nodes, DhtRpcOptions.DEFAULT.withBootstrap(boot), scheduler, udx);
      HyperDhtServer server = serverNode.listen(serverKp, null, SecretStreamLimits.DEFAULTS,
          ch -> ch.pipeline().addLast(new Echo())).get(WAIT_S, TimeUnit.SECONDS);
      serverNode.announce(topic, serverKp, server.relayAddresses()).get(WAIT_S, TimeUnit.SECONDS);

      List<KeyPair> keyPairs = new ArrayList<>();
      for (int i = 0; i < warmup + samples; i++) keyPairs.add(Ed25519.keyPair());
      long[] out = new long[samples];
      EventLoop loop = group.next();
      for (int i = 0; i < warmup + samples; i++) {
        long ns = cycle(loop, clientNode, topic, serverKp.publicKey(), keyPairs.get(i), i).get(WAIT_S, TimeUnit.SECONDS);
        if (i >= warmup) out[i - warmup] = ns;
      }
      return out;
    } finally {
      for (HyperDht d : nodes) d.close();
      if (executor != null) executor.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * One sample as a chain of callbacks on the nodes' event loop, as the JS side's {@code await}
   * loop runs on its one thread: lookup, connect, 1-byte echo; the clock runs from the lookup's
   * start to the echo's arrival, with no hop to another thread inside it. Completes with the
   * nanoseconds once the connection has closed again (closing is not timed).
   */
  private static CompletableFuture<Long> cycle(EventLoop loop, HyperDht client, Key32 topic, Key32 serverKey, KeyPair keyPair,
      int i) {
    CompletableFuture<Long> sample = new CompletableFuture<>();
    loop.execute(() -> {
      byte b = (byte) i;
      FirstByte echo = new FirstByte();
      long t0 = System.nanoTime();
      client.lookup(topic).thenCompose(replies -> {
        boolean hit = replies.stream().flatMap(r -> r.peers().stream()).map(PeerRecord::publicKey).anyMatch(serverKey::equals);
        if (!hit) throw new IllegalStateException("lookup " + i + " did not find the server");
        return client.connect(serverKey, keyPair, SecretStreamLimits.DEFAULTS, c -> c.pipeline().addLast(echo));
      }).thenCompose(ch -> {
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {b}));
        return echo.done.thenApply(got -> {
          if (got[1] != (b & 0xff)) throw new IllegalStateException("wrong echo in cycle " + i);
          long ns = got[0] - t0;
          ch.close().addListener(f -> sample.complete(ns));
          return ns;
        });
      }).whenComplete((ns, e) -> {
        if (e != null) sample.completeExceptionally(e);
      });
    });
    return sample;
  }

  private static HyperDht open(List<HyperDht> nodes, DhtRpcOptions opts, Scheduler scheduler,
      DatagramTransport.Binder udx) throws Exception {
    HyperDht d = HyperDht.open(opts, scheduler, udx);
    nodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  /** Completes with {System.nanoTime() on arrival, the byte} once the first byte is read. */
  private static final class FirstByte extends ChannelInboundHandlerAdapter {
    final CompletableFuture<long[]> done = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        if (b.isReadable()) done.complete(new long[] {System.nanoTime(), b.getUnsignedByte(b.readerIndex())});
      } finally {
        b.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("closed before the echo"));
      ctx.fireChannelInactive();
    }
  }
}
