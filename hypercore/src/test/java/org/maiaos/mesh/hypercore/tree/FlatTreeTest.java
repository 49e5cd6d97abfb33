package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

/**
 * FlatTree against a brute-force model: a complete binary tree over {@link #LEAVES} leaves built
 * node by node from its definition (leaves at the even indexes, each parent at the index halfway
 * between its two children), so no formula of FlatTree is reused to check it.
 */
class FlatTreeTest {
  private static final int LEAVES = 1024;

  /** A node of the explicit tree. */
  private record Node(long index, int depth, long offset, Node left, Node right, long firstLeaf, long lastLeaf) {}

  private static final Map<Long, Node> NODES = new HashMap<>();
  private static final Map<Long, Node> PARENT = new HashMap<>();
  private static final Map<Long, Node> SIBLING = new HashMap<>();

  @BeforeAll
  static void buildTree() {
    List<Node> level = new ArrayList<>();
    for (long i = 0; i < LEAVES; i++) level.add(new Node(2 * i, 0, i, null, null, 2 * i, 2 * i));
    int depth = 0;
    while (true) {
      for (Node n : level) NODES.put(n.index, n);
      if (level.size() == 1) break;
      List<Node> up = new ArrayList<>();
      for (int k = 0; k < level.size(); k += 2) {
        Node l = level.get(k);
        Node r = level.get(k + 1);
        assertEquals(0, (l.index + r.index) % 2);
        Node p = new Node((l.index + r.index) / 2, depth + 1, k / 2, l, r, l.firstLeaf, r.lastLeaf);
        PARENT.put(l.index, p);
        PARENT.put(r.index, p);
        SIBLING.put(l.index, r);
        SIBLING.put(r.index, l);
        up.add(p);
      }
      level = up;
      depth++;
    }
  }

  @Test
  void theModelCoversEveryIndexBelowTwiceTheLeafCount() {
    assertEquals(2 * LEAVES - 1, NODES.size());
    for (long i = 0; i < 2 * LEAVES - 1; i++) assertTrue(NODES.containsKey(i), "index " + i);
  }

  @Test
  void depthAndOffsetMatchTheModel() {
    for (Node n : NODES.values()) {
      assertEquals(n.depth, FlatTree.depth(n.index), "depth " + n.index);
      assertEquals(n.offset, FlatTree.offset(n.index), "offset " + n.index);
      assertEquals(n.offset, FlatTree.offset(n.index, n.depth), "offset/depth " + n.index);
      assertEquals(n.index, FlatTree.index(n.depth, n.offset), "index " + n.depth + "," + n.offset);
      assertEquals(1L << n.depth, FlatTree.countLeaves(n.index), "countLeaves " + n.index);
    }
  }

  @Test
  void parentSiblingAndChildrenMatchTheModel() {
    for (Node n : NODES.values()) {
      Node p = PARENT.get(n.index);
      if (p != null) {
        assertEquals(p.index, FlatTree.parent(n.index), "parent " + n.index);
        assertEquals(SIBLING.get(n.index).index, FlatTree.sibling(n.index), "sibling " + n.index);
        assertEquals(p.left == n, FlatTree.isLeft(n.index), "isLeft " + n.index);
      }
      if (n.left != null) {
        assertEquals(n.left.index, FlatTree.leftChild(n.index), "leftChild " + n.index);
        assertEquals(n.right.index, FlatTree.rightChild(n.index), "rightChild " + n.index);
      }
    }
  }

  @Test
  void spansAreTheOutermostLeaves() {
    for (Node n : NODES.values()) {
      assertEquals(n.firstLeaf, FlatTree.leftSpan(n.index), "leftSpan " + n.index);
      assertEquals(n.lastLeaf, FlatTree.rightSpan(n.index), "rightSpan " + n.index);
    }
  }

  @Test
  void leavesHaveNoChildren() {
    for (long leaf : new long[] {0, 2, 1000}) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> FlatTree.leftChild(leaf));
      assertEquals(CoreError.ASSERTION, e.code());
      e = assertThrows(HypercoreException.class, () -> FlatTree.rightChild(leaf));
      assertEquals(CoreError.ASSERTION, e.code());
    }
  }

  /** Greedy cover of leaves 0..length-1 by the biggest complete subtree starting at each point. */
  private static long[] bruteForceRoots(long length) {
    List<Long> out = new ArrayList<>();
    long next = 0; // flat index of the first uncovered leaf
    while (next < 2 * length) {
      Node best = NODES.get(next);
      for (Node p = PARENT.get(best.index); p != null && p.firstLeaf == next && p.lastLeaf < 2 * length; p = PARENT.get(p.index)) {
        best = p;
      }
      out.add(best.index);
      next = best.lastLeaf + 2;
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void fullRootsMatchTheGreedyCoverForEveryLength() {
    for (long length = 0; length <= LEAVES; length++) {
      assertArrayEquals(bruteForceRoots(length), FlatTree.fullRoots(2 * length), "length " + length);
    }
    assertArrayEquals(new long[] {3, 9, 12}, FlatTree.fullRoots(14));
    assertArrayEquals(new long[] {3, 9}, FlatTree.fullRoots(12));
    assertArrayEquals(new long[] {3}, FlatTree.fullRoots(8));
    assertArrayEquals(new long[0], FlatTree.fullRoots(0));
  }

  @Test
  void fullRootsRefusesAnOddIndex() {
    HypercoreException e = assertThrows(HypercoreException.class, () -> FlatTree.fullRoots(7));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }

  @Test
  void identitiesHoldForLargeIndexes() {
    Random rnd = TestSeeds.random("FlatTreeTest.identitiesHoldForLargeIndexes");
    for (int k = 0; k < 20_000; k++) {
      long i = rnd.nextLong() >>> (64 - 52); // below 2^52, where parents stay below 2^53
      int d = FlatTree.depth(i);
      long o = FlatTree.offset(i);
      assertEquals(i, FlatTree.index(d, o));
      assertEquals(i, FlatTree.sibling(FlatTree.sibling(i)));
      long p = FlatTree.parent(i);
      assertEquals(d + 1, FlatTree.depth(p));
      assertEquals(p - (1L << d), FlatTree.leftChild(p)); // children sit 2^depth either side
      assertEquals(p + (1L << d), FlatTree.rightChild(p));
      assertTrue(i == FlatTree.leftChild(p) || i == FlatTree.rightChild(p));
      assertTrue(FlatTree.leftSpan(i) <= i && i <= FlatTree.rightSpan(i));
      assertEquals(FlatTree.countLeaves(i), (FlatTree.rightSpan(i) - FlatTree.leftSpan(i)) / 2 + 1);
    }
    for (int k = 0; k < 2_000; k++) {
      long length = rnd.nextLong() >>> (64 - 52);
      long[] roots = FlatTree.fullRoots(2 * length);
      long leaves = 0;
      long next = 0;
      for (long r : roots) {
        assertEquals(next, FlatTree.leftSpan(r));
        leaves += FlatTree.countLeaves(r);
        next = FlatTree.rightSpan(r) + 2;
      }
      assertEquals(length, leaves);
      assertEquals(2 * length, next);
    }
  }
}
