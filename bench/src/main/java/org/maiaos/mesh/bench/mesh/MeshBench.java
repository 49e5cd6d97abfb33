package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mesh benchmark (issue: the mesh against what a user would pick instead). Setup M, three
 * region nodes ({@code us}, {@code eu}, {@code ap}) on a private DHT, each region's clients on
 * their own node; setup C, one central JS reference sync server that every region's clients reach
 * over the same link. Any two namespaces are {@code mesh.oneWayMs} apart one way (50 ms round
 * trip by default), a region's clients sit next to their server in M ({@link Netns}). In one
 * invocation, M then C, the same load generator ({@link RegionAgent}, one JVM per region) on the
 * same signed content measures: (1) write ack latency in every region; (2) a cold load in eu of a
 * value written in us, by a fresh client, with the eu node's region-read round trips per load; (3)
 * the same load again by another fresh client; (4) propagation of a write through us to a client
 * in ap subscribed to the value; (5) in M only, ap cut off and healed, once per cut length
 * ({@link PartitionStep}). See {@code docs/benchmarks.md}.
 *
 * <p>Knobs (system properties): {@code mesh.samples} (200 per metric and region), {@code
 * mesh.warmup} (20 before them, not counted), {@code mesh.oneWayMs} (25), {@code mesh.setups}
 * ({@code M,C}), {@code mesh.nodeHeap} (512m), {@code mesh.nodeOpts} (more JVM options for the
 * region nodes, e.g. DEBUG logging), {@code mesh.timeout} (900: seconds any child process may live),
 * {@code mesh.cutSeconds} (5,45: one partition per length), {@code mesh.cutWrites} (20 per region
 * and cut), {@code mesh.convergeSeconds} (120: the most a convergence may take after a heal).
 */
public final class MeshBench {
  static final List<String> REGIONS = List.of("us", "eu", "ap");
  private static final Map<String, Long> SEEDS = Map.of("us", 101L, "eu", 102L, "ap", 103L);
  private static final Duration PHASE = Duration.ofSeconds(300);
  private static final Duration STEP = Duration.ofSeconds(30);

  private final int samples = Integer.getInteger("mesh.samples", 200);
  private final int warmup = Integer.getInteger("mesh.warmup", 20);
  private final int oneWayMs = Integer.getInteger("mesh.oneWayMs", 25);
  private final String nodeOpts = "-Xmx" + System.getProperty("mesh.nodeHeap", "512m") + " " + System.getProperty("mesh.nodeOpts", "");
  private final Duration deadline = Duration.ofSeconds(Long.getLong("mesh.timeout", 900));
  private final List<Integer> cutSeconds = java.util.Arrays.stream(System.getProperty("mesh.cutSeconds", "5,45").split(",")).map(String::trim)
      .filter(x -> !x.isEmpty()).map(Integer::valueOf).toList();
  private final int cutWrites = Integer.getInteger("mesh.cutWrites", 20);
  private final Duration convergeBound = Duration.ofSeconds(Long.getLong("mesh.convergeSeconds", 120));
  /** Step (6): CoMaps stored in us's bee before its node starts (0: no step (6)), and how many of them eu loads. */
  private final int bigValues = Integer.getInteger("mesh.bigValues", 0);
  private final int bigSample = Integer.getInteger("mesh.bigSample", 100);
  private String bigLine;
  private final Path interop;
  private final Path repo;
  private final Path root;
  /** The values timed in (2, 3) and the map of (4), to find their reads in the node logs. */
  private List<String> coldIds = List.of();
  private String propId = "";

  private MeshBench(Path interop) throws Exception {
    this.interop = interop.toAbsolutePath().normalize();
    this.repo = this.interop.getParent();
    this.root = Files.createTempDirectory("mesh-bench-");
  }

  public static void run(Path interop) throws Exception {
    new MeshBench(interop).runAll();
  }

