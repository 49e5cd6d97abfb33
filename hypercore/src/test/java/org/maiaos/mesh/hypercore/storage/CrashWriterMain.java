package org.maiaos.mesh.hypercore.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * Child JVM of {@link CoreStorageCrashIT}: opens the core and commits batches forever, printing
 * {@code committed N} (N = batches now in the core) after each commit returns. Every fifth batch
 * also truncates the previous batch away and rewrites it under the next fork, so kills land in
 * truncations too. All content is a function of (block index, fork), see {@link #value}.
 */
public final class CrashWriterMain {
  static final int BATCH_BLOCKS = 40;
  /** A small checkpoint threshold, so that kills also land inside checkpoints. */
  static final StorageLimits LIMITS = StorageLimits.DEFAULTS.withCheckpointBytes(64 * 1024);

  private CrashWriterMain() {}

  static boolean truncates(long batch) {
    return batch % 5 == 4;
  }

  /** The fork once batch {@code n} is committed: one more per truncating batch up to it. */
  static long forkAfter(long n) {
    return (n + 1) / 5;
  }

  static byte[] value(long index, long fork) {
    return Fixtures.blockValue("crash/" + fork, index, 1500);
  }

  static TreeNode leaf(long index, long fork) {
    return new TreeNode(2 * index, value(index, fork).length, Fixtures.hash32("leaf", Long.toString(index), Long.toString(fork)));
  }

  static Head headAfter(long n) {
    long fork = forkAfter(n);
    return new Head(fork, (n + 1) * BATCH_BLOCKS, 0, Fixtures.hash32("tree", Long.toString(n), Long.toString(fork)), null);
  }

  /** Acknowledgements also go to the file {@code args[1]}: a pipe can lose its tail when the child is killed. */
  public static void main(String[] args) throws java.io.IOException {
    Path dir = Path.of(args[0]);
    try (CoreStorage s = CoreStorage.open(dir, LIMITS);
        java.io.FileOutputStream acks = new java.io.FileOutputStream(args[1], true)) {
      long length = s.head().length();
      if (length % BATCH_BLOCKS != 0) throw new IllegalStateException("length " + length + " is not whole batches");
      for (long n = length / BATCH_BLOCKS;; n++) {
        long fork = forkAfter(n);
        long first = truncates(n) ? n - 1 : n;
        List<BlockWrite> blocks = new ArrayList<>();
        List<TreeNode> nodes = new ArrayList<>();
        for (long i = first * BATCH_BLOCKS; i < (n + 1) * BATCH_BLOCKS; i++) {
          blocks.add(new BlockWrite(i, value(i, fork)));
          nodes.add(leaf(i, fork));
        }
        s.commit(new Update(blocks, nodes, truncates(n) ? first * BATCH_BLOCKS : -1, headAfter(n)));
        acks.write(("committed " + (n + 1) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        System.out.println("committed " + (n + 1));
        System.out.flush();
      }
    }
  }
}
