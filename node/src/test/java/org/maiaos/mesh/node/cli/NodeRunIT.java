package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mesh node run} as child processes on a private DHT on 127.0.0.1: two region nodes join
 * one topic, find each other over the mesh channel ({@code GET /status} lists the other region, its
 * node key and bee key, connected; {@code GET /metrics} shows it connected), {@code GET /health}
 * answers, {@code mesh node info} reads the
 * same keys from the directory, a second run keeps them, and a directory cannot change region.
 * Every child and wait is bounded.
 */
class NodeRunIT {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "ab".repeat(32);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path tmp;

  private String get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url);
    return r.body();
  }

  private MeshProcess node(String region, String bootstrap) throws Exception {
    return MeshProcess.start(tmp.resolve(region + ".err"), "node", "run", "--dir", tmp.resolve(region).toString(),
        "--region", region, "--listen", "127.0.0.1:0", "--topic", TOPIC, "--bootstrap", bootstrap);
  }

  private JsonNode waitForPeer(String statusUrl, String region) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      JsonNode s = JSON.readTree(get(statusUrl));
      for (JsonNode p : s.get("peers")) {
        if (p.get("region").asText().equals(region) && p.get("connected").asBoolean()) return s;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("no connected peer " + region + " in " + s);
      Thread.sleep(100);
    }
  }

  @Test
  void twoRegionNodesFindEachOtherOverTheMeshChannel() throws Exception {
    try (MeshProcess boot = MeshProcess.start(tmp.resolve("boot.err"), "dht", "bootstrap", "--listen", "127.0.0.1:0")) {
      String bootstrap = boot.expect("listening ", READY);
      String usUrl;
      String euUrl;
      try (MeshProcess us = node("us", bootstrap); MeshProcess eu = node("eu", bootstrap)) {
        usUrl = us.expect("listening ws://", READY);
        euUrl = eu.expect("listening ws://", READY);
        assertEquals(TOPIC, us.expect("joined ", READY));
        assertEquals(TOPIC, eu.expect("joined ", READY));
        assertEquals("ok", get("http://" + usUrl + "/health"));

        JsonNode usStatus = waitForPeer("http://" + usUrl + "/status", "eu");
        JsonNode euStatus = waitForPeer("http://" + euUrl + "/status", "us");
        assertEquals("us", usStatus.get("region").asText());
        JsonNode euSeenFromUs = usStatus.get("peers").get(0);
        assertEquals(euStatus.get("publicKey").asText(), euSeenFromUs.get("publicKey").asText());
        assertEquals(euStatus.get("beeKey").asText(), euSeenFromUs.get("beeKey").asText());
        assertNotEquals(usStatus.get("beeKey").asText(), euStatus.get("beeKey").asText());
        assertEquals(0, usStatus.get("clients").asInt());
        String metrics = get("http://" + usUrl + "/metrics");
        assertTrue(metrics.contains("mesh_peer_connected{region=\"eu\"} 1.0"), metrics);
        assertTrue(metrics.contains("mesh_bee_length "), metrics);
        assertTrue(metrics.contains("# TYPE mesh_sync_clients gauge"), metrics);

        // still running: info reads the directory's keys and agrees with what the node serves
        MeshProcess.Result info = MeshProcess.run(tmp.resolve("info.err"), RUN, "node", "info", "--dir",
            tmp.resolve("us").toString(), "--json");
        assertEquals(0, info.code(), info.err());
        JsonNode i = JSON.readTree(info.out().get(0));
        assertEquals("us", i.get("region").asText());
        assertEquals(usStatus.get("publicKey").asText(), i.get("publicKey").asText());
        assertEquals(usStatus.get("beeKey").asText(), i.get("beeKey").asText());
        assertEquals(0, us.terminate(Duration.ofSeconds(30)), "SIGTERM leaves the mesh, drains and exits 0");
      }
      // a directory keeps its region
      MeshProcess.Result wrong = MeshProcess.run(tmp.resolve("wrong.err"), RUN, "node", "run", "--dir",
          tmp.resolve("us").toString(), "--region", "ap", "--listen", "127.0.0.1:0", "--topic", TOPIC, "--bootstrap", bootstrap);
      assertNotEquals(0, wrong.code());
      assertTrue(wrong.err().contains("BAD_ARGUMENT") && wrong.err().contains("region 'us'"), wrong.err());
    }
  }
}
