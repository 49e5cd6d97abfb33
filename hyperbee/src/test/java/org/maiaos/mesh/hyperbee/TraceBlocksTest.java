package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/** {@link Hyperbee#traceBlocks} names exactly the blocks a read visits, cached or not, and only on the tracing thread. */
class TraceBlocksTest {
  @TempDir Path tmp;
  private Hypercore core;
  private Hyperbee<String, String> bee;

  @BeforeEach
  void open() {
    core = Hypercore.create(tmp.resolve("core"), HypercoreOptions.defaults());
    bee = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.UTF8, Encoding.UTF8).build());
    for (int b = 0; b < 10; b++) {
      Batch<String, String> batch = bee.batch();
      for (int i = 0; i < 500; i++) batch.put(String.format("k%05d", (i * 7919 + b * 131) % 5000), "v" + b + "-" + i);
      batch.flush();
    }
  }

  @AfterEach
  void close() {
    bee.close();
    core.close();
  }

  private Set<Long> trace(Runnable read) {
    Set<Long> seqs = new TreeSet<>();
    Hyperbee.traceBlocks(seqs::add, () -> {
      read.run();
      return null;
    });
    return seqs;
  }

  @Test
  void aColdReadVisitsExactlyTheBlocksItReadsAndAWarmOneTheSame() {
    bee.clearCache();
    long before = bee.blockReads();
    Set<Long> cold = trace(() -> bee.get("k01234"));
    assertEquals(bee.blockReads() - before, cold.size(), "each visited block is read once when nothing is cached: " + cold);
    assertTrue(cold.size() >= 2 && !cold.contains(0L), cold.toString());
    assertEquals(cold, trace(() -> bee.get("k01234")), "cache hits are visits too");

    Set<Long> range = trace(() -> bee.list(Range.<String>all().gte("k02000").lt("k02100")));
    assertTrue(range.containsAll(trace(() -> bee.get("k02050"))), "a range visits the path to every key in it");
  }

  @Test
  void aReadOnAnotherThreadOrAfterTheTraceIsNotTraced() throws Exception {
    List<Long> seen = new ArrayList<>();
    Hyperbee.traceBlocks(seen::add, () -> {
      Thread t = new Thread(() -> bee.get("k00001"));
      t.start();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return null;
    });
    assertTrue(seen.isEmpty(), "another thread's read: " + seen);
    bee.get("k00002");
    assertTrue(seen.isEmpty(), "a read after the trace: " + seen);
  }

  @Test
  void aVisitorThatThrowsCutsTheReadShort() {
    List<Long> seen = new ArrayList<>();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Hyperbee.traceBlocks(seq -> {
      seen.add(seq);
      throw new IllegalStateException("enough");
    }, () -> bee.list(Range.<String>all())));
    assertEquals("enough", e.getMessage());
    assertEquals(1, seen.size());
    assertFalse(trace(() -> bee.get("k00003")).isEmpty(), "tracing works again afterwards");
  }
}
