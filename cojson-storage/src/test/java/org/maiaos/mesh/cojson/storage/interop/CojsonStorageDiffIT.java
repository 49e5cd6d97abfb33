package org.maiaos.mesh.cojson.storage.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * The storage semantics judged by JS cojson: seeded random sequences of content messages (new
 * values, appends, duplicates and overlaps, gaps with every kind of correction answer, content
 * without header, big transactions that make storage cut loads, several sessions, dependencies,
 * deletes and erasure) go through cojson 0.20.19's own SQLite storage ({@code
 * interop/cojson-storage-diff.js}) and through ours on both backends. Every store's result, the
 * known states the correction callback is given, and at checkpoints every value's known states
 * (on disk, cached before and after the load) and loaded pieces (header, priority,
 * expectContentUntil, per session after/count/lastSignature/transaction digest, in order) must be
 * equal. Replay with {@code -Dtest.seed=N}.
 */
class CojsonStorageDiffIT {
  private static final int SEQUENCES = 200;

  private static long seed;
  private static List<List<DiffSequences.Op>> sequences;
  private static JsonNode judged;

  @TempDir Path tmp;
  private int erasureRuns;

  @BeforeAll
  static void runCojson() throws IOException {
    seed = TestSeeds.seed("CojsonStorageDiffIT");
    sequences = new ArrayList<>(DirectedSequences.all());
    sequences.addAll(DiffSequences.generate(new Random(seed), SEQUENCES));
    StringBuilder sb = new StringBuilder("{\"sequences\":[");
    for (int i = 0; i < sequences.size(); i++) {
      sb.append(i > 0 ? "," : "").append('[');
      List<DiffSequences.Op> ops = sequences.get(i);
      for (int j = 0; j < ops.size(); j++) sb.append(j > 0 ? "," : "").append(ops.get(j).toJson());
      sb.append(']');
    }
    sb.append("]}");
    judged = NodeScript.call("cojson-storage-diff.js", NodeScript.JSON.readTree(sb.toString())).get("results");
    assertEquals(sequences.size(), judged.size());
  }

  /** The fixed sequences came out as they are meant to in cojson (the backend tests check ours equals it). */
  @Test
  void cojsonSendsAGroupsLaterPiecesAfterTheFirstPieceOfTheValueThatNeedsIt() {
    JsonNode seq = judged.get(0);
    JsonNode pieces = seq.get(seq.size() - 1).get("values").get(0).get("pieces");
    List<String> order = new ArrayList<>();
    pieces.forEach(p -> order.add(p.get("id").asText().equals(DirectedSequences.GROUP.coValueId()) ? "group" : "map"));
    assertEquals(List.of("group", "map", "group", "group", "map"), order);
  }

  @Test
  void anEmptyCorrectionAnswerIsSuccessInCojson() {
    JsonNode seq = judged.get(1);
    for (int op : new int[] {1, 2}) {
      assertTrue(seq.get(op).get("result").asBoolean(), "op " + op + ": " + seq.get(op));
      assertTrue(seq.get(op).get("done").asBoolean(), "op " + op + ": " + seq.get(op));
      assertEquals(1, seq.get(op).get("corrections").size());
    }
    assertTrue(seq.get(3).get("values").get(1).get("disk").isNull(), "nothing stored for the unknown value");
  }

  @Test
  void sqliteBackendAgreesWithCojson() {
    compare("sqlite", false, dir -> SqliteStorage.open(createDirectories(dir).resolve("storage.db"), false, System::currentTimeMillis));
  }

  @Test
  void hyperbeeBackendAgreesWithCojson() {
    compare("hyperbee", true, dir -> HyperbeeStorage.open(dir.resolve("bee")));
  }

