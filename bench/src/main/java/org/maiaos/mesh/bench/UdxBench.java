package org.maiaos.mesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hyperswarm.loopback.LossyRelay;
import org.maiaos.mesh.hyperswarm.udx.UdxEventLoops;
import org.maiaos.mesh.hyperswarm.udx.UdxSocket;
import org.maiaos.mesh.hyperswarm.udx.UdxStream;

/**
 * Issue 10's UDX benchmark: one stream sends {@code udx.mib} MiB to another on 127.0.0.1, a Java
 * pair ({@link UdxSocket} + {@link UdxStream}) and a JS pair (udx-native 1.21.3 in one Node
 * process, interop/bench-udx.js), (a) directly and (b) through a {@link LossyRelay} that drops,
 * duplicates and holds back 1% of datagrams each way. Both send the same bytes (a seeded 1 MiB
 * pattern, built before the clock starts, repeated); each receiver counts and SHA-256-hashes what
 * it reads, and the run fails unless count and hash match the sent bytes on both sides. Rounds
 * alternate Java and JS; the median of {@code udx.rounds} counts.
 */
final class UdxBench {
  private static final long MIB = 1L << 20;
  private static final int PATTERN_BYTES = 1 << 20;
  private static final int CHUNK_BYTES = 65536;
  private static final int SEED = 0x2545F491;
  private static final int SENDER_ID = 1;
  private static final int RECEIVER_ID = 2;
  private static final double RELAY_RATE = 0.01;
  private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(10);

  private UdxBench() {}

  static void run(Path interop) throws Exception {
    long bytes = Long.getLong("udx.mib", 256) * MIB;
    int rounds = Integer.getInteger("udx.rounds", 3);
    int threads = Integer.getInteger("udx.threads", 1);
    byte[] pattern = pattern(PATTERN_BYTES, SEED);
    String expected = sha256Of(pattern, bytes);
    long javaHashNs = hashNanos(pattern, bytes);
    JsSide js = new JsSide(interop);
    System.out.printf("udx: %d MiB one way, %d rounds per case, java on %d event-loop thread(s) (%s), js one Node process;"
        + " java warm-up %d MiB not counted%n", bytes / MIB, rounds, threads,
        UdxEventLoops.nativeTransport() ? "epoll" : "nio", Math.min(bytes, 64 * MIB) / MIB);
    long warm = Math.min(bytes, 64 * MIB);
    javaRound(pattern, warm, sha256Of(pattern, warm), false, threads, 0); // warm-up (JIT), not counted
    for (boolean lossy : new boolean[] {false, true}) {
      long[] javaNs = new long[rounds];
      long[] jsNs = new long[rounds];
      long jsHashNs = 0;
      for (int r = 0; r < rounds; r++) {
        javaNs[r] = javaRound(pattern, bytes, expected, lossy, threads, r + 1);
        long[] j = jsRound(js, bytes, expected, lossy, r + 1);
        jsNs[r] = j[0];
        jsHashNs = j[1];
        System.out.printf("  %s round %d: java %.1f MiB/s (%.2f s), js %.1f MiB/s (%.2f s)%n", lossy ? "lossy" : "plain", r + 1,
            mibs(bytes, javaNs[r]), javaNs[r] / 1e9, mibs(bytes, jsNs[r]), jsNs[r] / 1e9);
      }
      long javaMedian = median(javaNs);
      long jsMedian = median(jsNs);
      System.out.printf("%s: java %.1f MiB/s, js %.1f MiB/s (medians of %d), java/js %.2fx;"
              + " SHA-256 alone over the same bytes: java %.0f MiB/s, js %.0f MiB/s%n",
          lossy ? "(b) through a relay dropping/duplicating/reordering 1%" : "(a) plain loopback", mibs(bytes, javaMedian),
          mibs(bytes, jsMedian), rounds, (double) jsMedian / javaMedian, mibs(bytes, javaHashNs), mibs(bytes, jsHashNs));
    }
  }

  /** The JS pair in a fresh Node process: {transfer nanos, hash-only nanos}. */
  private static long[] jsRound(JsSide js, long bytes, String expected, boolean lossy, int round) throws Exception {
    try (JsSide.Dialogue node = js.start("bench-udx.js", Long.toString(bytes), Integer.toUnsignedString(SEED))) {
      String ready = node.read(Duration.ofSeconds(30));
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", (int) JsSide.field(ready, "portA"));
      InetSocketAddress b = new InetSocketAddress("127.0.0.1", (int) JsSide.field(ready, "portB"));
      try (LossyRelay relay = lossy ? new LossyRelay(a, b, RELAY_RATE, RELAY_RATE, RELAY_RATE, 1000 + round) : null) {
        int targetA = relay == null ? b.getPort() : relay.portForA();
        int targetB = relay == null ? a.getPort() : relay.portForB();
        node.write("{\"targetA\":" + targetA + ",\"targetB\":" + targetB + "}");
        String done = node.read(ROUND_TIMEOUT);
        check("js", JsSide.field(done, "received"), JsSide.text(done, "sha256"), bytes, expected);
        return new long[] {JsSide.field(done, "ns"), JsSide.field(done, "hashNs")};
      }
    }
  }

