package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A client's name carries its connect time exactly as {@link Instant#toString()} writes it. */
class IsoInstantTest {
  private static void same(long second, int nano) {
    String expected = Instant.ofEpochSecond(second, nano).toString();
    assertEquals(expected, IsoInstant.append(new StringBuilder(), second, nano).toString(), second + "s " + nano + "ns");
  }

  @Test
  void edgesOfTheFastRangeAndBeyond() {
    for (int nano : new int[] {0, 1, 999, 1000, 120_000, 999_000, 1_000_000, 5_000_000, 100_000_000, 999_999_999, 197_113_990}) {
      for (long s : new long[] {0, 59, 60, 3599, 3600, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 1_765_152_470L,
          4_107_542_399L /* 2099-12-31T23:59:59 */, 253_402_300_799L, 253_402_300_800L, -1, -86_401, Instant.MIN.getEpochSecond(),
          Instant.MAX.getEpochSecond()}) {
        same(s, nano);
      }
    }
  }

  @Test
  void randomInstantsOfEveryFractionLength() {
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < 200_000; i++) {
      long s = r.nextLong(0, 253_402_300_800L);
      int nano = r.nextInt(1_000_000_000);
      switch (i % 4) {
        case 0 -> same(s, 0);
        case 1 -> same(s, nano / 1_000_000 * 1_000_000);
        case 2 -> same(s, nano / 1000 * 1000);
        default -> same(s, nano);
      }
    }
  }
}
