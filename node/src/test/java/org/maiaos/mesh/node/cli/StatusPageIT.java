package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * The status page ({@code GET /}) of {@code mesh node run} in a real browser: two region nodes as
 * child processes on a private DHT on 127.0.0.1 find each other; headless Chromium, driven by
 * playwright-core through {@code interop/browser/status-page.js}, loads node us's page and reports
 * what is on screen: region us, a row for eu marked connected whose key prefixes (and the full keys
 * in their titles) are those {@code mesh node info} reads from eu's directory. A full-page
 * screenshot is kept in {@code target/status-page.png}. A WebSocket on {@code /} is still a sync
 * connection.
 *
 * <p>Needs {@code /usr/bin/chromium} and playwright-core in {@code interop/browser/node_modules}
 * ({@code .ci/run} installs both) and fails, rather than skips, without them. Every child and wait
 * is bounded.
 */
class StatusPageIT {
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration PEERS = Duration.ofSeconds(30);
  /** The script's own hard limit; the test kills it (and its browser) 15 s later. */
  private static final Duration SCRIPT = Duration.ofSeconds(40);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "5a".repeat(32);
  private static final Path SCREENSHOT = Path.of("target", "status-page.png").toAbsolutePath();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path tmp;

  @Test
  void aBrowserShowsTheRegionAndItsConnectedPeer() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    assertTrue(Files.isExecutable(chromium), chromium + " is missing: this test needs Debian's chromium (apt-get install -y chromium)");
    Path browserDir = NodeScript.interopDir().resolve("browser");
    assertTrue(Files.isRegularFile(browserDir.resolve("node_modules/playwright-core/package.json")),
        "playwright-core is missing: run npm ci in " + browserDir + " (.ci/run does)");

    try (MeshProcess boot = MeshProcess.start(tmp.resolve("boot.err"), "dht", "bootstrap", "--listen", "127.0.0.1:0")) {
      String bootstrap = boot.expect("listening ", READY);
      try (MeshProcess us = node("us", bootstrap); MeshProcess eu = node("eu", bootstrap)) {
        String usAddress = us.expect("listening ws://", READY);
        String euAddress = eu.expect("listening ws://", READY);
        assertEquals(TOPIC, us.expect("joined ", READY));
        assertEquals(TOPIC, eu.expect("joined ", READY));
        waitForConnectedPeer(euAddress, "us");
        waitForConnectedPeer(usAddress, "eu");

        HttpResponse<String> plain = get("http://" + usAddress + "/");
        assertEquals(200, plain.statusCode());
        assertEquals("text/html; charset=utf-8", plain.headers().firstValue("content-type").orElse(null));

        MeshProcess.Result info = MeshProcess.run(tmp.resolve("info.err"), Duration.ofSeconds(30), "node", "info", "--dir",
            tmp.resolve("eu").toString(), "--json");
        assertEquals(0, info.code(), info.err());
        JsonNode euInfo = JSON.readTree(info.out().get(0));
        String euNodeKey = euInfo.get("publicKey").asText();
        String euBeeKey = euInfo.get("beeKey").asText();

        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        JsonNode seen = browse(browserDir, "http://" + usAddress + "/");
        System.out.println("StatusPageIT: " + seen);

        assertEquals(200, seen.get("status").asInt(), seen.toString());
        assertEquals("text/html; charset=utf-8", seen.get("contentType").asText(), seen.toString());
        assertTrue(seen.get("title").asText().startsWith("us "), seen.toString());
        assertEquals("us", seen.get("heading").asText(), seen.toString());
        assertEquals("0", seen.get("facts").get("Sync clients").asText(), seen.toString());
        assertEquals(List.of("Region", "Status", "Node key", "Bee key", "Bee length", "Downloaded", "Lag"),
            JSON.convertValue(seen.get("columns"), List.class), seen.toString());

        JsonNode row = null;
        int at = -1;
        for (int i = 0; i < seen.get("peers").size(); i++) {
          if (seen.get("peers").get(i).get(0).asText().equals("eu")) {
            row = seen.get("peers").get(i);
            at = i;
          }
        }
        assertTrue(row != null, "no row for eu: " + seen);
        assertTrue(row.get(1).asText().endsWith(" connected") && !row.get(1).asText().contains("not"), row.toString());
        assertShortKey(euNodeKey, row.get(2).asText());
        assertShortKey(euBeeKey, row.get(3).asText());
        assertEquals(euNodeKey, seen.get("peerKeys").get(at).get(0).asText(), seen.toString());
        assertEquals(euBeeKey, seen.get("peerKeys").get(at).get(1).asText(), seen.toString());
        assertTrue(seen.get("peerSummary").asText().contains("1 of 1 connected"), seen.toString());
        assertTrue(Files.size(SCREENSHOT) > 1000, SCREENSHOT + " was not written");

        // the page took "/" for plain GETs only: a sync client's WebSocket on "/" is still upgraded
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://" + usAddress + "/"), new WebSocket.Listener() { })
            .get(10, TimeUnit.SECONDS);
        ws.abort();
      }
    }
  }

  /** What the page shows of a key: a prefix of it, at least 8 hex characters, then an ellipsis. */
  private static void assertShortKey(String full, String shown) {
    assertTrue(shown.endsWith("\u2026"), shown);
    String prefix = shown.substring(0, shown.length() - 1);
    assertTrue(prefix.length() >= 8 && full.startsWith(prefix), shown + " is not a prefix of " + full);
  }

  private MeshProcess node(String region, String bootstrap) throws Exception {
    return MeshProcess.start(tmp.resolve(region + ".err"), "node", "run", "--dir", tmp.resolve(region).toString(),
        "--region", region, "--listen", "127.0.0.1:0", "--topic", TOPIC, "--bootstrap", bootstrap);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls {@code GET /status} until {@code region} is listed connected, for at most {@link #PEERS}. */
  private void waitForConnectedPeer(String address, String region) throws Exception {
    long deadline = System.nanoTime() + PEERS.toNanos();
    while (true) {
      JsonNode s = JSON.readTree(get("http://" + address + "/status").body());
      for (JsonNode p : s.get("peers")) {
        if (p.get("region").asText().equals(region) && p.get("connected").asBoolean()) return;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("no connected peer " + region + " within " + PEERS + ": " + s);
      Thread.sleep(100);
    }
  }

  /** Runs status-page.js on {@code url}; returns its JSON line, failing with its stderr. */
  private JsonNode browse(Path browserDir, String url) throws Exception {
    Path out = tmp.resolve("browser.out");
    Path err = tmp.resolve("browser.err");
    Process p = new ProcessBuilder("node", browserDir.resolve("status-page.js").toString(), "--url", url,
        "--screenshot", SCREENSHOT.toString(), "--timeout-ms", String.valueOf(SCRIPT.toMillis()))
        .directory(browserDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(SCRIPT.plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("status-page.js still ran after " + SCRIPT.plusSeconds(15) + "; stderr: " + read(err));
      }
      String stdout = read(out).strip();
      if (p.exitValue() != 0 || !stdout.startsWith("{")) {
        throw new AssertionError("status-page.js exited " + p.exitValue() + "; stdout: " + stdout + "; stderr: " + read(err));
      }
      return JSON.readTree(stdout);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(Path f) throws java.io.IOException {
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }
}
