package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.TestSeeds;

/** The bitfield of held blocks against {@link BitSet}: sets, truncations and words across page edges. */
class HeldBlocksTest {
  @Test
  void randomSetsTruncationsAndWordsAgreeWithABitSet() {
    long seed = TestSeeds.seed("HeldBlocksTest");
    Random r = new Random(seed);
    HeldBlocks held = new HeldBlocks();
    BitSet model = new BitSet();
    int span = 3 * HeldBlocks.PAGE_BITS + 100; // three page edges
    for (int step = 0; step < 3000; step++) {
      int op = r.nextInt(100);
      if (op < 80) {
        int i = r.nextInt(span);
        held.set(i);
        model.set(i);
      } else if (op < 85) {
        int to = r.nextInt(span);
        held.clearFrom(to);
        model.clear(to, span);
      } else {
        int start = 32 * r.nextInt(span / 32);
        int[] words = new int[1 + r.nextInt(2 * HeldBlocks.PAGE_BITS / 32)];
        held.words(start, words);
        for (int k = 0; k < words.length; k++) {
          for (int j = 0; j < 32; j++) {
            long b = start + 32L * k + j;
            boolean expected = b < span && model.get((int) b);
            assertEquals(expected, ((words[k] >>> j) & 1) == 1, "seed " + seed + " step " + step + " block " + b);
          }
        }
      }
      int probe = r.nextInt(span);
      assertEquals(model.get(probe), held.get(probe), "seed " + seed + " step " + step + " get " + probe);
    }
  }

  @Test
  void wordsStartOnAWordEdge() {
    assertThrows(IllegalArgumentException.class, () -> new HeldBlocks().words(5, new int[1]));
  }
}
