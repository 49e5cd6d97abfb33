package org.maiaos.mesh.cojson.storage.crash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * A deterministic sequence of stores: step {@code i} appends {@code 1 + i % 4} transactions to one
 * session of one of six values; every 11th transaction is 60 KB, so saved signatures and
 * multi-piece loads happen. The state after {@code k} steps is a pure function of {@code k}, so
 * after a crash the disk must equal the state after some whole number of steps.
 */
final class CrashScenario {
  static final int VALUES = 6;
  static final int SESSIONS = 3;

  private CrashScenario() {}

  static StorageApi open(String backend, Path dir) {
    return switch (backend) {
      case "sqlite" -> SqliteStorage.open(dir.resolve("storage.db"));
      case "hyperbee" -> org.maiaos.mesh.cojson.storage.HyperbeeStorage.open(dir.resolve("bee"));
      default -> throw new IllegalArgumentException(backend);
    };
  }

  static CoValueHeader header(int v) {
    return Synthetic.header("crash-" + v);
  }

  static String session(int s) {
    return Synthetic.session(500 + s);
  }

  static int valueOf(long step) {
    return (int) (step % VALUES);
  }

  static int sessionOf(long step) {
    return (int) ((step / VALUES) % SESSIONS);
  }

  static int countOf(long step) {
    return 1 + (int) (step % 4);
  }

  static Transaction tx(String session, long idx) {
    return Synthetic.tx(session, idx, idx % 11 == 5 ? 60_000 : 300);
  }

  /** id -> session -> count after {@code steps} steps. */
  static Map<String, Map<String, Long>> countsAfter(long steps) {
    Map<String, Map<String, Long>> m = new HashMap<>();
    for (long i = 0; i < steps; i++) apply(m, i);
    return m;
  }

  static void apply(Map<String, Map<String, Long>> m, long step) {
    m.computeIfAbsent(header(valueOf(step)).coValueId(), k -> new HashMap<>()).merge(session(sessionOf(step)), (long) countOf(step), Long::sum);
  }

  /** The message of {@code step}, given the counts before it. */
  static ContentMessage message(long step, Map<String, Map<String, Long>> before) {
    CoValueHeader h = header(valueOf(step));
    String s = session(sessionOf(step));
    Map<String, Long> sessions = before.get(h.coValueId());
    long after = sessions == null ? 0 : sessions.getOrDefault(s, 0L);
    List<Transaction> txs = new ArrayList<>();
    for (long i = after; i < after + countOf(step); i++) txs.add(tx(s, i));
    Map<String, SessionNewContent> m = new LinkedHashMap<>();
    m.put(s, new SessionNewContent(after, txs, Synthetic.signature(s, after + txs.size() - 1)));
    return new ContentMessage(h.coValueId(), sessions == null ? h : null, h.priority(), m, null);
  }

  /** What the disk holds, as id -> session -> count. */
  static Map<String, Map<String, Long>> onDisk(StorageApi storage) {
    Map<String, Map<String, Long>> m = new HashMap<>();
    for (int v = 0; v < VALUES; v++) {
      String id = header(v).coValueId();
      storage.loadKnownState(id).map(KnownState::sessions).ifPresent(s -> m.put(id, new HashMap<>(s)));
    }
    return m;
  }

  /** The number of whole steps the disk holds, or -1 when it matches none (a torn store). */
  static long stepsOnDisk(StorageApi storage) {
    Map<String, Map<String, Long>> disk = onDisk(storage);
    long total = disk.values().stream().flatMap(s -> s.values().stream()).mapToLong(Long::longValue).sum();
    Map<String, Map<String, Long>> sim = new HashMap<>();
    long simTotal = 0;
    for (long k = 0; simTotal <= total; k++) {
      if (simTotal == total) return sim.equals(disk) ? k : -1;
      apply(sim, k);
      simTotal += countOf(k);
    }
    return -1;
  }
}
