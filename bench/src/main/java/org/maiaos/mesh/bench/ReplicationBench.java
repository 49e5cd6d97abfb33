package org.maiaos.mesh.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.SecretStream;
import org.maiaos.mesh.hypercore.tree.NodeHash;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * Issue 4's benchmark: full download of a 256 MiB core (1 KiB and 64 KiB blocks) Java to Java
 * and JS to JS over loopback TCP, the latency of a single sparse block fetch, and the ceiling the
 * per-block crypto sets (the receiver's leaf hash plus the sender's AEAD, one core).
 */
final class ReplicationBench {
  static final long TOTAL_BYTES = 256L << 20;
  static final int LATENCY_GETS = 200;

  private ReplicationBench() {}

  static void run(Path interop) throws Exception {
    JsSide js = new JsSide(interop);
    for (int size : new int[] {65536, 1024}) {
      int n = (int) (TOTAL_BYTES / size);
      double cryptoLimit = cryptoLimit(size, Math.min(n, 50_000));
      long[] java = javaRound(n, size);
      String out = js.run("bench-replicate.js", "" + n, "" + size, "" + LATENCY_GETS);
      long jsDownload = JsSide.field(out, "downloadNs");
      long jsLatency = JsSide.field(out, "latencyNs");
      double javaMiBs = TOTAL_BYTES / (java[0] / 1e9) / (1 << 20);
      double jsMiBs = TOTAL_BYTES / (jsDownload / 1e9) / (1 << 20);
      System.out.printf("256 MiB in %d x %d B: full download java %.1f MiB/s (%.1f s), js %.1f MiB/s (%.1f s), java/js %.2fx;"
              + " crypto ceiling %.1f MiB/s (java at %.0f%%)%n",
          n, size, javaMiBs, java[0] / 1e9, jsMiBs, jsDownload / 1e9, (double) jsDownload / java[0], cryptoLimit, 100 * javaMiBs / cryptoLimit);
      System.out.printf("  single sparse block fetch (%d B, %d gets): java %.0f us, js %.0f us%n", size, LATENCY_GETS, java[1] / 1e3, jsLatency / 1e3);
    }
  }

  /** MiB/s one core can push through BLAKE2b leaf hashing + secretstream AEAD for blocks of {@code size}. */
  static double cryptoLimit(int size, int blocks) {
    byte[] block = new byte[size];
    Arrays.fill(block, (byte) 7);
    SecretStream.Push push = new SecretStream.Push(new byte[32]);
    for (int i = 0; i < 2000; i++) { NodeHash.data(block); push.next(block); } // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < blocks; i++) {
      NodeHash.data(block);
      push.next(block);
    }
    long ns = System.nanoTime() - t0;
    return (double) blocks * size / (ns / 1e9) / (1 << 20);
  }

  /** {full download nanos, mean single-get latency nanos}. */
  static long[] javaRound(int n, int size) throws Exception {
    Path dir = Files.createTempDirectory("bench-repl-java-");
    EventLoopGroup group = new NioEventLoopGroup(2);
    try (Hypercore w = Hypercore.create(dir.resolve("w"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
        Replicator rw = new Replicator(w)) {
      byte[] block = new byte[size];
      Arrays.fill(block, (byte) 0xcd);
      for (int i = 0; i < n; i += 1000) {
        List<byte[]> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 1000); j++) batch.add(block);
        w.append(batch);
      }
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream.install(ch, false, Ed25519.keyPair(), ProtocolStream.of(List.of(rw)));
            }
          }).bind("127.0.0.1", 0).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      long downloadNs;
      try (Hypercore r = Hypercore.createReplica(dir.resolve("r"), w.key()); Replicator rr = new Replicator(r)) {
        Channel c = connect(group, port, rr);
        long t0 = System.nanoTime();
        rr.update().get(60, TimeUnit.SECONDS);
        rr.download(0, n).get(30, TimeUnit.MINUTES);
        downloadNs = System.nanoTime() - t0;
        c.close().sync();
      }
      long latencyNs;
      try (Hypercore r = Hypercore.createReplica(dir.resolve("s"), w.key()); Replicator rr = new Replicator(r)) {
        Channel c = connect(group, port, rr);
        rr.update().get(60, TimeUnit.SECONDS);
        long x = 12345;
        long t0 = System.nanoTime();
        for (int k = 0; k < LATENCY_GETS; k++) {
          x = (x * 1103515245 + 12345) % 2147483648L;
          rr.get(x % n).get(60, TimeUnit.SECONDS);
        }
        latencyNs = (System.nanoTime() - t0) / LATENCY_GETS;
        c.close().sync();
      }
      server.close().sync();
      return new long[] {downloadNs, latencyNs};
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Channel connect(EventLoopGroup group, int port, Replicator rr) throws InterruptedException {
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ProtocolStream.install(ch, true, Ed25519.keyPair(), ProtocolStream.of(List.of(rr)));
          }
        }).connect("127.0.0.1", port).sync().channel();
  }
}
