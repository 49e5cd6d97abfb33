package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void loadsWritesAndPushesWithinItsBudget() {
    long t0 = System.nanoTime();
    WarmUp.Done done = WarmUp.run(Duration.ofSeconds(6));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(done.loads() > 0, "no load answered");
    // acknowledged only once verified (real signatures) and durable: whole CoMaps of ten transactions
    assertTrue(done.writes() >= WarmUp.TXS_PER_MAP, "no write acknowledged");
    assertEquals(0, done.writes() % WarmUp.TXS_PER_MAP, "counts whole CoMaps");
    // a watcher subscribed after each CoMap's first transaction gets the later ones pushed
    assertTrue(done.pushes() > 0, "no push arrived");
    // a setup of at most twice the budget, loads for the budget, then the throw-away server's close
    assertTrue(ms < 3 * 6_000 + 3_000, "took " + ms + " ms");
  }

  @Test
  void aZeroBudgetDoesNothing() {
    assertEquals(new WarmUp.Done(0, 0, 0), WarmUp.run(Duration.ZERO));
  }
}
