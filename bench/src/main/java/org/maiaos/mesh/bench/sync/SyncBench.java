package org.maiaos.mesh.bench.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The sync-server benchmark: the same load generator, on the same pre-signed content, against
 * our {@code mesh sync} and against the JS reference server, one after the other in one
 * invocation. (a) ingest, (b) fan-out, (c) cold load, (d) idle connections; see
 * {@code docs/benchmarks.md}. Every wait is bounded.
 */
public final class SyncBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 600;

  private final int ingestConnections;
  private final int mapsPerConnection;
  private final int txsPerMap = Integer.getInteger("sync.ingest.txs", 10);
  private final int subscribers;
  private final int updates;
  private final int coldValues;
  private final int coldConnections;
  private final int idleConnections;

  /** The measured run's sizes: each its system property, else the default times {@code sync.scale}. */
  private SyncBench() {
    this(Double.parseDouble(System.getProperty("sync.scale", "1")), true);
  }

  private SyncBench(double scale, boolean properties) {
    ingestConnections = size("sync.ingest.connections", 200, scale, properties);
    mapsPerConnection = size("sync.ingest.maps", 50, scale, properties);
    subscribers = size("sync.fanout.subscribers", 500, scale, properties);
    updates = size("sync.fanout.updates", 100, scale, properties);
    coldValues = size("sync.cold.values", 10_000, scale, properties);
    coldConnections = size("sync.cold.connections", 100, scale, properties);
    idleConnections = size("sync.idle.connections", 10_000, scale, properties);
  }

  private static int size(String property, int full, double scale, boolean properties) {
    int scaled = Math.max(1, (int) Math.round(full * scale));
    return properties ? Integer.getInteger(property, scaled) : scaled;
  }

  private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-client", true));
  /** One thread per simulated client (each waits for its own acks), so clients really run at once. */
  private final java.util.concurrent.ExecutorService drivers = java.util.concurrent.Executors.newCachedThreadPool(new DefaultThreadFactory("bench-driver", true));

  public static void run(Path interop) throws Exception {
    new SyncBench().runAll(interop);
  }

  private void runAll(Path interop) throws Exception {
    Path root = Files.createTempDirectory("sync-bench-");
    List<String> rows = new ArrayList<>();
    String only = System.getProperty("sync.only", "ingest,fanout,cold,idle");
    if (Boolean.parseBoolean(System.getProperty("sync.generatorWarmUp", "true"))) warmUpGenerator(root.resolve("generator-warm-up"), interop, only);
    for (ServerUnderTest.Kind kind : ServerUnderTest.Kind.values()) {
      if (!System.getProperty("sync.servers", "java,js").contains(kind.name().toLowerCase())) continue;
      try (ServerUnderTest server = new ServerUnderTest(kind, root.resolve(kind.name().toLowerCase()), interop)) {
        server.start();
        SignedWriter w = new SignedWriter(42); // the same content for both servers
        System.out.println("== " + server.name());
        if (only.contains("ingest")) rows.add(server.name() + " | " + ingest(server, w));
        if (only.contains("fanout")) rows.add(server.name() + " | " + fanout(server, w));
        if (only.contains("cold")) rows.add(server.name() + " | " + cold(server, new SignedWriter(43)));
        if (only.contains("idle")) {
          // as a user starts it (ours warms up first); -Dsync.idle.noWarmUp=true starts ours without its warm-up
          if (Boolean.getBoolean("sync.idle.noWarmUp")) server.restartCold();
          else server.restart();
          rows.add(server.name() + " | " + idle(server));
        }
      }
    }
    System.out.println();
    rows.forEach(System.out::println);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * The load generator runs in this JVM, so its own code is compiled during whichever server's run
   * comes first (Java's): a tenth of each asked scenario against a throw-away server of ours, its
   * figures discarded, makes both servers meet a warm generator. The servers under test are
   * separate processes: none of this warms them.
   */
  private void warmUpGenerator(Path dir, Path interop, String only) throws Exception {
    SyncBench small = new SyncBench(0.1, false);
    System.out.println("== load generator warm-up (a tenth of each scenario against a throw-away Java server; discarded)");
    try (ServerUnderTest server = new ServerUnderTest(ServerUnderTest.Kind.JAVA, dir, interop)) {
      server.start();
      SignedWriter w = new SignedWriter(41);
      if (only.contains("ingest")) small.ingest(server, w);
      if (only.contains("fanout")) small.fanout(server, w);
      if (only.contains("cold")) small.cold(server, new SignedWriter(40));
    } finally {
      small.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      small.drivers.shutdown();
    }
  }

  // ---- (a) ingest ----

  private String ingest(ServerUnderTest server, SignedWriter w) throws Exception {
    Conn setup = Conn.open(group, server.url);
    setup.sendAndAwaitKnown(w.accountContent(), w.accountId, 1);
    String groupSession = w.accountSession();
    setup.sendAndAwaitKnown(w.groupContent(groupSession), w.groupId, 2);
    // every message signed before the clock starts
    List<List<String[]>> work = new ArrayList<>();
    for (int c = 0; c < ingestConnections; c++) {
      String session = w.accountSession();
      List<String[]> msgs = new ArrayList<>();
      for (int m = 0; m < mapsPerConnection; m++) {
        String[] map = w.newMap();
        SignedWriter.Chain chain = w.new Chain(session);
        for (int t = 0; t < txsPerMap; t++) {
          msgs.add(new String[] {map[1], session, chain.content(map[1], t == 0 ? map[0] : null, 3, List.of(w.set("k" + t, "v" + t)))});
        }
      }
      work.add(msgs);
    }
    List<Conn> conns = new ArrayList<>();
    for (int c = 0; c < ingestConnections; c++) conns.add(Conn.open(group, server.url));
    long[] latencies = new long[ingestConnections * mapsPerConnection * txsPerMap];
    long[] sentAtAll = new long[latencies.length];
    AtomicInteger next = new AtomicInteger();
    double cpu0 = server.cpuSeconds();
    Map<String, Double> threads0 = server.threadCpuSeconds();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int c = 0; c < ingestConnections; c++) {
      Conn conn = conns.get(c);
      List<String[]> msgs = work.get(c);
      all.add(CompletableFuture.runAsync(() -> {
        for (int m = 0; m < mapsPerConnection; m++) {
          long[] sentAt = new long[txsPerMap];
          String id = msgs.get(m * txsPerMap)[0];
          String session = msgs.get(m * txsPerMap)[1];
          CountDownLatch done = new CountDownLatch(txsPerMap);
          long[] acked = {0};
          conn.onKnown(id, k -> {
            long n = k.path("sessions").path(session).asLong(0);
            synchronized (acked) {
              while (acked[0] < n && acked[0] < txsPerMap) {
                int slot = next.getAndIncrement();
                latencies[slot] = System.nanoTime() - sentAt[(int) acked[0]];
                sentAtAll[slot] = sentAt[(int) acked[0]] - start;
                acked[0]++;
                done.countDown();
              }
            }
          });
          for (int t = 0; t < txsPerMap; t++) {
            sentAt[t] = System.nanoTime();
            conn.ws.send(msgs.get(m * txsPerMap + t)[2]);
          }
          await(done, "acks of map " + id);
        }
      }, drivers));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    int n = next.get();
    conns.forEach(Conn::close);
    setup.close();
    if (Boolean.getBoolean("sync.ingest.timeline")) printTimeline(latencies, sentAtAll, n, 1000);
    double cpu = server.cpuSeconds() - cpu0;
    printCpuByThread("ingest", server, threads0);
    String r = String.format("ingest %d tx in %.2f s = %.0f acked tx/s, ack p50 %.1f ms p99 %.1f ms (server CPU %.2f s, %.0f us per tx)", n, secs,
        n / secs, pct(latencies, n, 50), pct(latencies, n, 99), cpu, cpu * 1e6 / n);
    System.out.println(r);
    return r;
  }

  // ---- (b) fan-out ----

  private String fanout(ServerUnderTest server, SignedWriter w) throws Exception {
    Conn writer = Conn.open(group, server.url);
    // the map's account and group first (stored already after ingest; needed when fan-out runs alone)
    writer.sendAndAwaitKnown(w.accountContent(), w.accountId, 1);
    writer.sendAndAwaitKnown(w.groupContent(w.accountSession()), w.groupId, 2);
    String session = w.accountSession();
    String[] map = w.newMap();
    SignedWriter.Chain chain = w.new Chain(session);
    writer.sendAndAwaitKnown(chain.content(map[1], map[0], 3, List.of(w.set("start", "0"))), map[1], 1);
    List<String> msgs = new ArrayList<>();
    for (int u = 1; u <= updates; u++) msgs.add(chain.content(map[1], null, 3, List.of(w.set("u", String.valueOf(u)))));
    List<Conn> subs = new ArrayList<>();
    Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    for (int s = 0; s < subscribers; s++) {
      Conn c = Conn.open(group, server.url);
      long[] seen = {1};
      c.onContent(map[1], m -> {
        JsonNode ses = m.path("new").path(session);
        if (ses.isMissingNode()) return;
        long end = ses.path("after").asLong() + ses.path("newTransactions").size();
        synchronized (seen) {
          for (long u = seen[0]; u < end; u++) {
            CountDownLatch l = arrivals.get((int) u);
            if (l != null) l.countDown();
          }
          seen[0] = Math.max(seen[0], end);
        }
      });
      c.sendAndAwaitAny("{\"action\":\"load\",\"id\":\"" + map[1] + "\",\"header\":false,\"sessions\":{}}", map[1]);
      subs.add(c);
    }
    long[] lat = new long[updates];
    for (int u = 1; u <= updates; u++) {
      CountDownLatch all = new CountDownLatch(subscribers);
      arrivals.put(u, all);
      long t0 = System.nanoTime();
      writer.ws.send(msgs.get(u - 1));
      await(all, "update " + u + " at every subscriber");
      lat[u - 1] = System.nanoTime() - t0;
    }
    subs.forEach(Conn::close);
    writer.close();
    String r = String.format("fan-out %d subscribers x %d updates: all delivered p50 %.1f ms p99 %.1f ms", subscribers, updates,
        pct(lat, updates, 50), pct(lat, updates, 99));
    System.out.println(r);
    return r;
  }

  // ---- (c) cold load ----

  private String cold(ServerUnderTest server, SignedWriter w) throws Exception {
    Conn setup = Conn.open(group, server.url);
    setup.sendAndAwaitKnown(w.accountContent(), w.accountId, 1);
    String session = w.accountSession();
    setup.sendAndAwaitKnown(w.groupContent(session), w.groupId, 2);
    List<String> ids = new ArrayList<>();
    List<String> msgs = new ArrayList<>();
    for (int i = 0; i < coldValues; i++) {
      String[] map = w.newMap();
      ids.add(map[1]);
      msgs.add(w.new Chain(session).content(map[1], map[0], 3, List.of(w.set("n", String.valueOf(i)))));
    }
    for (int i = 0; i < coldValues; i += 500) { // stored in windows of 500 acknowledged writes
      CountDownLatch acks = new CountDownLatch(Math.min(500, coldValues - i));
      for (int j = i; j < Math.min(i + 500, coldValues); j++) {
        setup.onKnown(ids.get(j), k -> acks.countDown());
        setup.ws.send(msgs.get(j));
      }
      await(acks, "storing values " + i + "..");
    }
    setup.close();
    server.restart(); // cold: nothing in memory
    double cpu0 = server.cpuSeconds();
    Map<String, Double> threads0 = server.threadCpuSeconds();
    long[] lat = new long[coldValues];
    long[] sentAt = new long[coldValues];
    AtomicInteger next = new AtomicInteger();
    int per = coldValues / coldConnections;
    long start = System.nanoTime();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int c = 0; c < coldConnections; c++) {
      List<String> mine = ids.subList(c * per, (c + 1) * per);
      all.add(CompletableFuture.runAsync(() -> {
        try {
          Conn conn = Conn.open(group, server.url);
          for (String id : mine) {
            long t0 = System.nanoTime();
            conn.sendAndAwaitContent("{\"action\":\"load\",\"id\":\"" + id + "\",\"header\":false,\"sessions\":{}}", id);
            int slot = next.getAndIncrement();
            lat[slot] = System.nanoTime() - t0;
            sentAt[slot] = t0 - start;
          }
          conn.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, drivers));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    int n = next.get();
    double cpu = server.cpuSeconds() - cpu0;
    if (Boolean.getBoolean("sync.cold.timeline")) printTimeline(lat, sentAt, n, 250);
    printCpuByThread("cold load", server, threads0);
    String r = String.format("cold load %d values over %d fresh connections in %.2f s = %.0f loads/s, p50 %.1f ms p99 %.1f ms"
        + " (server CPU %.2f s, %.0f us per load; restart to listening %.1f s)", n, coldConnections, secs, n / secs, pct(lat, n, 50),
        pct(lat, n, 99), cpu, cpu * 1e6 / n, server.startSeconds);
    System.out.println(r);
    return r;
  }

  // ---- (d) idle connections ----

  private String idle(ServerUnderTest server) throws Exception {
    long before = settledRss(server);
    List<Conn> conns = new ArrayList<>();
    int refused = 0;
    String firstRefusal = null;
    for (int i = 0; i < idleConnections; i += 250) {
      List<CompletableFuture<Conn>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(i + 250, idleConnections); j++) batch.add(Conn.openAsync(group, server.url));
      for (CompletableFuture<Conn> f : batch) {
        try {
          conns.add(f.get(WAIT_SECONDS, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          // counted and reported: the figure is per connection that stayed open
          refused++;
          if (firstRefusal == null) firstRefusal = String.valueOf(e.getCause());
        }
      }
    }
    for (Conn c : conns) await(c.firstPing, "a ping on every idle connection");
    Thread.sleep(3000);
    long after = server.rssBytes();
    conns.forEach(Conn::close);
    String r = String.format("idle %d connections: RSS %.1f -> %.1f MiB, %.1f KiB per connection", conns.size(), before / 1048576.0,
        after / 1048576.0, (after - before) / 1024.0 / Math.max(1, conns.size()));
    if (refused > 0) r += String.format(" (%d of %d connection attempts closed by the server before the handshake ended: %s)", refused,
        idleConnections, firstRefusal);
    System.out.println(r);
    return r;
  }

  // ---- helpers ----

  /** The server's CPU seconds by thread (name without its number) since {@code threads0}. */
  private static void printCpuByThread(String scenario, ServerUnderTest server, Map<String, Double> threads0) {
    StringBuilder perThread = new StringBuilder();
    server.threadCpuSeconds().forEach((t, secs1) -> {
      double d = secs1 - threads0.getOrDefault(t, 0.0);
      if (d >= 0.05) perThread.append(String.format(" %s %.2f", t, d));
    });
    System.out.println(scenario + ": server CPU by thread (s):" + perThread);
  }

  /**
   * The server's RSS once a restart has settled: read every second until three readings in a row
   * lie within 1 MiB (at most 30 s). A JVM is still compiling, and giving back what its compilers
   * freed, for seconds after it listens; a reading taken in that time made the per-connection
   * figure swing by 1-2 KiB either way. The same rule for both servers.
   */
  private static long settledRss(ServerUnderTest server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long[] last = new long[3];
    for (int i = 0; ; i++) {
      Thread.sleep(1000);
      last[i % 3] = server.rssBytes();
      long max = Math.max(last[0], Math.max(last[1], last[2]));
      long min = Math.min(last[0], Math.min(last[1], last[2]));
      if ((i >= 2 && max - min < (1 << 20)) || System.nanoTime() > deadline) return last[i % 3];
    }
  }

  /** Latency by when the request was sent, in buckets of {@code ms} (-Dsync.ingest.timeline, -Dsync.cold.timeline): where the tail sits. */
  private static void printTimeline(long[] latencies, long[] sentAt, int n, long ms) {
    java.util.TreeMap<Long, List<Long>> byBucket = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) byBucket.computeIfAbsent(sentAt[i] / (ms * 1_000_000L), k -> new ArrayList<>()).add(latencies[i]);
    byBucket.forEach((b, l) -> {
      long[] a = l.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("  sent at %d ms: %d requests, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", b * ms, a.length, a[a.length / 2] / 1e6,
          a[Math.min(a.length - 1, (int) (a.length * 0.99))] / 1e6, a[a.length - 1] / 1e6);
    });
  }

  private static void await(CountDownLatch l, String what) {
    try {
      if (!l.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("timed out waiting for " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double pct(long[] nanos, int n, int p) {
    long[] s = Arrays.copyOf(nanos, n);
    Arrays.sort(s);
    return n == 0 ? 0 : s[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1)] / 1e6;
  }

  /** One load-generator connection: listeners by CoValue id for known and content replies. */
  private static final class Conn {
    WsClient ws;
    final Map<String, Consumer<JsonNode>> known = new ConcurrentHashMap<>();
    final Map<String, Consumer<JsonNode>> content = new ConcurrentHashMap<>();
    final CountDownLatch firstPing = new CountDownLatch(1);

    static Conn open(EventLoopGroup g, String url) throws Exception {
      return openAsync(g, url).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static CompletableFuture<Conn> openAsync(EventLoopGroup g, String url) {
      Conn c = new Conn();
      return WsClient.connect(g, URI.create(url), c::onLine).thenApply(ws -> {
        c.ws = ws;
        return c;
      });
    }

    private void onLine(String line) {
      if (line.startsWith("{\"type\":\"ping\"")) {
        firstPing.countDown();
        return;
      }
      JsonNode m;
      try {
        m = JSON.readTree(line);
      } catch (Exception e) {
        return;
      }
      String id = m.path("id").asText();
      Consumer<JsonNode> l = ("known".equals(m.path("action").asText()) ? known : content).get(id);
      if (l != null) l.accept(m);
    }

    void onKnown(String id, Consumer<JsonNode> l) {
      known.put(id, l);
    }

    void onContent(String id, Consumer<JsonNode> l) {
      content.put(id, l);
    }

    void sendAndAwaitKnown(String msg, String id, long count) {
      CountDownLatch l = new CountDownLatch(1);
      onKnown(id, k -> {
        long sum = 0;
        for (JsonNode v : k.path("sessions")) sum += v.asLong();
        if (sum >= count) l.countDown();
      });
      ws.send(msg);
      await(l, "known of " + id);
      known.remove(id);
    }

    void sendAndAwaitAny(String msg, String id) {
      CountDownLatch l = new CountDownLatch(1);
      Consumer<JsonNode> prev = content.get(id);
      onKnown(id, k -> l.countDown());
      onContent(id, c -> {
        if (prev != null) prev.accept(c);
        l.countDown();
      });
      ws.send(msg);
      await(l, "a reply about " + id);
      known.remove(id);
      if (prev != null) content.put(id, prev);
    }

    void sendAndAwaitContent(String msg, String id) {
      CountDownLatch l = new CountDownLatch(1);
      String[] notFound = {null};
      onContent(id, c -> l.countDown());
      onKnown(id, k -> {
        if (!k.path("header").asBoolean()) {
          notFound[0] = k.toString();
          l.countDown();
        }
      });
      ws.send(msg);
      await(l, "content of " + id);
      content.remove(id);
      known.remove(id);
      if (notFound[0] != null) throw new IllegalStateException("the server does not have " + id + ": " + notFound[0]);
    }

    void close() {
      ws.close();
    }
  }
}
