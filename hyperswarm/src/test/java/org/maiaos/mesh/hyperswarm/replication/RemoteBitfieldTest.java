package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time range and insert paths against a plain bit model, and the bounds a peer meets. */
class RemoteBitfieldTest {
  @Test
  void rangesAndInsertsAgreeWithABitModel() {
    Random r = new Random(Long.getLong("test.seed", 31L));
    for (int round = 0; round < 200; round++) {
      RemoteBitfield bf = new RemoteBitfield();
      BitSet model = new BitSet();
      for (int op = 0; op < 30; op++) {
        int start = r.nextInt(200_000);
        if (r.nextBoolean()) {
          int length = r.nextInt(r.nextBoolean() ? 70 : 100_000) + 1;
          boolean value = r.nextInt(3) != 0;
          bf.setRange(start, length, value);
          model.set(start, start + length, value);
        } else {
          int[] words = new int[1 + r.nextInt(8)];
          for (int w = 0; w < words.length; w++) {
            int k = r.nextInt(3);
            words[w] = k == 0 ? 0 : k == 1 ? -1 : r.nextInt();
          }
          bf.insert(start, words);
          for (int w = 0; w < words.length; w++) {
            for (int b = 0; b < 32; b++) model.set(start + 32 * w + b, (words[w] >>> b & 1) != 0);
          }
        }
      }
      for (int i = 0; i < 210_000; i++) assertEquals(model.get(i), bf.get(i), "round " + round + " bit " + i);
    }
  }

  @Test
  void aHugeRangeIsClippedAndCheapAndOverflowIsHarmless() {
    RemoteBitfield bf = new RemoteBitfield();
    bf.setRange(5, Long.MAX_VALUE, true); // one message naming every index there is
    assertTrue(bf.get(5));
    // the range would need one page more than a peer may describe: the first MAX_PAGES pages hold it
    assertTrue(bf.get(32768L * RemoteBitfield.MAX_PAGES - 1));
    assertFalse(bf.get(32768L * RemoteBitfield.MAX_PAGES));
    assertFalse(bf.get(4));
    RemoteBitfield edge = new RemoteBitfield();
    edge.setRange(Long.MAX_VALUE - 10, 100, true);
    edge.setRange(-7, 100, true);
    edge.setRange(3, 0, true);
    assertFalse(edge.get(3));
    assertTrue(edge.get(Long.MAX_VALUE - 10));
  }
}
