package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Blake2b;

/** The three tree hashes, each rebuilt here from its definition in the format notes (section 2). */
class NodeHashTest {
  private static byte[] u64le(long n) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (n >>> (8 * i));
    return b;
  }

  private static byte[] random(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void leafHashIsTypeZeroLengthAndBytes() {
    Random rnd = TestSeeds.random("NodeHashTest.leafHashIsTypeZeroLengthAndBytes");
    for (int i = 0; i < 100; i++) {
      byte[] block = random(rnd, i == 0 ? 0 : rnd.nextInt(5000));
      assertArrayEquals(Blake2b.hash(new byte[] {0}, u64le(block.length), block), NodeHash.data(block));
      TreeNode leaf = TreeNode.leaf(i, block);
      assertEquals(2L * i, leaf.index());
      assertEquals(block.length, leaf.size());
    }
  }

  @Test
  void parentHashPutsTheLowerIndexFirstWhateverTheArgumentOrder() {
    Random rnd = TestSeeds.random("NodeHashTest.parentHashPutsTheLowerIndexFirstWhateverTheArgumentOrder");
    for (int i = 0; i < 100; i++) {
      TreeNode l = new TreeNode(4 * i, rnd.nextInt(1 << 20), random(rnd, 32));
      TreeNode r = new TreeNode(4 * i + 2, rnd.nextInt(1 << 20), random(rnd, 32));
      byte[] want = Blake2b.hash(new byte[] {1}, u64le(l.size() + r.size()), l.hash(), r.hash());
      assertArrayEquals(want, NodeHash.parent(l, r));
      assertArrayEquals(want, NodeHash.parent(r, l));
      TreeNode p = TreeNode.parent(r, l);
      assertEquals(4 * i + 1, p.index());
      assertEquals(l.size() + r.size(), p.size());
      assertArrayEquals(want, p.hash());
    }
  }

  @Test
  void treeHashCoversEachRootsHashIndexAndSize() {
    assertArrayEquals(Blake2b.hash(new byte[] {2}), NodeHash.tree(List.of()));
    Random rnd = TestSeeds.random("NodeHashTest.treeHashCoversEachRootsHashIndexAndSize");
    for (int i = 0; i < 100; i++) {
      List<TreeNode> roots = new ArrayList<>();
      List<byte[]> parts = new ArrayList<>(List.of(new byte[] {2}));
      for (int k = rnd.nextInt(6); k > 0; k--) {
        TreeNode n = new TreeNode(rnd.nextLong() >>> 11, rnd.nextLong() >>> 11, random(rnd, 32));
        roots.add(n);
        parts.add(n.hash());
        parts.add(u64le(n.index()));
        parts.add(u64le(n.size()));
      }
      assertArrayEquals(Blake2b.hash(parts.toArray(new byte[0][])), NodeHash.tree(roots));
    }
  }
}
