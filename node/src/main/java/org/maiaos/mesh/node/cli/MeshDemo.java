package org.maiaos.mesh.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.node.mesh.RegionMesh;
import org.maiaos.mesh.node.mesh.RegionNode;
import org.maiaos.mesh.node.sync.client.CoMapValues;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/**
 * {@code mesh demo}: the mesh in one process, on 127.0.0.1 only. A private DHT of three persistent
 * nodes ({@link LocalDht}, never the public bootstrap nodes) and three region nodes {@code us},
 * {@code eu} and {@code ap} ({@link RegionNode}, each in {@code DIR/<region>} as {@code mesh node
 * run --dir} lays it out) joined on a random topic; then sync-protocol clients writing valid signed
 * cojson ({@link CojsonWriter}, {@link SyncClient}):
 *
 * <ol>
 *   <li>the DHT and the nodes are up and each region sees the other two;
 *   <li>an account writes a group and a CoMap through {@code us}, and {@link #MORE_VALUES} more
 *       CoMaps, so that a sparse read has a bee to be sparse in;
 *   <li>a fresh client loads the CoMap through {@code eu}, which reads {@code us}'s bee sparsely:
 *       the values, the blocks downloaded out of the bee's length, the round trips;
 *   <li>a client on {@code us} is subscribed; a second session of the account writes through
 *       {@code ap}; the time from {@code ap}'s acknowledgement to its arrival on {@code us} (and
 *       on the client of step 3, on {@code eu});
 *   <li>a summary; then everything is closed (each close bounded).
 * </ol>
 *
 * Every wait has a timeout ({@link #WAIT}); the demo checks what it prints (a value that does not
 * arrive, or arrives different, fails it with one error line).
 */
final class MeshDemo {
  static final List<String> REGIONS = List.of("us", "eu", "ap");
  /** CoMaps written through {@code us} besides the demo's own. */
  static final int MORE_VALUES = 300;
  /** Each wait: far more than any step takes, even on a busy two-core machine. */
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PER_FRAME = 50;
  private static final int SHORT_KEY_CHARS = 12;

  private final PrintStream out;
  private final Map<String, RegionNode> nodes = new LinkedHashMap<>();
  private Resources res;
  private final CojsonWriter alice = CojsonWriter.newAccount();
  private CoValueDraft map;
  private SyncClient reader;
  private long usLength;
  private long downloaded;
  private long trips;
  private long liveMs;

  MeshDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo with the nodes' directories under {@code where}; 0 once every step was seen. */
  int run(Path where) throws Exception {
    long start = System.nanoTime();
    try (Resources all = new Resources()) {
      res = all;
      out.println("mesh demo: three region nodes in one process, on 127.0.0.1, in " + where);
      startNodes(where);
      writeThroughUs();
      loadThroughEu();
      writeThroughAp();
      out.printf("5. summary: 3 regions; %d CoValues written in us; eu loaded one with %d of %d blocks in %d round trips;%n",
          MORE_VALUES + 3, downloaded, usLength, trips);
      out.printf("   a write in ap was live on us %d ms after its acknowledgement; %d ms in all%n", liveMs, ms(start));
      long t = System.nanoTime();
      all.close();
      out.printf("   closed the clients, the 3 nodes and the DHT in %d ms%n", ms(t));
      return 0;
    }
  }

