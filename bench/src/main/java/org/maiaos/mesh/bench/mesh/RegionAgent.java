package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.bench.sync.SignedWriter;

/**
 * The load generator of one region, a child JVM inside that region's namespace (so its clients
 * reach the region's node with no delay, and anything else over the emulated link). It takes one
 * JSON command per stdin line from {@link MeshBench} and answers one JSON line on stdout; a
 * subscription also prints {@code {"event":"seen",...}} lines as pushes arrive. Every message is
 * signed before its clock starts ({@link SignedWriter}, seeded: both setups get the same content).
 * Times are {@link System#nanoTime} (CLOCK_MONOTONIC, one clock for every process of the host),
 * so the coordinator may subtract one agent's time from another's. Ends when stdin closes.
 */
public final class RegionAgent {
  private static final int PREPARE_WINDOW = 50;

  private final String region;
  private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-agent", true));
  private final RegionMetrics metrics = new RegionMetrics();
  private SignedWriter writer;
  private String url;
  private Conn conn;
  private String session;
  /** The propagation map: its id, session chain and pre-signed updates (1-based). */
  private String propId;
  private final List<String> propUpdates = new ArrayList<>();
  private PeerWatch watch;

  private RegionAgent(String region) {
    this.region = region;
  }

  public static void main(String[] args) throws Exception {
    RegionAgent a = new RegionAgent(args[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) continue;
      JsonNode cmd = Conn.JSON.readTree(line);
      try {
        a.out(a.handle(cmd));
      } catch (Exception | AssertionError e) {
        ObjectNode err = Conn.JSON.createObjectNode();
        err.put("error", a.region + ": " + cmd.path("cmd").asText() + ": " + e);
        e.printStackTrace();
        a.out(err);
      }
    }
    a.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    System.exit(0);
  }

  private synchronized void out(JsonNode line) {
    System.out.println(line.toString());
    System.out.flush();
  }

  private ObjectNode handle(JsonNode cmd) throws Exception {
    ObjectNode r = Conn.JSON.createObjectNode();
    switch (cmd.path("cmd").asText()) {
      case "init" -> init(cmd.path("url").asText(), cmd.path("seed").asLong(), r);
      case "probe" -> probe(cmd.path("url").asText(), cmd.path("n").asInt(10), r);
      case "waitPeers" -> metrics.waitConnected(cmd.path("status").asText(), strings(cmd.path("peers")), cmd.path("timeoutMs").asLong(), r);
      case "writes" -> writes(cmd.path("n").asInt(), cmd.path("warmup").asInt(), r);
      case "prepare" -> prepare(cmd.path("n").asInt(), r);
      case "loads" -> loads(strings(cmd.path("ids")), cmd.path("warmup").asInt(), cmd.path("metrics").asText(null), r);
      case "propMap" -> propMap(cmd.path("updates").asInt(), r);
      case "subscribe" -> subscribe(cmd.path("id").asText(), cmd.path("session").asText(), r);
      case "update" -> update(cmd.path("i").asInt(), r);
      case "updates" -> updates(cmd.path("n").asInt(), cmd.path("spacingMs").asLong(), r);
      case "count" -> r.put("transactions", count(cmd.path("id").asText()));
      case "get" -> r.put("body", metrics.get(cmd.path("url").asText())); // HTTP from inside the region's namespace
      case "watch" -> {
        watch = new PeerWatch(metrics, cmd.path("status").asText(), strings(cmd.path("peers")), cmd.path("intervalMs").asLong(250));
        r.set("connected", watch.start());
      }
      case "watchEnd" -> r.setAll(watch.end());
      default -> throw new IllegalArgumentException("unknown command " + cmd);
    }
    return r;
  }

  /** The region's writer: its account and a group it administers, stored before anything is timed. */
  private void init(String url, long seed, ObjectNode r) throws Exception {
    this.url = url;
    this.writer = new SignedWriter(seed);
    this.conn = Conn.open(group, url);
    conn.sendAndAwaitKnown(writer.accountContent(), writer.accountId, 1);
    String groupSession = writer.accountSession();
    conn.sendAndAwaitKnown(writer.groupContent(groupSession), writer.groupId, 2);
    this.session = writer.accountSession();
    r.put("accountId", writer.accountId);
  }

