package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.node.sync.client.SyncClient;

/**
 * Unmodified cojson 0.20.19 and jazz-tools clients ({@code interop/sync-client.js}) against
 * {@code mesh sync} in a child JVM, a fresh server process per test, on both storage backends.
 */
class SyncServerInteropIT {
  @TempDir Path tmp;

  private Path log(String name) {
    return tmp.resolve(name + ".log");
  }

  @Test
  void everyConnectionIsPingedAsItOpensThenEveryPingInterval() throws Exception {
    try (SyncServerProcess server = SyncServerProcess.start(tmp.resolve("data"), "hyperbee", 0, log("server"));
        SyncClient early = SyncClient.connect("early", server.url)) {
      Thread.sleep(700); // the second connection joins in the middle of a round
      try (SyncClient late = SyncClient.connect("late", server.url)) {
        Thread.sleep(4_000);
        for (SyncClient c : List.of(early, late)) {
          List<JsonNode> pings = c.pings();
          assertTrue(pings.size() >= 3, "a ping at once, then one per 1.5 s: " + pings);
          for (int i = 0; i < pings.size(); i++) {
            JsonNode p = pings.get(i);
            assertEquals("ping", p.get("type").asText(), p.toString());
            assertTrue(p.get("time").isNumber() && p.get("dc").isTextual(), p.toString());
            if (i == 0) continue;
            long gap = p.get("time").asLong() - pings.get(i - 1).get("time").asLong();
            assertTrue(gap <= 1_500 + 250, "no gap over the interval: " + pings);
            if (i > 1) assertTrue(gap >= 1_500 - 250, "one ping per interval once in the round: " + pings);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aFreshSessionAndAGuestReadWhatAnAccountCreated(String storage) throws Exception {
    try (SyncServerProcess server = SyncServerProcess.start(tmp.resolve("data"), storage, 0, log("server"))) {
      JsonNode created = JsSyncClient.run("create", JsSyncClient.input(server.url), log("create"));
      for (String f : new String[] {"accountID", "groupId", "mapId", "listId", "trustingId"}) {
        assertTrue(created.get(f).asText().startsWith("co_z"), f + ": " + created);
      }

      ObjectNode same = created.deepCopy();
      same.setAll(JsSyncClient.input(server.url));
      ObjectNode write = same.putObject("write");
      write.put("key", "second");
      write.put("value", "written by a second session");
      JsonNode read = JsSyncClient.run("read-same-account", same, log("same"));
      assertEquals(created.get("expected"), read.get("read"));

      ObjectNode guest = created.deepCopy();
      guest.setAll(JsSyncClient.input(server.url));
      ((ObjectNode) guest.get("expected").get("map")).put("second", "written by a second session");
      JsonNode guestRead = JsSyncClient.run("guest-read", guest, log("guest"));
      assertEquals(guest.get("expected"), guestRead.get("read"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aSubscribedGuestSeesAWritePushedFromAnotherConnection(String storage) throws Exception {
    try (SyncServerProcess server = SyncServerProcess.start(tmp.resolve("data"), storage, 0, log("server"))) {
      JsonNode created = JsSyncClient.run("create", JsSyncClient.input(server.url), log("create"));
      ObjectNode sub = JsSyncClient.input(server.url);
      sub.put("mapId", created.get("trustingId").asText());
      sub.put("key", "live");
      sub.put("expectValue", "pushed");
      try (ChildProcess subscriber = JsSyncClient.start("subscribe", sub, log("subscribe"))) {
        assertEquals("{\"subscribed\":true}", subscriber.nextLine(JsSyncClient.SCENARIO_TIMEOUT));
        ObjectNode w = JsSyncClient.input(server.url);
        w.put("accountID", created.get("accountID").asText());
        w.put("accountSecret", created.get("accountSecret").asText());
        w.put("mapId", created.get("trustingId").asText());
        w.put("key", "live");
        w.put("value", "pushed");
        JsSyncClient.run("write", w, log("write"));
        JsonNode seen = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
            .readTree(subscriber.nextLine(JsSyncClient.SCENARIO_TIMEOUT));
        assertEquals("pushed", seen.get("value").asText(), seen.toString());
        assertEquals(0, subscriber.waitFor(Duration.ofSeconds(30)));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aBigValueSurvivesARestartAndLoadsInPieces(String storage) throws Exception {
    Path data = tmp.resolve("data");
    JsonNode written;
    int port;
    try (SyncServerProcess server = SyncServerProcess.start(data, storage, 0, log("server"))) {
      ObjectNode in = JsSyncClient.input(server.url);
      in.put("bytes", 540_000);
      written = JsSyncClient.run("big-write", in, log("big-write"));
      port = server.port();
      assertEquals(0, server.terminate(), "SIGTERM exits 0");
    }
    try (SyncServerProcess server = SyncServerProcess.start(data, storage, 0, log("server2"))) {
      ObjectNode in = written.deepCopy();
      in.setAll(JsSyncClient.input(server.url));
      JsonNode read = JsSyncClient.run("big-read", in, log("big-read"));
      assertTrue(read.get("sha256ok").asBoolean(), read.toString());
      assertTrue(read.get("pieces").asInt() >= 2, "a 540 KB value is streamed in several pieces: " + read);
    }
    assertTrue(port > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aJazzToolsWorkerCreatesWritesAndReads(String storage) throws Exception {
    try (SyncServerProcess server = SyncServerProcess.start(tmp.resolve("data"), storage, 0, log("server"))) {
      JsonNode r = JsSyncClient.run("worker", JsSyncClient.input(server.url), log("worker"));
      assertEquals(r.get("wrote"), r.get("read"), r.toString());
    }
  }
}
