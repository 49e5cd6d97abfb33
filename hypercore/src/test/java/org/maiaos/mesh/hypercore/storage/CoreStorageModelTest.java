package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.NodeHash;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * Random sequences of appends, sparse writes, truncations, checkpoints, reopens and simulated
 * kill -9s, checked after every step against two TreeMaps and a head. Replay a failure with
 * {@code -Dtest.seed=N}.
 */
class CoreStorageModelTest {
  private static final int BLOCK_SPAN = 300;
  private static final int NODE_SPAN = 2 * BLOCK_SPAN + 100;

  @TempDir Path tmp;

  private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
  private final TreeMap<Long, TreeNode> nodes = new TreeMap<>();
  private Head head = new Head(0, 0, 0, NodeHash.tree(List.of()), null);

  @Test
  void randomOperationsMatchAPlainModelAcrossReopensCheckpointsAndCrashes() throws Exception {
    long seed = TestSeeds.seed("CoreStorageModelTest");
    Random r = new Random(seed);
    StorageLimits limits = StorageLimits.DEFAULTS.withCheckpointBytes(4096);
    int dirs = 0;
    Path dir = tmp.resolve("d" + dirs);
    CoreStorage s = CoreStorage.create(dir, Fixtures.header(r), limits);
    try {
      for (int step = 0; step < 300; step++) {
        int op = r.nextInt(100);
        String where = "seed " + seed + " step " + step + " op " + op;
        if (op < 35) {
          append(s, r, step);
        } else if (op < 55) {
          sparse(s, r, step, -1);
        } else if (op < 65) {
          long to = r.nextLong(head.length() + 1);
          if (r.nextBoolean()) sparse(s, r, step, to);
          else commit(s, new Update(List.of(), List.of(), to, bump(to, step)));
        } else if (op < 72) {
          s.checkpointNow();
        } else if (op < 84) {
          s.close();
          s = CoreStorage.open(dir, limits);
        } else {
          // kill -9: the page cache is what survives, so a copy of the files is the crash image
          Path crash = tmp.resolve("d" + ++dirs);
          Fixtures.copyDir(dir, crash);
          s.close();
          dir = crash;
          s = CoreStorage.open(dir, limits);
        }
        verify(s, where);
        if (step % 7 == 0) {
          // a read-only snapshot beside the open storage sees the same state
          try (CoreStorage snap = CoreStorage.openSnapshot(dir, limits)) {
            verify(snap, where + " (snapshot)");
          }
        }
      }
    } finally {
      s.close();
    }
  }

  private Head bump(long length, int step) {
    long fork = length < head.length() ? head.fork() + 1 : head.fork();
    return Fixtures.head(fork, length, step, "step" + step);
  }

  private void append(CoreStorage s, Random r, int step) {
    long from = head.length();
    int count = 1 + r.nextInt(15);
    if (from + count > BLOCK_SPAN) {
      commit(s, new Update(List.of(), List.of(), 0, bump(0, step)));
      from = 0;
    }
    List<BlockWrite> bs = new ArrayList<>();
    List<TreeNode> ns = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      byte[] v = new byte[r.nextInt(500)];
      r.nextBytes(v);
      bs.add(new BlockWrite(i, v));
      ns.add(TreeNode.leaf(i, v));
    }
    commit(s, new Update(bs, ns, -1, bump(from + count, step)));
  }

  private void sparse(CoreStorage s, Random r, int step, long truncateTo) {
    List<BlockWrite> bs = new ArrayList<>();
    List<TreeNode> ns = new ArrayList<>();
    for (int k = r.nextInt(6); k > 0; k--) {
      byte[] v = new byte[r.nextInt(300)];
      r.nextBytes(v);
      bs.add(new BlockWrite(r.nextInt(BLOCK_SPAN), v));
    }
    for (int k = r.nextInt(10); k > 0; k--) {
      byte[] h = new byte[32];
      r.nextBytes(h);
      ns.add(new TreeNode(r.nextInt(NODE_SPAN), r.nextInt(1 << 16), h));
    }
    commit(s, new Update(bs, ns, truncateTo, truncateTo >= 0 || r.nextBoolean() ? bump(truncateTo >= 0 ? truncateTo : head.length(), step) : null));
  }

  /** Commits to storage and applies the same update to the model. */
  private void commit(CoreStorage s, Update u) {
    s.commit(u);
    if (u.truncateTo() >= 0) {
      long leaf = 2 * u.truncateTo();
      blocks.tailMap(u.truncateTo(), true).clear();
      nodes.values().removeIf(n -> FlatTree.rightSpan(n.index()) >= leaf);
    }
    for (BlockWrite b : u.blocks()) blocks.put(b.index(), b.value());
    for (TreeNode n : u.nodes()) nodes.put(n.index(), n);
    if (u.head() != null) head = u.head();
  }

  private void verify(CoreStorage s, String where) {
    assertEquals(head, s.head(), where);
    for (long i = 0; i < BLOCK_SPAN + 5; i++) {
      assertArrayEquals(blocks.get(i), s.block(i), where + " block " + i);
      assertEquals(blocks.containsKey(i), s.hasBlock(i), where + " has " + i);
    }
    for (long i = 0; i < NODE_SPAN + 5; i++) assertEquals(nodes.get(i), s.node(i), where + " node " + i);
    // the bitfield of held blocks, built at the first call after an open and kept by commits since
    int[] words = new int[(int) ((BLOCK_SPAN + 5 + 31) / 32)];
    s.heldWords(0, words);
    for (long i = 0; i < BLOCK_SPAN + 5; i++) {
      assertEquals(blocks.containsKey(i), ((words[(int) (i >>> 5)] >>> (i & 31)) & 1) == 1, where + " held " + i);
    }
  }
}
