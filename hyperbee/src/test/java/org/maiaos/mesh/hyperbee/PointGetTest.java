package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/**
 * A plain {@code get} walks the shared decoded blocks ({@code PointGet}) while a batch walks its own
 * copies ({@code TreeBatch.get}): both must give the same block for every key, in every version,
 * with and without the JS shortcut. Random writes (deletes, batches, subs) from {@link BeeOps};
 * replay with {@code -Dtest.seed=N}.
 */
class PointGetTest {
  @TempDir Path tmp;

  @Test
  void aPointGetAnswersAsTheBatchWalkInEveryVersionAndMode() {
    long seed = Long.getLong("test.seed", System.nanoTime());
    Random rnd = new Random(seed);
    BeeOps ops = new BeeOps(rnd, 40);
    try (Hypercore core = Hypercore.create(tmp, HypercoreOptions.defaults())) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
      Hyperbee<byte[], byte[]> js = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY).jsGetShortcut(true).build());
      List<byte[]> keys = new ArrayList<>();
      int compared = 0;
      for (int step = 0; step < 1500; step++) {
        BeeOps.Op op = ops.next(8);
        BeeOps.apply(bee, op);
        if (op.key() != null) keys.add(op.key());
        if (op.batch() != null) op.batch().forEach(o -> keys.add(o.key()));
        if (step % 100 != 99) continue;
        for (Hyperbee<byte[], byte[]> view : List.of(bee, js, bee.sub("users"), bee.checkout(1 + rnd.nextInt((int) core.length())),
            js.checkout(1 + rnd.nextInt((int) core.length())))) {
          for (int i = 0; i < 200; i++) {
            byte[] k = i % 10 == 0 ? ops.key() : keys.get(rnd.nextInt(keys.size()));
            String expected = outcome(() -> {
              BlockEntry b = view.readBatch().get(view.encodeKey(k));
              return b == null ? "-" : b.seq() + "";
            });
            String got = outcome(() -> view.get(k).map(e -> e.seq() + "").orElse("-"));
            assertEquals(expected, got, "seed " + seed + ", step " + step + ", key " + BeeOps.HEX.formatHex(k) + ", version " + view.version());
            compared++;
          }
        }
      }
      assertEquals(15 * 5 * 200, compared);
    }
  }

  /** The answer, or the error (a checkout inside a batch has a root without levels: both walks refuse it alike). */
  private static String outcome(java.util.function.Supplier<String> read) {
    try {
      return read.get();
    } catch (HypercoreException e) {
      return e.getMessage();
    }
  }
}
