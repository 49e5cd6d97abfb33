package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hyperbee.tree.BlockCodec;
import org.maiaos.mesh.hyperbee.tree.HeaderBlock;
import org.maiaos.mesh.hyperbee.tree.YoloIndex;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/**
 * Bees whose blocks are malformed (garbage, truncated, pointers out of range, cycles across blocks
 * and inside one block, oversized nodes): every read and write fails with DECODING_ERROR, quickly,
 * and a failed write appends nothing.
 */
class MalformedBeeTest {
  private static final Duration QUICKLY = Duration.ofSeconds(10);
  @TempDir Path tmp;
  private int n;

  private static YoloIndex.Level level(long[] keys, long... children) {
    return new YoloIndex.Level(keys, children);
  }

  private static byte[] node(byte[] key, YoloIndex.Level... levels) {
    return BlockCodec.encodeNode(BlockCodec.encodeIndex(new YoloIndex(List.of(levels))), key, new byte[] {1});
  }

  /** A core holding the header and then {@code blocks}, read by a bee. */
  private Hyperbee<byte[], byte[]> beeOf(byte[]... blocks) {
    Hypercore core = Hypercore.create(tmp.resolve("c" + n++), HypercoreOptions.defaults());
    List<byte[]> all = new ArrayList<>();
    all.add(BlockCodec.encodeHeader(new HeaderBlock("hyperbee", false, null, null)));
    all.addAll(Arrays.asList(blocks));
    core.append(all);
    return Hyperbee.open(core);
  }

  private static void decodingError(Hyperbee<byte[], byte[]> bee, Consumer<Hyperbee<byte[], byte[]>> op) {
    long before = bee.core().length();
    HypercoreException e = assertTimeoutPreemptively(QUICKLY, () -> assertThrows(HypercoreException.class, () -> op.accept(bee),
        () -> "no error from a bee whose blocks are " + blocks(bee)));
    assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
    assertEquals(before, bee.core().length(), "a failed write appends nothing");
  }

  private static String blocks(Hyperbee<byte[], byte[]> bee) {
    StringBuilder sb = new StringBuilder();
    for (long i = 1; i < bee.core().length(); i++) sb.append(BeeOps.HEX.formatHex(bee.core().get(i))).append(' ');
    return sb.toString();
  }

  private static void everyOperationFails(Hyperbee<byte[], byte[]> bee) {
    byte[] k = {5};
    decodingError(bee, b -> b.get(k));
    decodingError(bee, b -> b.list(Range.all()));
    decodingError(bee, b -> b.list(Range.<byte[]>all().reverse()));
    decodingError(bee, b -> b.list(Range.<byte[]>all().gte(k)));
    decodingError(bee, b -> b.diff(1, Range.all()).forEachRemaining(d -> { }));
    decodingError(bee, b -> b.put(k, k));
    decodingError(bee, b -> b.del(k));
    bee.core().close();
  }

  @Test
  void garbageAndTruncatedBlocks() {
    everyOperationFails(beeOf(new byte[] {(byte) 0xff, (byte) 0xff, 0x00}));
    byte[] good = node(new byte[] {5}, level(new long[] {1}));
    for (int cut = 1; cut < good.length; cut++) {
      if (cut == 10) continue; // a whole node: index and key, no value
      everyOperationFails(beeOf(Arrays.copyOf(good, cut)));
    }
    everyOperationFails(beeOf(BlockCodec.encodeNode(new byte[] {0x0a, 0x05, 0x0a}, new byte[] {5}, null)));
  }

  @Test
  void aCycleAcrossTwoBlocks() {
    // block 1's node points forward at block 2's, whose node points back at block 1's
    everyOperationFails(beeOf(
        node(new byte[] {3}, level(new long[] {1}, 2, 0, 2, 0)),
        node(new byte[] {7}, level(new long[] {2}, 1, 0, 1, 0))));
  }

  @Test
  void aCycleInsideOneBlock() {
    everyOperationFails(beeOf(node(new byte[] {3},
        level(new long[] {1}, 1, 1, 1, 1),
        level(new long[] {1}, 1, 0, 1, 0))));
  }

  @Test
  void pointersPastTheCoreOrPastABlocksLevels() {
    everyOperationFails(beeOf(node(new byte[] {3}, level(new long[] {9}))));
    everyOperationFails(beeOf(node(new byte[] {3}, level(new long[] {1}, 1, 1, 1, 2))));
    everyOperationFails(beeOf(
        node(new byte[] {3}, level(new long[] {1})),
        node(new byte[] {7}, level(new long[] {2}, 1, 4, 1, 0))));
  }

  @Test
  void aNodeWithTooManyKeysOrMismatchedChildren() {
    everyOperationFails(beeOf(node(new byte[] {3}, level(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1}))));
    everyOperationFails(beeOf(node(new byte[] {3}, level(new long[] {1}, 1, 0))));
  }

  @Test
  void aHeaderThatIsNotOne() {
    try (Hypercore core = Hypercore.create(tmp.resolve("h"), HypercoreOptions.defaults())) {
      core.append(new byte[] {(byte) 0xff});
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
      assertEquals(false, Hyperbee.isHyperbee(core));
      HypercoreException e = assertThrows(HypercoreException.class, bee::getHeader);
      assertEquals(CoreError.DECODING_ERROR, e.code());
    }
  }
}
