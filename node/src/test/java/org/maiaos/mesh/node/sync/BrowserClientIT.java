package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * A real browser client: the jazz-tools 0.20.19 page of {@code interop/browser/} (bundled with
 * Vite, IndexedDB storage, credentials in localStorage) in headless Chromium, driven by
 * playwright-core through {@code interop/browser/run-browser-test.js}, against {@code mesh sync}
 * in a child JVM. One browser profile creates an account and a CoMap readable by everyone and waits
 * for the server's ack; the same profile reopened runs full storage reconciliation
 * ({@code reconcile}); a fresh profile with another account loads the CoMap by id. A second test
 * reopens against a server with empty storage, which the browser restores through reconcile.
 *
 * <p>Needs {@code /usr/bin/chromium} (Debian's chromium; {@code .ci/run} installs it) and fails,
 * rather than skips, without it. The Node packages of interop/ and interop/browser/ are installed
 * on first use when missing.
 */
class BrowserClientIT {
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  /** The script's own hard limit; this test waits a minute longer, then kills it and its browser. */
  static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);

  @TempDir Path tmp;

  @Test
  void aBrowserWritesACoMapAndASecondBrowserProfileReadsIt() throws Exception {
    Path browserDir = prepare();
    try (SyncServerProcess server = SyncServerProcess.start(tmp.resolve("data"), "hyperbee", 0, tmp.resolve("server.log"))) {
      JsonNode r = run(browserDir, tmp.resolve("browser.log"), "--url", server.url);
      assertReadBack(r);

      // The reopened profile's CoValues not in memory go out as one `reconcile` batch; the server must
      // answer every batch with reconcile-ack. It has them all, so it loads nothing.
      JsonNode rec = r.get("reconcile").get("reopen");
      assertTrue(rec.get("sent").asInt() >= 1, "the reopened browser sent reconcile: " + rec);
      assertEquals(rec.get("sent").asInt(), rec.get("acked").asInt(), "every reconcile batch acknowledged: " + rec);
      assertEquals(0, rec.get("loadsFromServer").asInt(), "nothing to load, the hashes match: " + rec);
      assertCleanLog(tmp.resolve("server.log"));
      System.out.println("BrowserClientIT: " + r);
    }
  }

  /**
   * The browser reopens against a second server with empty storage: that server answers the
   * {@code reconcile} batch with loads, the browser uploads from IndexedDB, the server acks the
   * batch, and a fresh profile reads the CoMap from the second server.
   */
  @Test
  void aReopenedBrowserRestoresItsCoValuesToAnEmptyServerThroughReconcile() throws Exception {
    Path browserDir = prepare();
    try (SyncServerProcess first = SyncServerProcess.start(tmp.resolve("data1"), "hyperbee", 0, tmp.resolve("server1.log"));
        SyncServerProcess empty = SyncServerProcess.start(tmp.resolve("data2"), "hyperbee", 0, tmp.resolve("server2.log"))) {
      JsonNode r = run(browserDir, tmp.resolve("browser.log"), "--url", first.url, "--reopen-url", empty.url);
      assertReadBack(r);

      JsonNode rec = r.get("reconcile").get("reopen");
      assertTrue(rec.get("sent").asInt() >= 1, "the reopened browser sent reconcile: " + rec);
      assertTrue(rec.get("loadsFromServer").asInt() >= rec.get("values").asInt(),
          "the empty server loads every reconciled CoValue (and maybe a dependency): " + rec);
      assertEquals(rec.get("sent").asInt(), rec.get("acked").asInt(), "every reconcile batch acknowledged: " + rec);
      assertCleanLog(tmp.resolve("server1.log"));
      assertCleanLog(tmp.resolve("server2.log"));
      System.out.println("BrowserClientIT (restore): " + r);
    }
  }

  private Path prepare() throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(CHROMIUM),
        CHROMIUM + " is missing: the browser client test needs Debian's chromium (apt-get install -y chromium)");
    Path browserDir = NodeScript.interopDir().resolve("browser");
    NodeScript.ensureInstalled();
    ensureBrowserPackages(browserDir);
    return browserDir;
  }

  private static void assertReadBack(JsonNode r) {
    assertTrue(r.path("mapId").asText().startsWith("co_z"), r.toString());
    assertEquals("written in Chromium", r.path("written").path("title").asText(), r.toString());
    assertEquals(r.get("written"), r.get("read"), "a fresh profile reads what the first wrote: " + r);
    assertEquals(r.get("written"), r.get("reopened"), "the reopened profile reads it from IndexedDB: " + r);
    JsonNode accounts = r.get("accounts");
    assertEquals(accounts.get("writer"), accounts.get("reopened"), r.toString());
    assertNotEquals(accounts.get("writer"), accounts.get("reader"), r.toString());
  }

  /** No WARN or ERROR line: nothing the browser sent was rejected or dropped. */
  private static void assertCleanLog(Path log) throws IOException {
    for (String l : Files.readString(log).split("\n")) {
      assertTrue(!l.contains(" WARN ") && !l.contains(" ERROR "), log.getFileName() + ": " + l);
    }
  }

  /** Runs the driver; returns its JSON result line, failing with its stderr tail. */
  private static JsonNode run(Path browserDir, Path log, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", browserDir.resolve("run-browser-test.js").toString(),
        "--timeout-ms", String.valueOf(SCRIPT_TIMEOUT.toMillis())));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(browserDir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    p.getOutputStream().close();
    try (ChildProcess c = new ChildProcess("run-browser-test", p)) {
      long deadline = System.nanoTime() + SCRIPT_TIMEOUT.plusSeconds(60).toNanos();
      String line;
      do {
        try {
          line = c.nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "; stderr: " + JsSyncClient.tail(log), e);
        }
      } while (!line.startsWith("{"));
      int code = c.waitFor(Duration.ofSeconds(60));
      if (code != 0) throw new AssertionError("run-browser-test exited " + code + "; stdout: " + line + "; stderr: " + JsSyncClient.tail(log));
      return NodeScript.JSON.readTree(line);
    }
  }

  /** {@code npm ci} in interop/browser/ when vite or playwright-core is missing (.ci/run installs them). */
  private static void ensureBrowserPackages(Path dir) throws IOException, InterruptedException {
    if (Files.isRegularFile(dir.resolve("node_modules/vite/package.json"))
        && Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) return;
    Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("npm ci in " + dir + " took longer than 300 s");
    }
    assertEquals(0, p.exitValue(), "npm ci in " + dir);
  }
}
