package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.node.mesh.CoreStore;
import org.maiaos.mesh.node.mesh.RegionNode;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;

/**
 * (6) Sparse at scale, M only: before us's node starts, its region bee is filled with many CoMaps
 * (valid signatures, one account and group, made here, untimed); then a client in eu loads a
 * random sample of them through eu's node, across the delay switch, each by a fresh connection,
 * and again. Counted: round trips per region read (eu's node log), blocks of us's bee eu
 * downloaded (eu's {@code /metrics}) against the bee's length, and what the repeat loads download.
 */
final class BigBeeStep {
  private static final Duration PHASE = Duration.ofSeconds(600);

  /** The values stored in us's bee before its node started, and the sample eu will load. */
  record Prefilled(int values, List<String> sample, long millis) {}

  private BigBeeStep() {}

  /** Fills the bee of the node store at {@code usStore} (not running yet) with {@code values} CoMaps. */
  static Prefilled prefill(Path usStore, int values, int sample, long seed) {
    long t0 = System.nanoTime();
    CojsonWriter w = CojsonWriter.newAccount();
    CoValueDraft g = w.newGroup();
    List<String> ids = new ArrayList<>(values);
    try (CoreStore store = CoreStore.open(usStore);
        HyperbeeStorage bee = HyperbeeStorage.of(Hyperbee.open(store.get(RegionNode.BEE),
            HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).build()), System::currentTimeMillis)) {
      List<ContentMessage> batch = new ArrayList<>(List.of(ContentMessage.parse(w.account().full()), ContentMessage.parse(g.full())));
      for (int i = 0; i < values; i++) {
        CoValueDraft m = w.newMap(g, "n", Integer.toString(i));
        ids.add(m.id());
        batch.add(ContentMessage.parse(m.full()));
        if (batch.size() >= 2_000) { // one commit holds at most 64 MiB
          bee.storeAll(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) bee.storeAll(batch);
    }
    Collections.shuffle(ids, new Random(seed));
    return new Prefilled(values, List.copyOf(ids.subList(0, Math.min(sample, ids.size()))), (System.nanoTime() - t0) / 1_000_000);
  }

  /** What (6) measured. */
  record Result(String line) {}

  static Result run(MeshSetup m, Map<String, AgentProcess> agents, Prefilled p) throws Exception {
    AgentProcess eu = agents.get("eu");
    long beeLength = Conn.JSON.readTree(get(eu, m.statusUrl("us"))).path("beeLength").asLong();
    long before = downloaded(eu, m.metricsUrl("eu"));
    int mark = ReadLog.lines(m.log("eu"));
    ObjectNode c = AgentProcess.command("loads").put("warmup", 0).put("metrics", m.metricsUrl("eu"));
    p.sample().forEach(c.putArray("ids")::add);
    JsonNode first = eu.call(c, PHASE);
    long afterFirst = downloaded(eu, m.metricsUrl("eu"));
    JsonNode again = eu.call(c, PHASE);
    long afterAgain = downloaded(eu, m.metricsUrl("eu"));
    ReadLog log = ReadLog.parse(m.log("eu"), mark, Integer.MAX_VALUE);
    int loaded = first.path("loadsWithTheWrite").asInt() + again.path("loadsWithTheWrite").asInt();
    if (loaded != 4 * p.sample().size()) {
      throw new IllegalStateException("(6): " + loaded + " of " + 4 * p.sample().size() + " loads carried the map's transaction");
    }
    Stats cold = Stats.of(MeshBench.longs(first.path("coldMicros")));
    long[] trips = MeshBench.longs(first.path("coldRoundTrips")).clone(); // counts, not the microseconds Stats takes
    java.util.Arrays.sort(trips);
    long repeatReads = sum(first.path("warmRegionReads")) + sum(again.path("coldRegionReads")) + sum(again.path("warmRegionReads"));
    String line = String.format(Locale.ROOT,
        "us's bee %,d blocks (%,d CoMaps stored before its node started, in %d s); eu loaded %d of them, each by a fresh client:"
            + " cold %s; round trips per region read of us at most %d (eu's log: %s); per load over the two regions median %d, max %d;"
            + " blocks of us's bee downloaded %,d (%.2f%%); then %d repeat loads: %d region reads, %d blocks downloaded",
        beeLength, p.values(), p.millis() / 1000, p.sample().size(), cold, log.maxRoundTrips(p.sample(), "us"), log.summary(p.sample()),
        trips[trips.length / 2], trips[trips.length - 1], afterFirst - before, 100.0 * (afterFirst - before) / beeLength, 3 * p.sample().size(), repeatReads,
        afterAgain - afterFirst);
    return new Result(line);
  }

  private static long sum(JsonNode a) {
    long s = 0;
    for (JsonNode x : a) s += x.asLong();
    return s;
  }

  private static String get(AgentProcess a, String url) throws Exception {
    return a.call(AgentProcess.command("get").put("url", url), Duration.ofSeconds(30)).path("body").asText();
  }

  /** eu's count of the blocks of us's bee it downloaded. */
  private static long downloaded(AgentProcess eu, String metricsUrl) throws Exception {
    String name = "mesh_peer_downloaded_blocks{region=\"us\"} ";
    for (String l : get(eu, metricsUrl).split("\n")) {
      if (l.startsWith(name)) return Math.round(Double.parseDouble(l.substring(name.length()).trim()));
    }
    throw new IllegalStateException("no " + name.trim() + " in eu's /metrics");
  }
}
