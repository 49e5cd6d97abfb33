package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

/**
 * Append batches against a model that hashes the whole tree from scratch: after every append the
 * roots are exactly the nodes at {@code fullRoots(2 * length)}, each equal to the node rebuilt
 * recursively from the blocks, and the batch created every node of the tree once.
 */
class MerkleTreeBatchTest {
  /** The node at {@code index} rebuilt from the blocks under it. */
  private static TreeNode model(List<byte[]> blocks, long index) {
    if ((index & 1) == 0) return TreeNode.leaf(index / 2, blocks.get((int) (index / 2)));
    return TreeNode.parent(model(blocks, FlatTree.leftChild(index)), model(blocks, FlatTree.rightChild(index)));
  }

  @Test
  void rootsAndNodesMatchAFromScratchModel() {
    Random rnd = TestSeeds.random("MerkleTreeBatchTest.rootsAndNodesMatchAFromScratchModel");
    List<byte[]> blocks = new java.util.ArrayList<>();
    Map<Long, TreeNode> stored = new HashMap<>();
    MerkleTree head = MerkleTree.empty();
    assertArrayEquals(NodeHash.tree(List.of()), head.hash());
    while (blocks.size() < 300) {
      MerkleTreeBatch batch = head.batch();
      for (int k = rnd.nextInt(8); k > 0; k--) {
        byte[] b = new byte[rnd.nextInt(100)];
        rnd.nextBytes(b);
        blocks.add(b);
        batch.append(b);
      }
      for (TreeNode n : batch.nodes()) assertNull(stored.put(n.index(), n), "node " + n.index() + " created twice");
      head = batch.commit(new byte[] {1});
      long length = blocks.size();
      assertEquals(length, head.length());
      long[] want = FlatTree.fullRoots(2 * length);
      assertEquals(want.length, head.roots().size());
      long bytes = 0;
      for (int r = 0; r < want.length; r++) {
        assertEquals(model(blocks, want[r]), head.roots().get(r), "root " + want[r] + " at length " + length);
        bytes += head.roots().get(r).size();
      }
      assertEquals(bytes, head.byteLength());
      assertArrayEquals(NodeHash.tree(head.roots()), head.hash());
    }
    for (long i = 0; i < 2L * blocks.size() - 1; i++) {
      if (FlatTree.rightSpan(i) < 2L * blocks.size()) assertEquals(model(blocks, i), stored.get(i), "node " + i);
      else assertNull(stored.get(i), "node " + i + " spans past the end");
    }
  }

  @Test
  void truncationRebuildsTheRootsOfTheShorterTree() {
    Random rnd = TestSeeds.random("MerkleTreeBatchTest.truncationRebuildsTheRootsOfTheShorterTree");
    List<byte[]> blocks = new java.util.ArrayList<>();
    Map<Long, TreeNode> stored = new HashMap<>();
    MerkleTreeBatch batch = MerkleTree.empty().batch();
    for (int i = 0; i < 100; i++) {
      byte[] b = new byte[rnd.nextInt(50)];
      rnd.nextBytes(b);
      blocks.add(b);
      batch.append(b);
    }
    batch.nodes().forEach(n -> stored.put(n.index(), n));
    MerkleTree head = batch.commit(new byte[] {1});
    for (int len = 100; len >= 0; len -= 1 + rnd.nextInt(7)) {
      MerkleTree cut = head.truncate(stored::get, len, head.fork() + 1);
      assertEquals(len, cut.length());
      assertEquals(head.fork() + 1, cut.fork());
      assertNull(cut.signature());
      long[] want = FlatTree.fullRoots(2L * len);
      for (int r = 0; r < want.length; r++) assertEquals(model(blocks, want[r]), cut.roots().get(r));
    }
    HypercoreException e = assertThrows(HypercoreException.class, () -> MerkleTree.empty().truncate(stored::get, 1, 1));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }

  @Test
  void aLeafMustBeAppendedAtTheEnd() {
    MerkleTreeBatch batch = MerkleTree.empty().batch();
    HypercoreException e = assertThrows(HypercoreException.class, () -> batch.appendLeaf(TreeNode.leaf(1, new byte[0])));
    assertEquals(CoreError.ASSERTION, e.code());
  }
}
