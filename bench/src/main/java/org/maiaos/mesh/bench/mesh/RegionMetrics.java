package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What an agent reads from its region node over HTTP: the {@code RegionReads} counters of {@code
 * GET /metrics} ({@code mesh_region_read_round_trips_total}, {@code mesh_region_reads_total}) and
 * the peers of {@code GET /status}.
 */
final class RegionMetrics {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** {round trips, region reads} so far; zeros when {@code url} is null (a server with no such counters). */
  long[] reads(String url) throws Exception {
    if (url == null) return new long[2];
    String text = get(url);
    return new long[] {counter(text, "mesh_region_read_round_trips_total"), counter(text, "mesh_region_reads_total")};
  }

  private static long counter(String text, String name) {
    for (String l : text.split("\n")) {
      if (l.startsWith(name + " ")) return Math.round(Double.parseDouble(l.substring(name.length() + 1).trim()));
    }
    throw new IllegalStateException("no " + name + " in /metrics");
  }

  /** Polls {@code /status} until every region in {@code peers} shows as connected. */
  void waitConnected(String statusUrl, List<String> peers, long timeoutMs, ObjectNode r) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    long t0 = System.nanoTime();
    while (true) {
      JsonNode s = Conn.JSON.readTree(get(statusUrl));
      if (peers.stream().allMatch(p -> connected(s, p))) {
        r.put("waitedMs", (System.nanoTime() - t0) / 1_000_000);
        return;
      }
      if (System.nanoTime() - deadline > 0) throw new IllegalStateException("not connected to all of " + peers + " within " + timeoutMs + " ms: " + s);
      Thread.sleep(200);
    }
  }

  static boolean connected(JsonNode status, String region) {
    for (JsonNode p : status.path("peers")) {
      if (p.path("region").asText().equals(region) && p.path("connected").asBoolean()) return true;
    }
    return false;
  }

  String get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("GET " + url + ": " + r.statusCode());
    return r.body();
  }
}
