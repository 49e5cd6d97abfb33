package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.TestSeeds;

/**
 * kill -9 a writer at random moments (mid-commit, mid-checkpoint, mid-truncation, mid-recovery),
 * then reopen and check: only whole batches, none that was acknowledged is missing, and every
 * stored byte is the expected one. Each round continues from what the last one left.
 */
class CoreStorageCrashIT {
  private static final int ROUNDS = 30;
  private static final String EOF = "\u0000eof";

  @TempDir Path tmp;

  @Test
  void killedWriterNeverLosesAnAcknowledgedBatchNorLeavesPartOfOne() throws Exception {
    Random r = TestSeeds.random("CoreStorageCrashIT");
    Path dir = tmp.resolve("core");
    CoreStorage.create(dir, Fixtures.header(), CrashWriterMain.LIMITS).close();
    long durable = 0; // batches known to be in the core
    String recovery = "";
    for (int round = 0; round < ROUNDS; round++) {
      Path err = tmp.resolve("stderr-" + round);
      Path ackFile = tmp.resolve("acks-" + round);
      Process child = ChildJvm.start(CrashWriterMain.class, "64m", err, dir.toString(), ackFile.toString());
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread pump = ChildJvm.pumpLines(child, lines, EOF, "crash-it-stdout-" + round);

      int ackedBeforeKill = r.nextInt(10); // 0: kill during startup or recovery
      long acked = durable;
      for (int seen = 0; seen < ackedBeforeKill; seen++) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line, "no output from the child in 60 s; stderr:\n" + Files.readString(err));
        assertTrue(!line.equals(EOF), "child exited by itself; stderr:\n" + Files.readString(err));
        acked = Math.max(acked, parse(line));
      }
      // a random extra moment, so the kill lands anywhere in the next commit: timing, not synchronization
      LockSupport.parkNanos(r.nextInt(4_000_000));
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      pump.join(TimeUnit.SECONDS.toMillis(30));
      // stdout only paced the kill; what was acknowledged is in the ack file (a pipe can lose the tail)
      if (Files.exists(ackFile)) {
        for (String line : Files.readAllLines(ackFile)) {
          if (!line.isEmpty()) acked = Math.max(acked, parse(line));
        }
      }

      try (CoreStorage s = CoreStorage.open(dir, CrashWriterMain.LIMITS)) {
        long length = s.head().length();
        assertEquals(0, length % CrashWriterMain.BATCH_BLOCKS, "round " + round + ": length " + length + " is not whole batches");
        long batches = length / CrashWriterMain.BATCH_BLOCKS;
        assertTrue(batches >= acked, "round " + round + ": " + batches + " batches, but " + acked + " were acknowledged");
        assertTrue(batches <= acked + 1, "round " + round + ": " + batches + " batches, only " + acked + " acknowledged");
        verify(s, batches, "round " + round);
        durable = batches;
        recovery = s.replayedEntries() + " replayed, " + s.skippedEntries() + " skipped, " + s.droppedOplogBytes() + " torn bytes dropped";
      }
      System.out.printf("round %d: killed after %d acknowledged batches, reopened with %d (%s)%n", round, acked, durable, recovery);
    }
  }

  private static long parse(String line) {
    if (!line.startsWith("committed ")) throw new AssertionError("unexpected child output: " + line);
    return Long.parseLong(line.substring("committed ".length()));
  }


  /** Checks the head and every block and leaf of a core holding {@code batches} batches. */
  private static void verify(CoreStorage s, long batches, String where) {
    int per = CrashWriterMain.BATCH_BLOCKS;
    if (batches > 0) assertEquals(CrashWriterMain.headAfter(batches - 1), s.head(), where);
    for (long b = 0; b < batches; b++) {
      // a batch is rewritten under the next fork when the following batch truncates, if that one committed
      long fork = b + 1 < batches && CrashWriterMain.truncates(b + 1) ? CrashWriterMain.forkAfter(b + 1) : CrashWriterMain.forkAfter(b);
      for (long i = b * per; i < (b + 1) * per; i++) {
        assertArrayEquals(CrashWriterMain.value(i, fork), s.block(i), where + ": block " + i);
        assertEquals(CrashWriterMain.leaf(i, fork), s.node(2 * i), where + ": leaf " + i);
      }
    }
    for (long i = batches * per; i < (batches + 2) * per; i++) {
      assertNull(s.block(i), where + ": block " + i + " past the end");
      assertNull(s.node(2 * i), where + ": leaf " + i + " past the end");
    }
  }
}