  /** 1. The DHT, then the nodes one after the other (each finds those before it), until each sees the other two. */
  private void startNodes(Path where) throws Exception {
    long t = System.nanoTime();
    LocalDht dht = res.add(LocalDht.start(3, WAIT));
    Key32 topic = Key32.of(random(32));
    for (String region : REGIONS) {
      Path dir = where.resolve(region); // laid out as `mesh node run --dir` lays it out
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("region"), region + "\n", StandardCharsets.UTF_8);
      RegionNode n = res.add(RegionNode.open(new RegionNode.Config(dir.resolve("store"), region, LocalDht.HOST, 0, topic, null)));
      nodes.put(region, n);
      Deadline.ofSeconds(WAIT.toSeconds()).await(n.join(dht.client()),
          () -> "REQUEST_TIMEOUT: " + region + " did not join the topic within " + WAIT.toSeconds() + " s");
    }
    waitUntil("each region to see the other two", this::allConnected);
    out.printf("1. a private DHT of 3 nodes (bootstrap %s); 3 region nodes joined on topic %s:%n", dht.bootstrap().get(0).key(),
        shortHex(topic.hex()));
    for (RegionNode n : nodes.values()) {
      out.printf("   %s  %s  node %s  bee %s%n", n.region(), n.url(), shortHex(n.nodeKey().publicKey().hex()), shortHex(n.bee().key().hex()));
    }
    out.printf("   each region sees the other two, %d ms after the start%n", ms(t));
  }

  /** 2. The account, a group and the CoMap through us, then {@link #MORE_VALUES} more. */
  private void writeThroughUs() {
    RegionNode us = nodes.get("us");
    SyncClient writer = res.add(SyncClient.connect("writer@us", us.url()));
    CoValueDraft group = alice.newGroup();
    map = alice.newMap(group, "title", "Hello from us", "color", "teal", "count", "1");
    long t = System.nanoTime();
    for (CoValueDraft v : List.of(alice.account(), group, map)) {
      writer.send(v.full());
      writer.awaitMessage(SyncFrames.acknowledges(v).test(), WAIT);
    }
    out.printf("2. an account wrote a group (readable by everyone) and a CoMap of 3 fields through us: acknowledged in %d ms%n", ms(t));
    out.printf("   CoMap %s; us's bee: length %d%n", map.id(), us.bee().length());
    t = System.nanoTime();
    writeMore(writer, alice, group);
    usLength = us.bee().length();
    out.printf("   %d more CoMaps of the account through us in %d ms: us's bee has length %d%n", MORE_VALUES, ms(t), usLength);
  }

  /**
   * 3. A fresh client on eu loads the CoMap: eu reads it from us's bee, sparsely. us sends its new
   * length (a signed upgrade) to its peers as it grows; waiting for it here leaves the load only
   * its own round trips to count.
   */
  private void loadThroughEu() throws InterruptedException {
    RegionNode eu = nodes.get("eu");
    RegionMesh.PeerRegion usFromEu = eu.mesh().peer("us");
    waitUntil("eu to hear of us's length " + usLength, () -> usFromEu.replicator().core().length() == usLength);
    reader = res.add(SyncClient.connect("reader@eu", eu.url()));
    long t = System.nanoTime();
    reader.send(SyncFrames.load(map.id()));
    Map<String, String> got = CoMapValues.of(reader.awaitMessage(SyncFrames.content(map.id()).test(), WAIT));
    long loadMs = ms(t);
    expect("the CoMap loaded through eu", Map.of("title", "Hello from us", "color", "teal", "count", "1"), got);
    downloaded = usFromEu.replicator().stats().downloadedBlocks();
    trips = eu.reads().roundTrips();
    out.printf("3. a fresh client loaded the CoMap through eu in %d ms: %s%n", loadMs, show(got));
    out.printf("   eu read us's bee sparsely: %d of its %d blocks (%d%%) downloaded in %d round trips, each verified against us's"
        + " signed tree%n", downloaded, usLength, Math.round(100.0 * downloaded / usLength), trips);
  }

  /**
   * 4. A client on us loads the CoMap (so it is subscribed); the account writes a second session
   * through ap; the time from ap's acknowledgement to the write's arrival on us (and on eu's reader).
   */
  private void writeThroughAp() {
    SyncClient watcher = res.add(SyncClient.connect("watcher@us", nodes.get("us").url()));
    watcher.send(SyncFrames.load(map.id()));
    watcher.awaitMessage(SyncFrames.content(map.id()).test(), WAIT);
    SyncClient apWriter = res.add(SyncClient.connect("writer@ap", nodes.get("ap").url()));
    apWriter.send(SyncFrames.load(map.id()));
    apWriter.awaitMessage(SyncFrames.content(map.id()).test(), WAIT);
    String second = alice.newSession();
    map.set(second, alice.agent(), "status", "written in ap");
    long t = System.nanoTime();
    apWriter.send(map.content(false, second, map.piece(second, 0, 1)));
    long acked = apWriter.awaitArrival(SyncFrames.acknowledges(map).test(), WAIT).nanoTime();
    Predicate<JsonNode> theWrite = m -> SyncFrames.content(map.id()).test().test(m) && m.path("new").has(second);
    SyncClient.Arrival onUs = watcher.awaitArrival(theWrite, WAIT);
    SyncClient.Arrival onEu = reader.awaitArrival(theWrite, WAIT);
    expect("the write through ap as the client on us got it", Map.of("status", "written in ap"), CoMapValues.of(onUs.message()));
    liveMs = millis(onUs.nanoTime() - acked);
    out.printf("4. a client on us subscribes to it; the account, in a second session, sets status = written in ap through ap:"
        + " acknowledged in %d ms%n", millis(acked - t));
    out.printf("   the client on us got it live %d ms after ap's acknowledgement (the client on eu after %d ms)%n",
        liveMs, millis(onEu.nanoTime() - acked));
  }

  /** {@link #MORE_VALUES} CoMaps of one field each, {@link #PER_FRAME} to a WebSocket message, all acknowledged. */
  private static void writeMore(SyncClient writer, CojsonWriter account, CoValueDraft group) {
    List<CoValueDraft> all = new ArrayList<>();
    List<String> frame = new ArrayList<>();
    for (int i = 0; i < MORE_VALUES; i++) {
      CoValueDraft v = account.newMap(group, "n", Integer.toString(i));
      all.add(v);
      frame.add(v.full());
      if (frame.size() == PER_FRAME || i == MORE_VALUES - 1) {
        writer.send(frame.toArray(new String[0]));
        frame.clear();
      }
    }
    for (CoValueDraft v : all) writer.awaitMessage(SyncFrames.acknowledges(v).test(), WAIT);
  }

  private boolean allConnected() {
    for (RegionNode n : nodes.values()) {
      for (String other : nodes.keySet()) {
        if (other.equals(n.region())) continue;
        RegionMesh.PeerRegion p = n.mesh().peer(other);
        if (p == null || !p.connected()) return false;
      }
    }
    return true;
  }

  /** Polls {@code done} until it holds; a REQUEST_TIMEOUT after {@link #WAIT}. */
  private static void waitUntil(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new CliException("REQUEST_TIMEOUT: waited " + WAIT.toSeconds() + " s for " + what);
      Thread.sleep(20);
    }
  }

  /** Fails the demo unless {@code got} holds every entry of {@code want}. */
  private static void expect(String what, Map<String, String> want, Map<String, String> got) {
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!e.getValue().equals(got.get(e.getKey()))) {
        throw new CliException("ASSERTION: " + what + " has " + show(got) + ", not " + e.getKey() + " = " + e.getValue());
      }
    }
  }

  private static String show(Map<String, String> values) {
    List<String> parts = new ArrayList<>();
    values.forEach((k, v) -> parts.add(k + " = " + v));
    return String.join(", ", parts);
  }

  private static void setIfUnset(String property, String value) {
    if (System.getProperty(property) == null) System.setProperty(property, value);
  }

  private static String shortHex(String hex) {
    return hex.substring(0, SHORT_KEY_CHARS) + "\u2026";
  }

  private static long ms(long startNanos) {
    return millis(System.nanoTime() - startNanos);
  }

  private static long millis(long nanos) {
    return Math.round(nanos / 1e6);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Keeps the libraries' INFO lines off the terminal (a level the user set wins); before the first logger. */
  static void quietLogs() {
    DhtNode.quietLibraryLogs();
    setIfUnset("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // While the nodes close, a UDX packet can still arrive for a stream its socket has just
    // dropped; the socket hands it to dht-rpc, which warns of a "malformed datagram (unknown
    // type)" where JS dht-rpc ignores unknown types silently. No one else sends here.
    setIfUnset(DhtNode.SWARM_LOG_LEVEL + ".dht.rpc.RpcIo", "error");
  }
}
