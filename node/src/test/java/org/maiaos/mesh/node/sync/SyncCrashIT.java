package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * {@code mesh sync} killed with {@code kill -9} at random moments while a real cojson client
 * writes, ten rounds per backend: after every restart each transaction the server had
 * acknowledged (the client's waitForSync resolved, and it recorded that in a file it fsyncs) is
 * served back to a fresh client, and the storage reopens clean (the server starts and serves).
 * Replay a run with {@code -Dtest.seed=N}.
 */
class SyncCrashIT {
  private static final int ROUNDS = 10;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void everyAcknowledgedWriteSurvivesKillNine(String storage) throws Exception {
    long seed = Long.getLong("test.seed", System.nanoTime());
    Random random = new Random(seed);
    Path data = tmp.resolve("data");
    Path acks = tmp.resolve("acks.txt");
    Files.createFile(acks);
    JsonNode created;
    try (SyncServerProcess server = SyncServerProcess.start(data, storage, 0, tmp.resolve("server-0.log"), false)) {
      created = JsSyncClient.run("create", JsSyncClient.input(server.url), tmp.resolve("create.log"));
    }
    int next = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      try (SyncServerProcess server = SyncServerProcess.start(data, storage, 0, tmp.resolve("server-" + round + ".log"), false)) {
        TreeSet<Integer> acked = readAcks(acks);
        assertServed(server.url, created, acked, "round " + round + " (seed " + seed + ")");
        next = acked.isEmpty() ? next : Math.max(next, acked.last() + 1);
        ObjectNode in = JsSyncClient.input(server.url);
        in.put("accountID", created.get("accountID").asText());
        in.put("accountSecret", created.get("accountSecret").asText());
        in.put("mapId", created.get("trustingId").asText());
        in.put("ackFile", acks.toString());
        in.put("from", next + 10_000 * round); // keys of different rounds never collide, even if a write was lost unacknowledged
        in.put("count", 100_000);
        try (ChildProcess writer = startWriter(in, tmp.resolve("writer-" + round + ".log"))) {
          assertEquals("{\"ready\":true}", writer.nextLine(JsSyncClient.SCENARIO_TIMEOUT));
          Thread.sleep(200 + random.nextInt(1500)); // a random moment while writes and syncs are in flight
          server.kill();
        }
      }
    }
    try (SyncServerProcess server = SyncServerProcess.start(data, storage, 0, tmp.resolve("server-last.log"), false)) {
      TreeSet<Integer> acked = readAcks(acks);
      assertTrue(acked.size() >= ROUNDS, "the writer got acknowledgements in most rounds: " + acked.size());
      assertServed(server.url, created, acked, "after the last round (seed " + seed + ")");
      System.out.printf("SyncCrashIT %s: %d rounds, %d acknowledged writes, all served back%n", storage, ROUNDS, acked.size());
    }
  }

  private ChildProcess startWriter(ObjectNode in, Path log) throws Exception {
    NodeScript.ensureInstalled();
    Path dir = NodeScript.interopDir();
    Process p = new ProcessBuilder(List.of("node", dir.resolve("sync-crash-writer.js").toString()))
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try (var os = p.getOutputStream()) {
      os.write(NodeScript.JSON.writeValueAsBytes(in));
    }
    return new ChildProcess("crash writer", p);
  }

  private static TreeSet<Integer> readAcks(Path acks) throws Exception {
    TreeSet<Integer> out = new TreeSet<>();
    for (String l : Files.readAllLines(acks)) if (!l.isBlank()) out.add(Integer.parseInt(l.trim()));
    return out;
  }

  private void assertServed(String url, JsonNode created, TreeSet<Integer> acked, String when) throws Exception {
    ObjectNode in = JsSyncClient.input(url);
    in.put("trustingId", created.get("trustingId").asText());
    JsonNode read = JsSyncClient.run("guest-read", in, tmp.resolve("read.log")).get("read").get("trusting");
    for (int i : acked) assertEquals("v" + i, read.path("k" + i).asText(null), when + ": acknowledged k" + i + " is missing");
  }
}