  /** The Java pair on fresh sockets; nanos from the first write to the receiver's END. */
  private static long javaRound(byte[] pattern, long bytes, String expected, boolean lossy, int threads, int round)
      throws Exception {
    EventLoopGroup group = UdxEventLoops.newGroup(threads, new DefaultThreadFactory("bench-udx-io"));
    UdxSocket a = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0));
    UdxSocket b = UdxSocket.bind(group, new InetSocketAddress("127.0.0.1", 0));
    try (LossyRelay relay = lossy ? new LossyRelay(a.localAddress(), b.localAddress(), RELAY_RATE, RELAY_RATE, RELAY_RATE, round)
        : null) {
      UdxStream sender = a.createStream(SENDER_ID);
      UdxStream receiver = b.createStream(RECEIVER_ID);
      Source source = new Source(pattern, bytes);
      Sink sink = new Sink();
      sender.pipeline().addLast(source);
      receiver.pipeline().addLast(sink);
      InetSocketAddress toB = relay == null ? b.localAddress() : new InetSocketAddress("127.0.0.1", relay.portForA());
      InetSocketAddress toA = relay == null ? a.localAddress() : new InetSocketAddress("127.0.0.1", relay.portForB());
      receiver.connect(SENDER_ID, toA).sync();
      sender.connect(RECEIVER_ID, toB).sync();
      long t0 = System.nanoTime();
      sender.eventLoop().execute(() -> source.pump(sender));
      long end = sink.done.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      check("java", sink.bytes, HexFormat.of().formatHex(sink.md.digest()), bytes, expected);
      if (!sender.closeFuture().await(30, TimeUnit.SECONDS) || !receiver.closeFuture().await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("java streams did not close");
      }
      return end - t0;
    } finally {
      a.close();
      b.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private static void check(String side, long got, String sha256, long bytes, String expected) {
    if (got != bytes || !sha256.equals(expected)) {
      throw new IllegalStateException(side + " received " + got + " bytes, sha256 " + sha256 + "; sent " + bytes + ", " + expected);
    }
  }

  /** Writes {@code total} bytes of the pattern in 64 KiB slices while the stream is writable, then END. */
  private static final class Source extends ChannelInboundHandlerAdapter {
    private final ByteBuf pattern;
    private final long total;
    private long written;

    Source(byte[] pattern, long total) {
      this.pattern = Unpooled.wrappedBuffer(pattern);
      this.total = total;
    }

    void pump(UdxStream ch) {
      while (written < total && ch.isWritable()) {
        int off = (int) (written % pattern.capacity());
        int n = (int) Math.min(Math.min(CHUNK_BYTES, total - written), pattern.capacity() - off);
        ch.write(pattern.retainedSlice(off, n));
        written += n;
      }
      ch.flush();
      if (written == total) ch.shutdownOutput();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg); // the receiver sends nothing but its END
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (written < total) pump((UdxStream) ctx.channel());
      ctx.fireChannelWritabilityChanged();
    }
  }

  /** Counts and hashes what it reads; {@link #done} completes with System.nanoTime() at the sender's END. */
  private static final class Sink extends ChannelInboundHandlerAdapter {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final MessageDigest md = sha256();
    long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        bytes += b.readableBytes();
        md.update(b.nioBuffer());
      } finally {
        b.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(System.nanoTime());
        ((UdxStream) ctx.channel()).shutdownOutput();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("receiver closed before END"));
    }
  }

  /** xorshift32 (13, 17, 5) words, little-endian: the bytes bench-udx.js builds from the same seed. */
  static byte[] pattern(int n, int seed) {
    ByteBuffer out = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    int x = seed;
    while (out.hasRemaining()) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out.putInt(x);
    }
    return out.array();
  }

  private static String sha256Of(byte[] pattern, long bytes) {
    MessageDigest md = sha256();
    feed(md, pattern, bytes);
    return HexFormat.of().formatHex(md.digest());
  }

  /** What SHA-256 alone costs over {@code bytes} (after one warm-up pass), to show it does not dominate. */
  private static long hashNanos(byte[] pattern, long bytes) {
    sha256Of(pattern, Math.min(bytes, 64 * MIB));
    long t0 = System.nanoTime();
    sha256Of(pattern, bytes);
    return System.nanoTime() - t0;
  }

  private static void feed(MessageDigest md, byte[] pattern, long bytes) {
    for (long sent = 0; sent < bytes; ) {
      int off = (int) (sent % pattern.length);
      int n = (int) Math.min(Math.min(CHUNK_BYTES, bytes - sent), pattern.length - off);
      md.update(pattern, off, n);
      sent += n;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double mibs(long bytes, long nanos) {
    return bytes / (nanos / 1e9) / MIB;
  }
}
