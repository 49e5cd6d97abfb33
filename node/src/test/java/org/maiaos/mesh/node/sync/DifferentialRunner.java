package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;
import org.maiaos.mesh.node.sync.client.SyncClient;
import org.maiaos.mesh.node.sync.client.SyncFrames;

/**
 * Runs one differential case: the same script against a fresh {@code mesh sync} (one per Java
 * backend, one after the other) and, at the same time, a fresh JS reference server, then
 * compares each Java transcript with the JS one. The side-by-side
 * report goes to {@code target/sync-differential/<case>.txt} (and into the failure message).
 */
final class DifferentialRunner {
  /** A case: frames sent and replies recorded through {@code t}; {@code s} is the server it runs on. */
  interface Script {
    void run(SyncTarget s, Transcript t) throws Exception;
  }

  private final Path tmp;
  private final String caseName;
  private final Map<String, String> names = new LinkedHashMap<>();

  DifferentialRunner(Path tmp, String caseName) {
    this.tmp = tmp;
    this.caseName = caseName;
  }

  /** Shows {@code id} as {@code <alias>} in the report. */
  DifferentialRunner name(String id, String alias) {
    names.put(id, alias);
    return this;
  }

  /** Names the writer's account, agent and sessions. */
  DifferentialRunner writer(CojsonWriter w, String prefix) {
    name(w.agentSession(), prefix + "agentSession");
    name(w.session(), prefix + "session");
    name(w.accountId(), prefix + "account");
    name(w.agent().id(), prefix + "agent");
    return this;
  }

  DifferentialRunner value(CoValueDraft v, String alias) {
    return name(v.id(), alias);
  }

  /** Runs {@code script} on java/{@code storage} and on the JS reference; fails on any difference or script failure. */
  void run(String storage, Script script) throws IOException, InterruptedException {
    runOn(List.of(storage), script);
  }

  /**
   * Runs {@code script} on the JS reference once and on java with each of {@code storages}, each
   * compared with the JS transcript; fails on any difference or script failure, with every report.
   */
  void runOn(List<String> storages, Script script) throws IOException, InterruptedException {
    Path out = Path.of("target", "sync-differential");
    Files.createDirectories(out);
    // the JS run goes beside the Java runs: a case is mostly quiet windows, not work
    java.util.concurrent.FutureTask<Transcript> jsRun = new java.util.concurrent.FutureTask<>(
        () -> runOn(() -> SyncTarget.js(tmp.resolve(caseName + "-js")), script, out.resolve(caseName + "-js")));
    Thread jsThread = new Thread(jsRun, "differential-js-" + caseName);
    jsThread.setDaemon(true);
    jsThread.start();
    List<Transcript> javas = new java.util.ArrayList<>();
    for (String storage : storages) {
      javas.add(runOn(() -> SyncTarget.java(storage, tmp.resolve(caseName + "-java-" + storage)), script,
          out.resolve(caseName + "-" + storage + "-java")));
    }
    Transcript js;
    try {
      js = jsRun.get(JS_RUN_LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      jsThread.interrupt();
      throw new AssertionError("the JS run of " + caseName + " did not end: " + e, e);
    }
    StringBuilder failures = new StringBuilder();
    for (int k = 0; k < storages.size(); k++) {
      String storage = storages.get(k);
      Transcript java = javas.get(k);
      String title = caseName + " (java/" + storage + " vs js/sqlite)";
      String report = TranscriptDiff.report(title, java, js, TranscriptDiff.aliases(names));
      Files.writeString(out.resolve(caseName + "-" + storage + ".txt"), report);
      List<String> diffs = TranscriptDiff.differences(java, js);
      boolean failed = java.steps.stream().anyMatch(st -> st.name().equals("script failed"))
          || js.steps.stream().anyMatch(st -> st.name().equals("script failed"));
      if (!diffs.isEmpty() || failed) failures.append(report).append('\n');
    }
    assertTrue(failures.length() == 0, failures.toString());
  }

  /** How long the JS run may take beyond the Java runs (its own waits are bounded well below). */
  private static final java.time.Duration JS_RUN_LIMIT = java.time.Duration.ofMinutes(3);

  /** Both Java backends against one run of the JS reference. */
  void runOnBothBackends(Script script) throws IOException, InterruptedException {
    runOn(List.of("hyperbee", "sqlite"), script);
  }

  private interface Starter {
    SyncTarget start() throws IOException, InterruptedException;
  }

  /** Runs {@code script} on a fresh server; its logs are kept as {@code logPrefix-N.log}. */
  private static Transcript runOn(Starter starter, Script script, Path logPrefix) throws IOException, InterruptedException {
    SyncTarget s = starter.start();
    Transcript t = new Transcript(s.name);
    try {
      script.run(s, t);
    } catch (Exception | AssertionError e) {
      t.note("script failed", Transcript.Compare.OWN, e.toString());
    } finally {
      s.close();
      List<Path> logs = s.logs();
      for (int i = 0; i < logs.size(); i++) {
        if (Files.exists(logs.get(i))) {
          Files.copy(logs.get(i), Path.of(logPrefix + "-" + (i + 1) + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return t;
  }

  // ---- steps most cases share ----

  /** Each of {@code ids} loaded ({@code header:false}) through a fresh connection of its own. */
  static void reloadEach(String label, SyncTarget s, Transcript t, String... ids) {
    for (String id : ids) {
      try (SyncClient c = s.connect("reload")) {
        t.exchange(label + ": load " + id + " on a fresh connection", c, Transcript.Compare.SEQUENCE, SyncFrames.contentOrKnown(id),
            SyncFrames.load(id));
      }
    }
  }

  /**
   * What the server serves of {@code ids} now, and again after a restart: from memory and from
   * storage, so content that was not verified shows if either kept it.
   */
  static void verifyStored(SyncTarget s, Transcript t, String... ids) throws IOException, InterruptedException {
    reloadEach("reload", s, t, ids);
    s.restart();
    reloadEach("after restart", s, t, ids);
  }
}
