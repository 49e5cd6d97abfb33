package org.maiaos.mesh.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.TestSeeds;

/**
 * Random sequences of stores (overlaps, duplicates, gaps answered by corrections or not, several
 * sessions per message, big and small transactions, restarts) checked against a plain model: per
 * value and session, the list of transactions. Replay with {@code -Dtest.seed=N}.
 */
class StorageModelTest {
  private static final int VALUES = 4;
  private static final int SESSIONS = 5;
  private static final int OPS = 400;

  @TempDir Path tmp;

  private static StorageApi open(String backend, Path dir) {
    return backend.equals("sqlite") ? SqliteStorage.open(dir.resolve("storage.db")) : HyperbeeStorage.open(dir.resolve("bee"));
  }

  private static int size(Random r) {
    return r.nextInt(20) == 0 ? 30_000 + r.nextInt(60_000) : 10 + r.nextInt(300);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "hyperbee"})
  void randomStoresMatchAPlainModel(String backend) {
    Random r = TestSeeds.random("StorageModelTest-" + backend);
    Map<String, Map<String, List<Transaction>>> model = new HashMap<>();
    Map<String, Map<String, List<Transaction>>> source = new HashMap<>(); // the "node": everything ever made
    List<CoValueHeader> headers = new ArrayList<>();
    for (int v = 0; v < VALUES; v++) headers.add(Synthetic.header("model-" + backend + "-" + v));
    StorageApi storage = open(backend, tmp);
    try {
      for (int op = 0; op < OPS; op++) {
        if (r.nextInt(50) == 0) {
          storage.close();
          storage = open(backend, tmp);
        }
        CoValueHeader h = headers.get(r.nextInt(VALUES));
        String id = h.coValueId();
        Map<String, List<Transaction>> src = source.computeIfAbsent(id, k -> new LinkedHashMap<>());
        Map<String, SessionNewContent> msg = new LinkedHashMap<>();
        int nSessions = 1 + r.nextInt(2);
        for (int i = 0; i < nSessions; i++) {
          String s = Synthetic.session(r.nextInt(SESSIONS));
          List<Transaction> all = src.computeIfAbsent(s, k -> new ArrayList<>());
          int grow = r.nextInt(4);
          for (int g = 0; g < grow; g++) all.add(Synthetic.tx(s, all.size(), size(r)));
          if (all.isEmpty()) all.add(Synthetic.tx(s, 0, 20));
          int after = r.nextInt(all.size());
          int end = after + 1 + r.nextInt(all.size() - after);
          msg.put(s, new SessionNewContent(after, all.subList(after, end), Synthetic.signature(s, end - 1)));
        }
        boolean known = model.containsKey(id);
        boolean withHeader = !known || r.nextInt(3) == 0;
        ContentMessage m = new ContentMessage(id, withHeader ? h : null, h.priority(), msg, null);
        boolean answerCorrections = r.nextInt(4) != 0;
        StorageApi.CorrectionHandler correction = k -> {
          if (!answerCorrections) return null;
          Map<String, SessionNewContent> fill = new LinkedHashMap<>();
          src.forEach((s, txs) -> {
            long have = k.count(s);
            if (have < txs.size()) fill.put(s, new SessionNewContent(have, txs.subList((int) have, txs.size()), Synthetic.signature(s, txs.size() - 1)));
          });
          return List.of(new ContentMessage(id, k.header() ? null : h, h.priority(), fill, null));
        };
        boolean unknownNoHeader = !known && !withHeader;
        if (unknownNoHeader) continue; // covered by the conformance suite
        boolean ok = storage.store(m, correction, null);
        // the model: cojson's rules
        Map<String, List<Transaction>> mv = model.computeIfAbsent(id, k -> new LinkedHashMap<>());
        boolean gap = false;
        for (Map.Entry<String, SessionNewContent> e : msg.entrySet()) {
          List<Transaction> have = mv.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
          SessionNewContent s = e.getValue();
          if (have.size() < s.after()) {
            gap = true;
            if (have.isEmpty()) mv.remove(e.getKey());
            continue;
          }
          List<Transaction> nt = s.newTransactions();
          for (int i = (int) (have.size() - s.after()); i < nt.size(); i++) have.add(nt.get(i));
        }
        if (gap) {
          if (answerCorrections) {
            src.forEach((s, txs) -> {
              List<Transaction> have = mv.computeIfAbsent(s, k -> new ArrayList<>());
              for (int i = have.size(); i < txs.size(); i++) have.add(txs.get(i));
            });
          }
          assertEquals(answerCorrections, ok, "store result at op " + op);
        } else {
          assertTrue(ok, "op " + op);
        }
        mv.values().removeIf(List::isEmpty);
        if (op % 25 == 0 || op == OPS - 1) check(storage, model);
      }
    } finally {
      storage.close();
    }
  }

  private static void check(StorageApi storage, Map<String, Map<String, List<Transaction>>> model) {
    for (Map.Entry<String, Map<String, List<Transaction>>> v : model.entrySet()) {
      Map<String, Long> counts = new HashMap<>();
      v.getValue().forEach((s, txs) -> counts.put(s, (long) txs.size()));
      KnownState k = storage.loadKnownState(v.getKey()).orElseThrow();
      assertEquals(counts, new HashMap<>(k.sessions()), v.getKey());
      Map<String, List<String>> loaded = new HashMap<>();
      storage.load(v.getKey(), m -> {
        if (!m.id().equals(v.getKey())) return;
        m.sessions().forEach((s, c) -> {
          List<String> l = loaded.computeIfAbsent(s, x -> new ArrayList<>());
          assertEquals(l.size(), c.after(), "pieces are contiguous");
          assertEquals(Synthetic.signature(s, c.end() - 1), c.lastSignature(), "a piece ends at its own signature");
          c.newTransactions().forEach(t -> l.add(t.raw()));
        });
      }, null);
      Map<String, List<String>> expected = new HashMap<>();
      v.getValue().forEach((s, txs) -> expected.put(s, txs.stream().map(Transaction::raw).toList()));
      assertEquals(expected, loaded);
    }
  }
}
