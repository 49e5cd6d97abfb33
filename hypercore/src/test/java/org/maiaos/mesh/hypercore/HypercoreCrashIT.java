package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.storage.ChildJvm;
import org.maiaos.mesh.hypercore.tree.MerkleTree;
import org.maiaos.mesh.hypercore.tree.MerkleTreeBatch;

/**
 * kill -9 a child JVM that appends batches through {@link Hypercore} at random moments, many
 * times; after each reopen the core holds a whole number of batches, at least every acknowledged
 * one, every block is the expected one, and the head verifies: the tree hash equals one computed
 * from scratch over the expected blocks and the signature checks under the core's manifest.
 */
class HypercoreCrashIT {
  private static final int ROUNDS = 25;
  private static final String EOF = "\u0000eof";

  @TempDir Path tmp;

  @Test
  void killedWriterLeavesWholeVerifiedBatchesAndNoAcknowledgedOneIsLost() throws Exception {
    Random r = TestSeeds.random("HypercoreCrashIT");
    Path dir = tmp.resolve("core");
    long durable = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path err = tmp.resolve("stderr-" + round);
      Path ackFile = tmp.resolve("acks-" + round);
      Process child = ChildJvm.start(HypercoreWriterMain.class, "64m", err, dir.toString(), ackFile.toString());
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread pump = ChildJvm.pumpLines(child, lines, EOF, "hypercore-crash-it-" + round);
      long acked = durable;
      int wait = r.nextInt(12);
      for (int seen = 0; seen < wait; seen++) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line, "no output from the child in 60 s; stderr:\n" + Files.readString(err));
        assertTrue(!line.equals(EOF), "child exited by itself; stderr:\n" + Files.readString(err));
      }
      LockSupport.parkNanos(r.nextInt(3_000_000)); // the kill lands anywhere in the next append
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      pump.join(TimeUnit.SECONDS.toMillis(30));
      // stdout only paced the kill; what was acknowledged is in the ack file (a pipe can lose the tail)
      if (Files.exists(ackFile)) {
        for (String line : Files.readAllLines(ackFile)) {
          if (!line.isEmpty()) acked = Math.max(acked, parse(line));
        }
      }
      if (!Files.exists(dir)) {
        assertEquals(0, acked, "round " + round);
        continue; // killed before create finished its first write
      }
      try (Hypercore core = Hypercore.open(dir)) {
        long length = core.length();
        String where = "round " + round;
        assertEquals(0, length % HypercoreWriterMain.BATCH_BLOCKS, where + ": length " + length + " is not whole batches");
        long batches = length / HypercoreWriterMain.BATCH_BLOCKS;
        assertTrue(batches >= acked, where + ": " + batches + " batches, but " + acked + " were acknowledged");
        assertTrue(batches <= acked + 1, where + ": " + batches + " batches, only " + acked + " acknowledged");
        MerkleTreeBatch expected = MerkleTree.empty().batch();
        for (long i = 0; i < length; i++) {
          byte[] want = HypercoreWriterMain.block(i);
          assertArrayEquals(want, core.get(i), where + ": block " + i);
          expected.append(want);
        }
        assertArrayEquals(expected.hash(), core.treeHash(), where + ": tree hash");
        if (length > 0) {
          assertTrue(core.verifier().verify(core.treeHash(), length, core.fork(), core.signature()), where + ": signature");
        }
        durable = batches;
      }
      System.out.printf("round %d: killed after %d acknowledged batches, reopened with %d%n", round, acked, durable);
    }
    assertTrue(durable > 0, "the writer never got far enough to test anything");
  }

  private static long parse(String line) {
    if (!line.startsWith("committed ")) throw new AssertionError("unexpected child output: " + line);
    return Long.parseLong(line.substring("committed ".length()));
  }

}
