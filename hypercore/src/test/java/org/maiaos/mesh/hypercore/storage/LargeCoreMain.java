package org.maiaos.mesh.hypercore.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * Child JVM of {@link CoreStorageLargeCoreTest}, run with a small heap: builds a core of many tiny
 * blocks, reopens it, reads at random and appends. Exit code 0 means every check passed.
 */
public final class LargeCoreMain {
  private LargeCoreMain() {}

  static byte[] value(long i) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, i * 0x9E3779B97F4A7C15L).array();
  }

  static Head headAt(long length) {
    return Fixtures.head(0, length, 8 * length, "large" + length);
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long total = Long.parseLong(args[1]);
    int batch = Integer.parseInt(args[2]);
    long t0 = System.nanoTime();
    try (CoreStorage s = CoreStorage.create(dir, Fixtures.header())) {
      for (long from = 0; from < total; from += batch) {
        long to = Math.min(total, from + batch);
        List<BlockWrite> bs = new ArrayList<>(batch);
        for (long i = from; i < to; i++) bs.add(new BlockWrite(i, value(i)));
        s.commit(new Update(bs, List.of(), -1, headAt(to)));
      }
    }
    long built = System.nanoTime();
    Random r = new Random(total);
    try (CoreStorage s = CoreStorage.open(dir)) {
      check(s.head().equals(headAt(total)), "head after reopen");
      for (int k = 0; k < 5000; k++) {
        long i = r.nextLong(total);
        check(Arrays.equals(value(i), s.block(i)), "block " + i);
      }
      check(s.block(total) == null, "nothing past the end");
      // append, with a node at the far end of the (sparse) tree file
      List<BlockWrite> bs = new ArrayList<>();
      for (long i = total; i < total + batch; i++) bs.add(new BlockWrite(i, value(i)));
      TreeNode leaf = new TreeNode(2 * total, 8, Fixtures.hash32("leaf"));
      s.commit(new Update(bs, List.of(leaf), -1, headAt(total + batch)));
      check(leaf.equals(s.node(2 * total)), "far node");
    }
    try (CoreStorage s = CoreStorage.open(dir)) {
      check(s.head().equals(headAt(total + batch)), "head after append");
      check(Arrays.equals(value(total + batch - 1), s.block(total + batch - 1)), "last block");
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf("ok: %d blocks built in %d ms, reopened and checked in %d ms, max heap %d MiB%n", total,
        (built - t0) / 1_000_000, (System.nanoTime() - built) / 1_000_000, rt.maxMemory() >> 20);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("FAILED: " + what);
      System.exit(2);
    }
  }
}
