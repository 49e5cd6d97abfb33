package org.maiaos.mesh.hypercore;

import java.util.Random;

/** Seeds for randomized tests: {@code -Dtest.seed=N} replays a run; otherwise a fresh seed, printed. */
public final class TestSeeds {
  private TestSeeds() {}

  public static long seed(String testName) {
    String prop = System.getProperty("test.seed");
    long seed = prop == null || prop.isBlank() ? new Random().nextLong() : Long.parseLong(prop.trim());
    System.out.println(testName + ": -Dtest.seed=" + seed);
    return seed;
  }

  public static Random random(String testName) {
    return new Random(seed(testName));
  }
}