  private void runAll() throws Exception {
    if (!Files.isRegularFile(repo.resolve("node/target/node.jar"))) throw new IllegalStateException("bin/mesh is not built: " + repo.resolve("node/target/node.jar"));
    List<String> setups = List.of(System.getProperty("mesh.setups", "M,C").split(","));
    System.out.printf(Locale.ROOT, "mesh bench: %d samples (+%d warm-up) per metric, %d ms one way between namespaces, setups %s, cuts of %s s"
        + " with %d writes per region, logs in %s%n", samples, warmup, oneWayMs, setups, cutSeconds, cutWrites, root);
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("us", Netns.SUBNET + "1");
    endpoints.put("eu", Netns.SUBNET + "2");
    endpoints.put("ap", Netns.SUBNET + "3");
    endpoints.put("central", Netns.SUBNET + "10");
    endpoints.put("dht", Netns.SUBNET + "250");
    List<SetupResult> results = new ArrayList<>();
    try (Netns net = Netns.create(endpoints, Duration.ofMillis(oneWayMs), root, deadline)) {
      for (String s : setups) {
        SetupResult r = runSetup(s.trim(), net);
        r.print();
        results.add(r);
      }
    }
    System.out.println();
    printTable(results);
    if (bigLine != null) System.out.println("\n(6) sparse at scale, M: " + bigLine);
    List<String> failed = new ArrayList<>();
    for (SetupResult r : results) for (CutResult c : r.cuts) if (c.failure() != null) failed.add(c.cutSeconds() + " s cut: " + c.failure());
    if (!failed.isEmpty()) throw new IllegalStateException("the partition step failed: " + failed);
    for (SetupResult r : results) {
      if (!r.work().equals(results.get(0).work())) {
        throw new IllegalStateException("the setups did not do the same work: " + results.get(0).key + " " + results.get(0).work() + " vs " + r.key
            + " " + r.work());
      }
    }
  }

  private SetupResult runSetup(String key, Netns net) throws Exception {
    SetupResult r = new SetupResult(key);
    Map<String, Integer> marks = new LinkedHashMap<>();
    String load0 = loadAverage();
    Path dir = root.resolve(key);
    Files.createDirectories(dir);
    System.out.println("== " + key + ": starting");
    BigBeeStep.Prefilled big = null;
    if (key.equals("M") && bigValues > 0) {
      big = BigBeeStep.prefill(dir.resolve("us").resolve("store"), bigValues, bigSample, 6); // where `mesh node run --dir` keeps its store
      System.out.printf(Locale.ROOT, "   (6) us's bee filled with %,d CoMaps in %d s, before its node starts%n", bigValues, big.millis() / 1000);
    }
    try (Setup setup = key.equals("M") ? MeshSetup.start(net, repo, dir, REGIONS, nodeOpts, deadline)
        : CentralSetup.start(net, interop, dir, deadline)) {
      r.describe = setup.describe();
      Map<String, AgentProcess> agents = new LinkedHashMap<>();
      try {
        for (String region : REGIONS) agents.put(region, AgentProcess.start(net, region, dir, deadline));
        if (setup instanceof MeshSetup m) waitForMesh(m, agents);
        r.links = links(setup, agents);
        System.out.println("   links: " + r.links);
        forAll(agents, a -> AgentProcess.command("init").put("url", setup.url(a.region)).put("seed", SEEDS.get(a.region)), STEP);
        writes(agents, r);
        loads(setup, agents, r);
        propagation(agents, r);
        if (setup instanceof MeshSetup m && big != null) {
          bigLine = BigBeeStep.run(m, agents, big).line();
          System.out.println("   (6) sparse at scale done: " + bigLine);
        }
        if (setup instanceof MeshSetup m) {
          for (String region : REGIONS) marks.put(region, ReadLog.lines(m.log(region)));
          PartitionStep step = new PartitionStep(net, m, agents, cutWrites, convergeBound);
          for (int cut : cutSeconds) {
            CutResult c = step.run(cut);
            System.out.printf(Locale.ROOT, "   (5) partition of %d s done: after the heal %s; connection %s%s%n", cut, c.converged(), c.connection(),
                c.failure() == null ? "" : "; FAILED: " + c.failure());
            r.cuts.add(c);
          }
        }
      } finally {
        for (AgentProcess a : agents.values()) a.close();
      }
      if (setup instanceof MeshSetup m) {
        // the steps before (5) only: after a reconnect the nodes read every value they follow again
        ReadLog eu = ReadLog.parse(m.log("eu"), 0, marks.getOrDefault("eu", Integer.MAX_VALUE));
        r.coldReadLog = eu.summary(coldIds);
        for (String region : List.of("us", "ap")) r.coldMaxTrips.put(region, eu.maxRoundTrips(coldIds, region));
        ReadLog ap = ReadLog.parse(m.log("ap"), 0, marks.getOrDefault("ap", Integer.MAX_VALUE)).withoutFirst(propId);
        r.propagationReadLog = ap.summary(List.of(propId)) + " (one read per update; the subscription's own load left out)";
        for (String region : List.of("us", "eu")) r.propagationMaxTrips.put(region, ap.maxRoundTrips(List.of(propId), region));
      }
    }
    r.load = load0 + " at the start, " + loadAverage() + " at the end";
    return r;
  }