  /** TCP connect times to the server of {@code url} (one round trip each): the link as the clients see it. */
  private void probe(String url, int n, ObjectNode r) throws Exception {
    URI u = URI.create(url);
    long[] us = new long[n];
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket()) {
        long t0 = System.nanoTime();
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
        us[i] = (System.nanoTime() - t0) / 1000;
      }
    }
    r.set("connectMicros", array(us));
  }

  /** {@code warmup + n} new CoMaps (header and one transaction each), one after the other: send to its known ack. */
  private void writes(int n, int warmup, ObjectNode r) {
    List<String[]> maps = signedMaps(warmup + n);
    long[] lat = new long[n];
    int acks = 0;
    for (int i = 0; i < maps.size(); i++) {
      long t0 = System.nanoTime();
      conn.sendAndAwaitKnown(maps.get(i)[1], maps.get(i)[0], 1);
      long dt = System.nanoTime() - t0;
      acks++;
      if (i >= warmup) lat[i - warmup] = dt / 1000;
    }
    r.set("micros", array(lat));
    r.put("acks", acks);
  }

  /** {@code n} CoMaps stored (untimed, {@value #PREPARE_WINDOW} in flight): the values other regions load. */
  private void prepare(int n, ObjectNode r) {
    List<String[]> maps = signedMaps(n);
    ArrayNode ids = r.putArray("ids");
    for (int i = 0; i < n; i += PREPARE_WINDOW) {
      List<String[]> window = maps.subList(i, Math.min(n, i + PREPARE_WINDOW));
      CountDownLatch acks = new CountDownLatch(window.size());
      for (String[] m : window) {
        conn.onKnown(m[0], k -> {
          if (Conn.total(k) >= 1) acks.countDown();
        });
        conn.send(m[1]);
      }
      Conn.await(acks, "acks of the values " + i + "..");
      for (String[] m : window) {
        conn.forget(m[0]);
        ids.add(m[0]);
      }
    }
    r.put("session", session);
  }

  /** New maps of the region's group, each {id, its content message with the header and one transaction}. */
  private List<String[]> signedMaps(int n) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] map = writer.newMap();
      out.add(new String[] {map[1], writer.new Chain(session).content(map[1], map[0], 3, List.of(writer.set("n", String.valueOf(i))))});
    }
    return out;
  }

  /**
   * Each id loaded twice, each time by a fresh client (a new connection, opened before the clock
   * starts): cold, then warm. With {@code metricsUrl}, the region node's read counters are scraped
   * around each load, so every load's own cost across regions is known.
   */
  private void loads(List<String> ids, int warmup, String metricsUrl, ObjectNode r) throws Exception {
    int n = ids.size() - warmup;
    long[] cold = new long[n];
    long[] warm = new long[n];
    long[][] cost = new long[4][n]; // cold round trips, cold region reads, warm round trips, warm region reads
    int loaded = 0;
    int withTheWrite = 0;
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      long[] m0 = metrics.reads(metricsUrl);
      long[] t = new long[2];
      JsonNode[] got = new JsonNode[2];
      long[][] m = new long[2][];
      for (int k = 0; k < 2; k++) {
        try (Conn fresh = Conn.open(group, url)) {
          long t0 = System.nanoTime();
          got[k] = fresh.load(id);
          t[k] = (System.nanoTime() - t0) / 1000;
        }
        m[k] = metrics.reads(metricsUrl);
        loaded++;
        if (transactions(got[k]) == 1) withTheWrite++;
      }
      if (i < warmup) continue;
      int j = i - warmup;
      cold[j] = t[0];
      warm[j] = t[1];
      cost[0][j] = m[0][0] - m0[0];
      cost[1][j] = m[0][1] - m0[1];
      cost[2][j] = m[1][0] - m[0][0];
      cost[3][j] = m[1][1] - m[0][1];
    }
    r.set("coldMicros", array(cold));
    r.set("warmMicros", array(warm));
    r.set("coldRoundTrips", array(cost[0]));
    r.set("coldRegionReads", array(cost[1]));
    r.set("warmRoundTrips", array(cost[2]));
    r.set("warmRegionReads", array(cost[3]));
    r.put("loads", loaded);
    r.put("loadsWithTheWrite", withTheWrite);
  }

  private static long transactions(JsonNode content) {
    long n = 0;
    for (JsonNode s : content.path("new")) n += s.path("newTransactions").size();
    return n;
  }

  /** The map the propagation phase updates: created and acknowledged now, its {@code updates} updates signed now. */
  private void propMap(int updates, ObjectNode r) {
    String[] map = writer.newMap();
    String s = writer.accountSession();
    SignedWriter.Chain chain = writer.new Chain(s);
    conn.sendAndAwaitKnown(chain.content(map[1], map[0], 3, List.of(writer.set("u", "0"))), map[1], 1);
    propId = map[1];
    propUpdates.clear();
    for (int u = 1; u <= updates; u++) propUpdates.add(chain.content(map[1], null, 3, List.of(writer.set("u", String.valueOf(u)))));
    r.put("id", propId);
    r.put("session", s);
  }

  /** Update {@code i} (1-based) of the propagation map: sent, and acknowledged (the map then holds i + 1 transactions). */
  private void update(int i, ObjectNode r) {
    long sent = System.nanoTime();
    conn.sendAndAwaitKnown(propUpdates.get(i - 1), propId, i + 1);
    long acked = System.nanoTime();
    // wall-clock lines in the agent's log, to lay beside the nodes' logs
    System.err.printf("%s update %d acked (%.1f ms after its send)%n", java.time.LocalTime.now(), i, (acked - sent) / 1e6);
    r.put("sent", sent);
    r.put("acked", acked);
  }

  /**
   * Updates 1..{@code n} of the propagation map, one after the other, update i sent {@code (i - 1)
   * * spacingMs} after the first (the partition step spreads them over its cut); each waits for its
   * ack. Returns the ack latencies and the times of the acks.
   */
  private void updates(int n, long spacingMs, ObjectNode r) throws InterruptedException {
    long t0 = System.nanoTime();
    long[] lat = new long[n];
    long[] ackedAt = new long[n];
    for (int i = 1; i <= n; i++) {
      long wait = t0 + (i - 1) * spacingMs * 1_000_000 - System.nanoTime();
      if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      ObjectNode u = Conn.JSON.createObjectNode();
      update(i, u);
      ackedAt[i - 1] = u.path("acked").asLong();
      lat[i - 1] = (ackedAt[i - 1] - u.path("sent").asLong()) / 1000;
    }
    r.set("ackMicros", array(lat));
    r.set("ackedAt", array(ackedAt));
  }

  /** The transactions a fresh client loads of {@code id}, all sessions together (the work check after a partition). */
  private long count(String id) throws Exception {
    try (Conn fresh = Conn.open(group, url)) {
      return transactions(fresh.load(id));
    }
  }

  /**
   * A client that loads {@code id} and stays: answers once the content is here, then prints a
   * {@code seen} event (with the time) whenever a push brings {@code session} further.
   */
  private void subscribe(String id, String session, ObjectNode r) throws Exception {
    Conn sub = Conn.open(group, url);
    long[] end = {0};
    CountDownLatch first = new CountDownLatch(1);
    sub.onContent(id, c -> {
      long at = System.nanoTime();
      long e = Conn.endOf(c, session);
      synchronized (end) {
        if (e <= end[0]) return;
        end[0] = e;
      }
      if (first.getCount() > 0) {
        first.countDown();
        return;
      }
      System.err.printf("%s seen %d transactions%n", java.time.LocalTime.now(), e);
      ObjectNode ev = Conn.JSON.createObjectNode();
      ev.put("event", "seen");
      ev.put("id", id);
      ev.put("end", e);
      ev.put("at", at);
      out(ev);
    });
    sub.send(Conn.loadMessage(id));
    Conn.await(first, "the subscribed map's content");
    r.put("subscribed", true);
    r.put("end", end[0]);
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static ArrayNode array(long[] v) {
    ArrayNode a = Conn.JSON.createArrayNode();
    Arrays.stream(v).forEach(a::add);
    return a;
  }
}
