package org.maiaos.mesh.cojson.storage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.maiaos.mesh.cojson.storage.HybridStorage;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Issue 5's benchmark, three backends in one run on one workload: our SQLite backend, our Hyperbee
 * backend, and JS cojson 0.20.19's own SQLite storage (better-sqlite3, driven by
 * {@code interop/sqlite-bench/cojson-sqlite-bench.js} in a child process, fed the very messages
 * the Java rounds store). The workload: 10,000 CoValues of 20 transactions (one store each) and 3
 * of 10,000 transactions (stored in slices of 100, as a node sends them), all built before the
 * clock starts. A round: store all, close; reopen and {@code loadKnownState} for all (cold:
 * nothing of the storage in memory but the OS page cache); reopen, load all, load the big ones,
 * then {@code loadKnownState} for all five times (warm: the median pass). Every store is durable
 * on every backend (SQLite synchronous=FULL, the Hyperbee's core fsyncs per append). Rounds
 * alternate the backends, so load from elsewhere on the machine hits all alike; the table gives
 * each metric's median round. Run only under -Pbench:
 *
 * <pre>mvn -q -Pbench -pl cojson-storage -am verify -DskipTests [-Dbench.values=10000] [-Dbench.rounds=3]</pre>
 */
public final class StorageBench {
  private static final List<String> BACKENDS = List.of("sqlite", "hyperbee", "hybrid", "js-sqlite");
  private static final Map<String, String> NAMES = Map.of("sqlite", "Java SQLite (ours)", "hyperbee", "Java Hyperbee (ours)", "hybrid", "Java hybrid (SQLite + bee, ours)",
      "js-sqlite", "JS cojson SQLite (better-sqlite3)");
  private static final String JS_BENCH = "sqlite-bench/cojson-sqlite-bench.js";

  private StorageBench() {}

  record Workload(List<ContentMessage> small, List<ContentMessage> big, List<String> smallIds, List<String> bigIds) {
    static Workload build(int values) {
      String ses = Synthetic.session(7);
      List<ContentMessage> small = new ArrayList<>();
      List<String> smallIds = new ArrayList<>();
      for (int i = 0; i < values; i++) {
        CoValueHeader h = Synthetic.header("bench-" + i);
        small.add(Synthetic.content(h, true, ses, Synthetic.slice(ses, 0, 20, 100)));
        smallIds.add(h.coValueId());
      }
      List<ContentMessage> big = new ArrayList<>();
      List<String> bigIds = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        CoValueHeader h = Synthetic.header("bench-big-" + b);
        for (int i = 0; i < 100; i++) big.add(Synthetic.content(h, i == 0, ses, Synthetic.slice(ses, i * 100L, 100, 100)));
        bigIds.add(h.coValueId());
      }
      return new Workload(small, big, smallIds, bigIds);
    }

    void write(Path dir) throws IOException {
      Files.createDirectories(dir);
      writeLines(dir.resolve("small.jsonl"), small);
      writeLines(dir.resolve("big.jsonl"), big);
    }

    private static void writeLines(Path file, List<ContentMessage> msgs) throws IOException {
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (ContentMessage m : msgs) w.write(m.toJson() + "\n");
      }
    }
  }

  record Result(double storeMs, double bigStoreMs, double coldKnownMs, double loadMs, double bigLoadMs, double warmKnownMs) {}

  public static void main(String[] args) throws Exception {
    int values = Integer.getInteger("bench.values", 10_000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    Path root = Files.createTempDirectory("cojson-storage-bench");
    try {
      installJsBench();
      Workload warm = Workload.build(Math.max(200, values / 20));
      for (String b : List.of("sqlite", "hyperbee", "hybrid")) javaRound(b, root.resolve("warm-" + b), warm); // JIT warm-up, not reported
      Workload w = Workload.build(values);
      w.write(root.resolve("workload"));
      Map<String, List<Result>> results = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (String b : BACKENDS) {
          Path dir = root.resolve(b + "-" + r);
          Result res = b.equals("js-sqlite") ? jsRound(root.resolve("workload"), dir, w) : javaRound(b, dir, w);
          System.out.printf(Locale.ROOT, "%s round %d: %s%n", b, r, res);
          results.computeIfAbsent(b, x -> new ArrayList<>()).add(res);
          deleteTree(dir);
        }
      }
      print(values, results);
    } finally {
      deleteTree(root);
    }
  }

  private static void print(int values, Map<String, List<Result>> results) {
    List<ToDoubleFunction<Result>> metrics = List.of(Result::storeMs, Result::loadMs, Result::coldKnownMs, Result::warmKnownMs,
        Result::bigStoreMs, Result::bigLoadMs);
    System.out.println();
    System.out.printf(Locale.ROOT, "| backend | store %,d x 20 tx | load all | loadKnownState all, cold | loadKnownState all, warm | store 3 x 10,000 tx | load 3 x 10,000 tx |%n", values);
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    Map<String, double[]> medians = new LinkedHashMap<>();
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      double[] m = metrics.stream().mapToDouble(f -> median(e.getValue(), f)).toArray();
      medians.put(e.getKey(), m);
      StringBuilder row = new StringBuilder("| " + NAMES.get(e.getKey()) + " |");
      for (double v : m) row.append(String.format(Locale.ROOT, " %,.0f ms |", v));
      System.out.println(row);
    }
    for (String[] pair : List.of(new String[] {"hyperbee", "sqlite"}, new String[] {"hyperbee", "js-sqlite"}, new String[] {"hybrid", "hyperbee"})) {
      StringBuilder row = new StringBuilder("| " + NAMES.get(pair[0]) + " / " + NAMES.get(pair[1]) + " |");
      for (int i = 0; i < metrics.size(); i++) row.append(String.format(Locale.ROOT, " %.2fx |", medians.get(pair[0])[i] / medians.get(pair[1])[i]));
      System.out.println(row);
    }
  }

  private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static StorageApi open(String backend, Path dir) throws IOException {
    Files.createDirectories(dir);
    return switch (backend) {
      case "sqlite" -> SqliteStorage.open(dir.resolve("storage.db"));
      case "hybrid" -> HybridStorage.of(SqliteStorage.open(dir.resolve("storage.db")), HyperbeeStorage.open(dir.resolve("bee")));
      default -> HyperbeeStorage.open(dir.resolve("bee"));
    };
  }

  private static Result javaRound(String backend, Path dir, Workload w) throws IOException {
    double storeMs;
    double bigStoreMs;
    try (StorageApi s = open(backend, dir)) {
      long t0 = System.nanoTime();
      for (ContentMessage m : w.small) s.store(m, null, null);
      storeMs = ms(t0);
      t0 = System.nanoTime();
      for (ContentMessage m : w.big) s.store(m, null, null);
      bigStoreMs = ms(t0);
    }
    double coldKnownMs;
    try (StorageApi s = open(backend, dir)) {
      long t0 = System.nanoTime();
      for (String id : w.smallIds) s.loadKnownState(id).orElseThrow();
      coldKnownMs = ms(t0);
    }
    try (StorageApi s = open(backend, dir)) {
      AtomicLong txs = new AtomicLong();
      long t0 = System.nanoTime();
      for (String id : w.smallIds) s.load(id, m -> m.sessions().values().forEach(x -> txs.addAndGet(x.newTransactions().size())), null);
      double loadMs = ms(t0);
      check("loaded transactions", 20L * w.smallIds.size(), txs.get());
      txs.set(0);
      t0 = System.nanoTime();
      for (String id : w.bigIds) s.load(id, m -> m.sessions().values().forEach(x -> txs.addAndGet(x.newTransactions().size())), null);
      double bigLoadMs = ms(t0);
      check("loaded big transactions", 30_000, txs.get());
      double[] passes = new double[5];
      for (int p = 0; p < passes.length; p++) {
        t0 = System.nanoTime();
        for (String id : w.smallIds) s.loadKnownState(id).orElseThrow();
        passes[p] = ms(t0);
      }
      java.util.Arrays.sort(passes);
      return new Result(storeMs, bigStoreMs, coldKnownMs, loadMs, bigLoadMs, passes[2]);
    }
  }

  private static Result jsRound(Path workload, Path dir, Workload w) {
    JsonNode r = NodeScript.call(JS_BENCH, null, workload.toString(), dir.toString());
    check("JS loaded transactions", 20L * w.smallIds.size(), r.get("transactions").asLong());
    check("JS loaded big transactions", 30_000, r.get("bigTransactions").asLong());
    return new Result(r.get("storeMs").asDouble(), r.get("bigStoreMs").asDouble(), r.get("coldKnownMs").asDouble(), r.get("loadMs").asDouble(),
        r.get("bigLoadMs").asDouble(), r.get("warmKnownMs").asDouble());
  }

  /** better-sqlite3 is a native build, so it has its own package beside interop/, installed here and not by the tests. */
  private static void installJsBench() throws IOException, InterruptedException {
    NodeScript.ensureInstalled();
    Path dir = NodeScript.interopDir().resolve("sqlite-bench");
    if (Files.isRegularFile(dir.resolve("node_modules/better-sqlite3/package.json"))) return;
    Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile()).inheritIO().start();
    if (p.waitFor() != 0) throw new IllegalStateException("npm ci in " + dir + " failed");
  }

  private static void check(String what, long expected, long got) {
    if (expected != got) throw new IllegalStateException(what + ": expected " + expected + ", got " + got);
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