  private void waitForMesh(MeshSetup m, Map<String, AgentProcess> agents) throws Exception {
    forAll(agents, a -> {
      ObjectNode c = AgentProcess.command("waitPeers").put("status", m.statusUrl(a.region)).put("timeoutMs", 120_000);
      REGIONS.stream().filter(x -> !x.equals(a.region)).forEach(c.putArray("peers")::add);
      return c;
    }, Duration.ofSeconds(150));
  }

  /** TCP connect times (one round trip each) as the clients see them: eu to its own server, and to us's. */
  private String links(Setup setup, Map<String, AgentProcess> agents) throws Exception {
    AgentProcess eu = agents.get("eu");
    Stats own = Stats.of(longs(eu.call(AgentProcess.command("probe").put("url", setup.url("eu")).put("n", 20), STEP).path("connectMicros")));
    Stats toUs = Stats.of(longs(eu.call(AgentProcess.command("probe").put("url", setup.url("us")).put("n", 20), STEP).path("connectMicros")));
    return String.format(Locale.ROOT, "TCP connect from eu to its server %.2f ms median (max %.2f), to us's server %.2f ms median (max %.2f)",
        own.median(), own.max(), toUs.median(), toUs.max());
  }

  /** (1) every region writes {@code samples} new CoMaps one after the other, all regions at once. */
  private void writes(Map<String, AgentProcess> agents, SetupResult r) throws Exception {
    Map<String, JsonNode> got = forAll(agents, a -> AgentProcess.command("writes").put("n", samples).put("warmup", warmup), PHASE);
    List<Long> all = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : got.entrySet()) {
      long[] v = longs(e.getValue().path("micros"));
      r.writeByRegion.put(e.getKey(), Stats.of(v));
      for (long x : v) all.add(x);
      r.acks += e.getValue().path("acks").asInt();
    }
    r.writes = Stats.of(all.stream().mapToLong(Long::longValue).toArray());
    System.out.println("   (1) writes done: " + r.writes);
  }

  /** (2, 3) us stores the values (untimed), then eu loads each twice, each time by a fresh client. */
  private void loads(Setup setup, Map<String, AgentProcess> agents, SetupResult r) throws Exception {
    JsonNode prepared = agents.get("us").call(AgentProcess.command("prepare").put("n", warmup + samples), PHASE);
    List<String> ids = new ArrayList<>();
    prepared.path("ids").forEach(i -> ids.add(i.asText()));
    coldIds = ids.subList(warmup, ids.size());
    ObjectNode c = AgentProcess.command("loads").put("warmup", warmup).put("metrics", setup.metricsUrl("eu"));
    ids.forEach(c.putArray("ids")::add);
    JsonNode got = agents.get("eu").call(c, PHASE);
    r.cold = Stats.of(longs(got.path("coldMicros")));
    r.warm = Stats.of(longs(got.path("warmMicros")));
    r.coldRoundTrips = longs(got.path("coldRoundTrips"));
    r.coldRegionReads = longs(got.path("coldRegionReads"));
    r.warmRoundTrips = longs(got.path("warmRoundTrips"));
    r.warmRegionReads = longs(got.path("warmRegionReads"));
    r.loads = got.path("loads").asInt();
    r.loadsWithTheWrite = got.path("loadsWithTheWrite").asInt();
    System.out.println("   (2, 3) loads done: cold " + r.cold + "; warm " + r.warm);
  }

  /** (4) ap subscribes to a map of us; us updates it {@code samples} times, one after the other. */
  private void propagation(Map<String, AgentProcess> agents, SetupResult r) throws Exception {
    AgentProcess us = agents.get("us");
    AgentProcess ap = agents.get("ap");
    int n = warmup + samples;
    JsonNode map = us.call(AgentProcess.command("propMap").put("updates", n), STEP);
    propId = map.path("id").asText();
    ap.call(AgentProcess.command("subscribe").put("id", propId).put("session", map.path("session").asText()), STEP);
    long[] fromAck = new long[samples];
    long[] fromSend = new long[samples];
    for (int i = 1; i <= n; i++) {
      JsonNode u = us.call(AgentProcess.command("update").put("i", i), STEP);
      long seenAt;
      while (true) {
        JsonNode ev = ap.event(STEP);
        if (ev.path("id").asText().equals(propId) && ev.path("end").asLong() >= i + 1) {
          seenAt = ev.path("at").asLong();
          break;
        }
      }
      r.pushes++;
      if (i > warmup) {
        fromAck[i - warmup - 1] = (seenAt - u.path("acked").asLong()) / 1000;
        fromSend[i - warmup - 1] = (seenAt - u.path("sent").asLong()) / 1000;
      }
    }
    r.lagFromAck = Stats.of(fromAck);
    r.lagFromSend = Stats.of(fromSend);
    System.out.println("   (4) propagation done: " + r.lagFromAck);
  }

  private interface Command {
    ObjectNode of(AgentProcess a);
  }

  /** Sends each agent its command, then collects every reply: the regions work at the same time. */
  private static Map<String, JsonNode> forAll(Map<String, AgentProcess> agents, Command cmd, Duration timeout) throws Exception {
    for (AgentProcess a : agents.values()) a.send(cmd.of(a));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (AgentProcess a : agents.values()) out.put(a.region, a.next(timeout));
    return out;
  }

  static long[] longs(JsonNode a) {
    long[] v = new long[a.size()];
    for (int i = 0; i < v.length; i++) v[i] = a.get(i).asLong();
    return v;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  private void printTable(List<SetupResult> results) {
    System.out.printf(Locale.ROOT, "mesh bench summary (%d samples per metric after %d warm-up; %d ms round trip between namespaces)%n", samples, warmup,
        2 * oneWayMs);
    StringBuilder head = new StringBuilder("| metric |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (SetupResult r : results) {
      head.append(' ').append(r.key).append(" median | ").append(r.key).append(" p99 | ").append(r.key).append(" round trips |");
      rule.append(" --- | --- | --- |");
    }
    System.out.println(head);
    System.out.println(rule);
    row(results, "(1) write ack, 3 regions", r -> r.writes, r -> r.trips(1));
    row(results, "(2) cold load in eu, written in us", r -> r.cold, r -> r.trips(2));
    row(results, "(3) warm load in eu", r -> r.warm, r -> r.trips(3));
    row(results, "(4) propagation us -> ap, from the writer's ack", r -> r.lagFromAck, r -> r.trips(4));
    row(results, "(4') propagation us -> ap, from the writer's send", r -> r.lagFromSend, r -> "");
    for (SetupResult r : results) System.out.println(r.key + " work: " + r.work());
    System.out.println();
    System.out.println("| (5) partition, ap cut off | setup | writes acked during the cut | us -> ap converged after the heal | ap -> us | connection |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (SetupResult r : results) {
      if (r.cuts.isEmpty()) System.out.println("| n/a | " + r.key + " | n/a (no regions) | | | |");
      for (CutResult c : r.cuts) {
        System.out.printf(Locale.ROOT, "| %d s | %s | %s | %s | %s | %s |%n", c.cutSeconds(), r.key, c.ackedDuringCut(),
            CutResult.ms(c.convergedMs().get("us -> ap")), CutResult.ms(c.convergedMs().get("ap -> us")), c.connection());
      }
    }
  }

  private static void row(List<SetupResult> results, String name, java.util.function.Function<SetupResult, Stats> stat,
      java.util.function.Function<SetupResult, String> trips) {
    StringBuilder sb = new StringBuilder("| ").append(name).append(" |");
    for (SetupResult r : results) {
      Stats s = stat.apply(r);
      sb.append(String.format(Locale.ROOT, " %.1f ms | %.1f ms | %s |", s.median(), s.p99(), trips.apply(r)));
    }
    System.out.println(sb);
  }
}
