package org.maiaos.mesh.cojson.storage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;

/**
 * Issue 5's benchmark: store then load 10,000 CoValues of 20 transactions each, 3 CoValues of
 * 10,000 transactions (stored in slices of 100, as a node sends them), and loadKnownState for all,
 * on each backend in a fresh directory, 3 rounds, best per metric. Both backends commit durably per store (SQLite
 * synchronous=FULL; the Hyperbee's core fsyncs its oplog per append). Run only under -Pbench:
 *
 * <pre>mvn -Pbench -pl cojson-storage -am verify -DskipTests [-Dbench.values=10000]</pre>
 */
public final class StorageBench {
  private StorageBench() {}

  record Result(String backend, double storeMs, double loadMs, double knownMs, double bigStoreMs, double bigLoadMs) {}

  public static void main(String[] args) throws IOException {
    int values = Integer.getInteger("bench.values", 10_000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    Path root = Files.createTempDirectory("cojson-storage-bench");
    try {
      run(root.resolve("warm"), Math.max(200, values / 20), 1, false); // JIT warm-up, not reported
      List<Result> best = run(root.resolve("real"), values, rounds, true);
      Result sq = best.get(0);
      Result hb = best.get(1);
      System.out.println();
      System.out.printf(Locale.ROOT, "| backend | store %d x 20 tx | load all | loadKnownState all | store 3 x 10,000 tx | load 3 x 10,000 tx |%n", values);
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      for (Result r : best) {
        System.out.printf(Locale.ROOT, "| %s | %.0f ms (%.0f/s) | %.0f ms (%.0f/s) | %.0f ms (%.0f/s) | %.0f ms | %.0f ms |%n", r.backend,
            r.storeMs, values / r.storeMs * 1000, r.loadMs, values / r.loadMs * 1000, r.knownMs, values / r.knownMs * 1000, r.bigStoreMs, r.bigLoadMs);
      }
      System.out.printf(Locale.ROOT, "| Hyperbee/SQLite time | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx |%n",
          hb.storeMs / sq.storeMs, hb.loadMs / sq.loadMs, hb.knownMs / sq.knownMs, hb.bigStoreMs / sq.bigStoreMs, hb.bigLoadMs / sq.bigLoadMs);
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Rounds alternate the backends, so load from other processes on the machine hits both alike; each metric keeps its best round. */
  private static List<Result> run(Path root, int values, int rounds, boolean print) throws IOException {
    List<String> backends = List.of("sqlite", "hyperbee");
    List<Result> best = new ArrayList<>(java.util.Collections.nCopies(backends.size(), (Result) null));
    for (int r = 0; r < rounds; r++) {
      for (int b = 0; b < backends.size(); b++) {
        Result res = round(backends.get(b), root.resolve(backends.get(b) + "-" + r), values);
        if (print) System.out.printf(Locale.ROOT, "%s round %d: %s%n", backends.get(b), r, res);
        Result o = best.get(b);
        best.set(b, o == null ? res : new Result(res.backend, Math.min(o.storeMs, res.storeMs), Math.min(o.loadMs, res.loadMs),
            Math.min(o.knownMs, res.knownMs), Math.min(o.bigStoreMs, res.bigStoreMs), Math.min(o.bigLoadMs, res.bigLoadMs)));
      }
    }
    return best;
  }

  private static StorageApi open(String backend, Path dir) throws IOException {
    Files.createDirectories(dir);
    return backend.equals("sqlite") ? SqliteStorage.open(dir.resolve("storage.db")) : HyperbeeStorage.open(dir.resolve("bee"));
  }

  private static Result round(String backend, Path dir, int values) throws IOException {
    List<CoValueHeader> headers = new ArrayList<>();
    for (int i = 0; i < values; i++) headers.add(Synthetic.header("bench-" + i));
    String ses = Synthetic.session(7);
    double storeMs;
    double bigStoreMs;
    try (StorageApi s = open(backend, dir)) {
      long t0 = System.nanoTime();
      for (CoValueHeader h : headers) s.store(Synthetic.content(h, true, ses, Synthetic.slice(ses, 0, 20, 100)), null, null);
      storeMs = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      for (int b = 0; b < 3; b++) {
        CoValueHeader h = Synthetic.header("bench-big-" + b);
        for (int i = 0; i < 100; i++) s.store(Synthetic.content(h, i == 0, ses, Synthetic.slice(ses, i * 100L, 100, 100)), null, null);
      }
      bigStoreMs = (System.nanoTime() - t0) / 1e6;
    }
    try (StorageApi s = open(backend, dir)) { // reads from a reopened storage: nothing cached
      AtomicLong txs = new AtomicLong();
      long t0 = System.nanoTime();
      for (CoValueHeader h : headers) s.load(h.coValueId(), m -> m.sessions().values().forEach(x -> txs.addAndGet(x.newTransactions().size())), null);
      double loadMs = (System.nanoTime() - t0) / 1e6;
      if (txs.get() != 20L * values) throw new IllegalStateException("loaded " + txs.get() + " transactions");
      t0 = System.nanoTime();
      long sessions = 0;
      for (CoValueHeader h : headers) sessions += s.loadKnownState(h.coValueId()).orElseThrow().sessions().size();
      double knownMs = (System.nanoTime() - t0) / 1e6;
      if (sessions != values) throw new IllegalStateException("known states: " + sessions);
      txs.set(0);
      t0 = System.nanoTime();
      for (int b = 0; b < 3; b++) {
        s.load(Synthetic.header("bench-big-" + b).coValueId(), m -> m.sessions().values().forEach(x -> txs.addAndGet(x.newTransactions().size())), null);
      }
      double bigLoadMs = (System.nanoTime() - t0) / 1e6;
      if (txs.get() != 30_000) throw new IllegalStateException("big loads: " + txs.get());
      return new Result(backend, storeMs, loadMs, knownMs, bigStoreMs, bigLoadMs);
    }
  }
}