  /**
   * The one difference kept on purpose (docs/cojson-storage.md): after erasure cojson keeps the
   * erased sessions' counts in its cached known state (so {@code getKnownState}, a load's
   * {@code expectContentUntil} and the state a correction is given overstate what it holds) until
   * the value is unmounted; ours drops the cached state when it erases. What is on disk, and what
   * loads emit, are the same.
   */
  @Test
  void afterErasureCojsonKeepsTheErasedCountsInItsCachedKnownState() {
    String a = DirectedSequences.SESSION;
    String d = DirectedSequences.DELETE_SESSION;
    List<DiffSequences.Op> ops = DirectedSequences.erasure();
    StringBuilder sb = new StringBuilder("{\"sequences\":[[");
    for (int j = 0; j < ops.size(); j++) sb.append(j > 0 ? "," : "").append(ops.get(j).toJson());
    JsonNode js;
    try {
      js = NodeScript.call("cojson-storage-diff.js", NodeScript.JSON.readTree(sb.append("]]}").toString())).get("results").get(0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String stale = "{\"header\":true,\"sessions\":{\"" + a + "\":3,\"" + d + "\":1}}";
    String onDisk = "{\"header\":true,\"sessions\":{\"" + d + "\":1}}";
    for (Function<Path, StorageApi> open : List.<Function<Path, StorageApi>>of(
        dir -> SqliteStorage.open(createDirectories(dir).resolve("storage.db"), false, System::currentTimeMillis),
        dir -> HyperbeeStorage.open(dir.resolve("bee")))) {
      DiffRunner runner = new DiffRunner();
      List<JsonNode> ours = new ArrayList<>();
      try (StorageApi storage = open.apply(tmp.resolve("erase-" + erasureRuns++))) {
        for (DiffSequences.Op op : ops) ours.add(DiffRunner.normalise(runner.apply(storage, op)));
      }
      JsonNode jsCheck = DiffRunner.normalise(js.get(4).get("values").get(0));
      JsonNode ourCheck = ours.get(4).get("values").get(0);
      assertEquals(jsCheck.get("disk"), ourCheck.get("disk"));
      assertEquals(jsCheck.get("pieces"), ourCheck.get("pieces"));
      assertEquals(onDisk, ourCheck.get("disk").toString());
      // cojson: the erased count of session a is still in the cached state, before and after a load
      assertEquals(stale, jsCheck.get("cached").toString());
      assertEquals(stale, jsCheck.get("cachedAfter").toString());
      assertEquals("{\"header\":false,\"sessions\":{}}", ourCheck.get("cached").toString());
      assertEquals(onDisk, ourCheck.get("cachedAfter").toString());
      // appending to the erased session: both ask for a correction, cojson with the stale count
      assertEquals(false, js.get(5).get("result").asBoolean());
      assertEquals(false, ours.get(5).get("result").asBoolean());
      assertEquals(stale, js.get(5).get("corrections").get(0).toString());
      assertEquals(onDisk, ours.get(5).get("corrections").get(0).toString());
      assertEquals(DiffRunner.normalise(js.get(6)).get("values").get(0).get("disk"), ours.get(6).get("values").get(0).get("disk"));
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return java.nio.file.Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * @param sessionOrderFree compare the later pieces of a value up to the order of its sessions
   *     (each session's own pieces stay in order): the Hyperbee backend reads sessions in session
   *     ID order, cojson's SQLite in the order they were first stored (docs/cojson-storage.md)
   */
  private void compare(String backend, boolean sessionOrderFree, Function<Path, StorageApi> open) {
    DiffRunner runner = new DiffRunner();
    int ops = 0;
    int pieces = 0;
    List<String> diffs = new ArrayList<>();
    for (int i = 0; i < sequences.size(); i++) {
      List<DiffSequences.Op> seq = sequences.get(i);
      Path dir = tmp.resolve(backend + "-" + i);
      StorageApi storage = open.apply(dir);
      try {
        for (int j = 0; j < seq.size(); j++) {
          ObjectNode ours;
          if (seq.get(j).kind().equals("reopen")) {
            storage.close();
            storage = open.apply(dir);
            ours = NodeScript.JSON.createObjectNode();
          } else {
            ours = runner.apply(storage, seq.get(j));
          }
          JsonNode js = DiffRunner.normalise(judged.get(i).get(j));
          JsonNode mine = DiffRunner.normalise(ours);
          if (sessionOrderFree) {
            js = DiffRunner.laterPiecesBySession(js);
            mine = DiffRunner.laterPiecesBySession(mine);
          }
          ops++;
          for (JsonNode v : ours.path("values")) pieces += v.get("pieces").size();
          if (!mine.equals(js)) {
            diffs.add("sequence " + i + " op " + j + " (" + seq.get(j) + ")\n  cojson: " + js + "\n  ours:   " + ours);
            break; // the rest of this sequence follows from the first difference
          }
        }
      } finally {
        storage.close();
      }
    }
    System.out.printf("CojsonStorageDiffIT %s: %d sequences, %d operations, %d pieces, %d multi-piece loads, %d corrections, "
        + "%d UNKNOWN_COVALUE throws (cojson: false)%n", backend, sequences.size(), ops, pieces, runner.multiPieceLoads,
        runner.correctionsAsked, runner.unknownCoValueThrows);
    assertTrue(diffs.isEmpty(), "-Dtest.seed=" + seed + ": " + diffs.size() + " sequences differ from cojson; first ones:\n"
        + String.join("\n", diffs.subList(0, Math.min(8, diffs.size()))));
    // the sequences reached what they are for
    assertTrue(runner.multiPieceLoads >= 10, "multi-piece loads: " + runner.multiPieceLoads);
    assertTrue(runner.correctionsAsked >= 50, "corrections: " + runner.correctionsAsked);
    assertTrue(runner.unknownCoValueThrows >= 5, "stores of unknown values without header: " + runner.unknownCoValueThrows);
  }
}
