package org.maiaos.mesh.cojson.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.conformance.Loaded;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.storage.ChildJvm;

/**
 * kill -9 a child JVM in the middle of its stores, many times over one directory: after each
 * reopen the disk holds exactly the state after a whole number of stores, at least every
 * acknowledged one, and every value loads back complete with pieces ending at stored signatures.
 */
class StorageCrashIT {
  private static final int ROUNDS = 15;
  private static final String EOF = "\u0000eof";

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "hyperbee"})
  void killedWriterLeavesWholeStoresAndLosesNoAcknowledgedOne(String backend) throws Exception {
    Random r = TestSeeds.random("StorageCrashIT-" + backend);
    Path dir = tmp.resolve(backend);
    Files.createDirectories(dir);
    long durable = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path err = tmp.resolve("stderr-" + round);
      Process child = ChildJvm.start(CrashWriterMain.class, "256m", err, backend, dir.toString());
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread pump = new Thread(() -> pump(child, lines), "cojson-storage-crash-" + round);
      pump.start();
      long acked = durable;
      int wait = 1 + r.nextInt(40);
      for (int seen = 0; seen < wait; seen++) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line, "no output from the child in 60 s; stderr:\n" + Files.readString(err));
        assertTrue(!line.equals(EOF), "child exited by itself; stderr:\n" + Files.readString(err));
        acked = Math.max(acked, parse(line));
      }
      LockSupport.parkNanos(r.nextInt(5_000_000)); // the kill lands anywhere in a later store
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      pump.join(TimeUnit.SECONDS.toMillis(30));
      for (String line; (line = lines.poll()) != null;) if (!line.equals(EOF)) acked = Math.max(acked, parse(line));

      try (StorageApi storage = CrashScenario.open(backend, dir)) {
        long k = CrashScenario.stepsOnDisk(storage);
        assertTrue(k >= 0, "round " + round + ": the disk holds a torn store: " + CrashScenario.onDisk(storage));
        assertTrue(k >= acked, "round " + round + ": " + acked + " stores acknowledged, only " + k + " on disk");
        verifyLoads(storage, CrashScenario.countsAfter(k));
        durable = k;
        System.out.printf("%s round %d: killed after %d acknowledged stores, reopened with %d%n", backend, round, acked, k);
      }
    }
    assertTrue(durable > 0, "the writer never got far enough to test anything");
  }

  private static void verifyLoads(StorageApi storage, Map<String, Map<String, Long>> expected) {
    for (int v = 0; v < CrashScenario.VALUES; v++) {
      String id = CrashScenario.header(v).coValueId();
      Loaded l = Loaded.of(storage, id);
      if (!expected.containsKey(id)) {
        assertEquals(Boolean.FALSE, l.found);
        continue;
      }
      Map<String, List<String>> txs = l.transactionsOf(id);
      for (Map.Entry<String, Long> e : expected.get(id).entrySet()) {
        List<String> got = txs.get(e.getKey());
        assertEquals(e.getValue(), got.size(), id + " " + e.getKey());
        for (int i = 0; i < got.size(); i++) assertEquals(CrashScenario.tx(e.getKey(), i).raw(), got.get(i));
      }
      for (ContentMessage m : l.piecesOf(id)) {
        for (Map.Entry<String, SessionNewContent> s : m.sessions().entrySet()) {
          assertEquals(Synthetic.signature(s.getKey(), s.getValue().end() - 1), s.getValue().lastSignature(), "piece not cut at its signature");
        }
      }
    }
  }

  private static long parse(String line) {
    if (!line.startsWith("committed ")) throw new AssertionError("unexpected child output: " + line);
    return Long.parseLong(line.substring("committed ".length()));
  }

  private static void pump(Process child, LinkedBlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null;) lines.add(line);
    } catch (IOException e) {
      // the pipe breaks when the child is killed mid-line; what was read is all that was acknowledged
    }
    lines.add(EOF);
  }
}
