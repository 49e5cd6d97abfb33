package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.UdxDatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.ExecutorScheduler;
import org.maiaos.mesh.hyperswarm.dht.rpc.RpcLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxLimits;
import org.maiaos.mesh.node.mesh.RegionMesh;
import org.maiaos.mesh.node.mesh.RegionNode;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/**
 * Two region nodes in one JVM (store, region bee, mesh, swarm on a Java DHT on 127.0.0.1, sync
 * server with {@link RegionReads}), driven by raw protocol clients writing valid cojson content:
 * a value written through one region is loaded through the other (dependencies first, read
 * sparsely from the first region's bee and verified), a later write is pushed live to a client
 * subscribed in the other region, a repeat load downloads nothing, and content forged in a
 * region's own bee is never served. Bounded waits throughout.
 */
class RegionSyncTest {
  private static final long WAIT_S = 30;
  private static final Duration REPLY = Duration.ofSeconds(WAIT_S);
  private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("region-sync-test"));
  private final ExecutorScheduler scheduler = new ExecutorScheduler();
  private final List<AutoCloseable> closing = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    scheduler.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private HyperDht dht(DhtRpcOptions opts) throws Exception {
    HyperDht d = HyperDht.open(opts, scheduler,
        UdxDatagramTransport.binder(group, UdxLimits.DEFAULTS, RpcLimits.DEFAULT.maxDatagramBytes()));
    closing.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  private RegionNode node(String region, List<PeerAddress> boot, Key32 topic) throws Exception {
    RegionNode n = RegionNode.open(new RegionNode.Config(tmp.resolve(region), region, "127.0.0.1", 0, topic, null));
    closing.add(n);
    n.join(dht(DhtRpcOptions.DEFAULT.withBootstrap(boot))).get(WAIT_S, TimeUnit.SECONDS);
    return n;
  }

  private List<RegionNode> twoRegions() throws Exception {
    HyperDht first = dht(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.rpc().serverAddress());
    dht(DhtRpcOptions.persistent(boot));
    dht(DhtRpcOptions.persistent(boot));
    Key32 topic = Key32.of(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8});
    RegionNode us = node("us", boot, topic);
    RegionNode eu = node("eu", boot, topic);
    waitFor("each side's hello", () -> us.mesh().peer("eu") != null && eu.mesh().peer("us") != null
        && us.mesh().peer("eu").connected() && eu.mesh().peer("us").connected());
    return List.of(us, eu);
  }

  private SyncClient client(String name, RegionNode n) {
    SyncClient c = SyncClient.connect(name, n.url());
    closing.add(c);
    return c;
  }

  private static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  /** Sends {@code values} in order through {@code c} and waits for each to be acknowledged whole. */
  private static void write(SyncClient c, CoValueDraft... values) {
    for (CoValueDraft v : values) {
      c.send(v.full());
      c.awaitMessage(m -> "known".equals(m.path("action").asText()) && v.id().equals(m.path("id").asText())
          && m.path("sessions").equals(v.knownState().path("sessions")), REPLY);
    }
  }

  private static boolean contentOf(JsonNode m, String id) {
    return "content".equals(m.path("action").asText()) && id.equals(m.path("id").asText());
  }

  /** The transactions of session {@code sid} in a content message, as their JSON text. */
  private static List<String> txs(JsonNode content, String sid) {
    List<String> out = new ArrayList<>();
    content.path("new").path(sid).path("newTransactions").forEach(t -> out.add(t.toString()));
    return out;
  }

  @Test
  void aValueWrittenInOneRegionIsLoadedThroughAnotherAndLaterWritesArePushedLive() throws Exception {
    List<RegionNode> nodes = twoRegions();
    RegionNode us = nodes.get(0);
    RegionNode eu = nodes.get(1);

    CojsonWriter alice = CojsonWriter.newAccount();
    CoValueDraft g = alice.newGroup();
    CoValueDraft m = alice.newMap(g, "title", "written in us", "n", "1");
    SyncClient writer = client("writer@us", us);
    write(writer, alice.account(), g, m);
    long usLength = us.bee().length();

    SyncClient reader = client("reader@eu", eu);
    reader.send(SyncFrames.load(m.id()));
    JsonNode got = reader.awaitMessage(x -> contentOf(x, m.id()), REPLY);
    assertTrue(got.has("header"), "the reader lacks the header, so it comes: " + got);
    assertEquals(m.knownState().path("sessions").toString(), sessionsEnd(got).toString(), "the whole map, as written in us");
    List<JsonNode> before = reader.quiet(Duration.ofMillis(300));
    assertTrue(before.stream().noneMatch(x -> "known".equals(x.path("action").asText()) && !x.path("header").asBoolean()),
        "nothing was answered as unknown: " + before);

    RegionMesh.PeerRegion usSeenFromEu = eu.mesh().peer("us");
    long downloaded = usSeenFromEu.replicator().stats().downloadedBlocks();
    assertTrue(downloaded > 0 && downloaded <= usLength, "downloaded " + downloaded + " of " + usLength);
    assertTrue(eu.reads().reads() >= 1 && eu.reads().attempts() >= 2, "a cold read waited for blocks: " + eu.reads().attempts());

    // a second client loads it again through eu: served from eu's own storage, no new remote read
    long readsBefore = eu.reads().reads();
    SyncClient again = client("again@eu", eu);
    again.send(SyncFrames.load(m.id()));
    again.awaitMessage(x -> contentOf(x, m.id()), REPLY);
    assertEquals(readsBefore, eu.reads().reads(), "a followed value is not read remotely again");
    assertEquals(downloaded, usSeenFromEu.replicator().stats().downloadedBlocks(), "a repeat load downloads nothing");

    // a write through us reaches the client subscribed through eu
    int n = m.count(alice.session());
    alice.set(m, "title", "changed in us");
    writer.send(m.content(false, alice.session(), m.piece(alice.session(), n, n + 1)));
    JsonNode pushed = reader.awaitMessage(x -> contentOf(x, m.id()) && x.path("new").path(alice.session()).path("after").asLong() == n, REPLY);
    assertEquals(1, txs(pushed, alice.session()).size(), "the new transaction: " + pushed);
    assertTrue(txs(pushed, alice.session()).get(0).contains("changed in us"), pushed.toString());
  }

  @Test
  void contentForgedInARegionsOwnBeeIsNeverServed() throws Exception {
    List<RegionNode> nodes = twoRegions();
    RegionNode us = nodes.get(0);
    RegionNode eu = nodes.get(1);

    // us's operator writes its bee directly, past its own sync server's checks: the account and
    // group are genuine, the map's transaction text is changed after it was signed
    CojsonWriter alice = CojsonWriter.newAccount();
    CoValueDraft g = alice.newGroup();
    CoValueDraft m = alice.newMap(g, "title", "signed text");
    String forged = m.full().replace("signed text", "forged text");
    try (HyperbeeStorage direct = HyperbeeStorage.of(Hyperbee.open(us.bee(),
        HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).build()), System::currentTimeMillis)) {
      direct.storeAll(List.of(ContentMessage.parse(alice.account().full()), ContentMessage.parse(g.full()), ContentMessage.parse(forged)));
    }
    us.mesh().changed(m.id()); // as its sync server would, so eu's replica hears of the new length

    SyncClient reader = client("reader@eu", eu);
    reader.send(SyncFrames.load(m.id()));
    JsonNode got = reader.awaitMessage(x -> ("content".equals(x.path("action").asText()) || "known".equals(x.path("action").asText()))
        && m.id().equals(x.path("id").asText()), REPLY);
    List<JsonNode> rest = reader.quiet(Duration.ofMillis(500));
    for (JsonNode x : concat(got, rest)) assertTrue(!x.toString().contains("forged text"), "forged content served: " + x);
    assertTrue(eu.mesh().peer("us").replicator().stats().downloadedBlocks() > 0, "eu did read us's bee");

    // the genuine group from the same bee was taken in: only the forged session was refused
    SyncClient other = client("other@eu", eu);
    other.send(SyncFrames.load(g.id()));
    JsonNode group = other.awaitMessage(x -> contentOf(x, g.id()), REPLY);
    assertEquals(g.knownState().path("sessions").toString(), sessionsEnd(group).toString());
  }

  @Test
  void aColdLoadFromABigBeeCostsTwoRoundTripsAndFetchesAFewBlocks() throws Exception {
    List<RegionNode> nodes = twoRegions();
    RegionNode us = nodes.get(0);
    RegionNode eu = nodes.get(1);

    // us's bee holds many values, stored as its sync server would store them (valid content)
    int values = 3_000;
    CojsonWriter alice = CojsonWriter.newAccount();
    CoValueDraft g = alice.newGroup();
    List<CoValueDraft> maps = new ArrayList<>();
    List<ContentMessage> batch = new ArrayList<>(List.of(ContentMessage.parse(alice.account().full()), ContentMessage.parse(g.full())));
    try (HyperbeeStorage direct = HyperbeeStorage.of(Hyperbee.open(us.bee(),
        HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).build()), System::currentTimeMillis)) {
      for (int i = 0; i < values; i++) {
        CoValueDraft m = alice.newMap(g, "n", Integer.toString(i));
        maps.add(m);
        batch.add(ContentMessage.parse(m.full()));
        if (batch.size() == 500) {
          direct.storeAll(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) direct.storeAll(batch);
    }
    us.mesh().changed(g.id());
    long usLength = us.bee().length();
    RegionMesh.PeerRegion usSeenFromEu = eu.mesh().peer("us");
    waitFor("eu to learn us's length", () -> usSeenFromEu.replicator().core().length() == usLength);

    java.util.Random random = new java.util.Random(42);
    SyncClient reader = client("reader@eu", eu);
    int loads = 20;
    for (int i = 0; i < loads; i++) {
      CoValueDraft m = maps.get(random.nextInt(values));
      long tripsBefore = eu.reads().roundTrips();
      reader.send(SyncFrames.load(m.id()));
      JsonNode got = reader.awaitMessage(x -> contentOf(x, m.id()), REPLY);
      assertEquals(m.knownState().path("sessions").toString(), sessionsEnd(got).toString());
      long trips = eu.reads().roundTrips() - tripsBefore;
      assertTrue(trips >= 1 && trips <= 2, "load " + i + " of " + m.id() + " took " + trips + " round trips");
    }
    long downloaded = usSeenFromEu.replicator().stats().downloadedBlocks();
    assertTrue(eu.reads().maxRoundTrips() <= 2, "at most two round trips per region read: " + eu.reads().maxRoundTrips());
    assertTrue(downloaded < usLength / 20, loads + " cold loads fetched " + downloaded + " of " + usLength + " blocks");
    System.out.printf("RegionSyncTest: %d cold loads from a bee of %d blocks: %d blocks fetched, %d round trips in all, at most %d per load%n",
        loads, usLength, downloaded, eu.reads().roundTrips(), eu.reads().maxRoundTrips());
  }

  private static List<JsonNode> concat(JsonNode first, List<JsonNode> rest) {
    List<JsonNode> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** {@code after + newTransactions.length} per session of a content message. */
  private static JsonNode sessionsEnd(JsonNode content) {
    com.fasterxml.jackson.databind.node.ObjectNode out = SyncClient.JSON.createObjectNode();
    content.path("new").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("after").asLong() + e.getValue().path("newTransactions").size()));
    return out;
  }
}
