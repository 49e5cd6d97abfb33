package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void loadsTheThrowAwayStoreWithinItsBudget() {
    long t0 = System.nanoTime();
    int loads = WarmUp.run(Duration.ofSeconds(6));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(loads > 0, "no load answered");
    // a setup of at most twice the budget, loads for the budget, then the throw-away server's close
    assertTrue(ms < 3 * 6_000 + 3_000, "took " + ms + " ms");
  }

  @Test
  void aZeroBudgetDoesNothing() {
    assertEquals(0, WarmUp.run(Duration.ZERO));
  }
}
