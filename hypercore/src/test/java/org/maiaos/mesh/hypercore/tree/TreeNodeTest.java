package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.encoding.State;

class TreeNodeTest {
  private static byte[] encode(TreeNode n) {
    State s = new State();
    TreeNode.preencode(s, n);
    s.alloc();
    TreeNode.encode(s, n);
    assertEquals(s.end, s.start);
    return s.buffer;
  }

  @Test
  void wireFormIsIndexSizeAndHash() {
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) 0xAA);
    assertEquals("fdfd0005" + "aa".repeat(32), HexFormat.of().formatHex(encode(new TreeNode(0xFD, 5, hash))));
  }

  @Test
  void randomNodesRoundTripAndEveryTruncationIsADecodingError() {
    Random rnd = TestSeeds.random("TreeNodeTest.randomNodesRoundTripAndEveryTruncationIsADecodingError");
    for (int i = 0; i < 500; i++) {
      byte[] hash = new byte[32];
      rnd.nextBytes(hash);
      TreeNode n = new TreeNode(rnd.nextLong() >>> (11 + rnd.nextInt(50)), rnd.nextLong() >>> (11 + rnd.nextInt(50)), hash);
      byte[] enc = encode(n);
      assertEquals(n, TreeNode.decode(State.of(enc)));
      for (int len = 0; len < enc.length; len++) {
        byte[] cut = Arrays.copyOf(enc, len);
        HypercoreException e = assertThrows(HypercoreException.class, () -> TreeNode.decode(State.of(cut)));
        assertEquals(CoreError.DECODING_ERROR, e.code());
      }
    }
  }

  @Test
  void equalityCoversTheHashBytes() {
    byte[] h = new byte[32];
    h[0] = 1;
    assertEquals(new TreeNode(2, 3, new byte[32]), new TreeNode(2, 3, new byte[32]));
    assertEquals(new TreeNode(2, 3, new byte[32]).hashCode(), new TreeNode(2, 3, new byte[32]).hashCode());
    assertNotEquals(new TreeNode(2, 3, new byte[32]), new TreeNode(2, 3, h));
    assertNotEquals(new TreeNode(2, 4, new byte[32]), new TreeNode(2, 3, new byte[32]));
  }

  @Test
  void constructorRefusesBadFields() {
    assertThrows(HypercoreException.class, () -> new TreeNode(-1, 0, new byte[32]));
    assertThrows(HypercoreException.class, () -> new TreeNode(0, -1, new byte[32]));
    assertThrows(HypercoreException.class, () -> new TreeNode(0, 0, new byte[31]));
  }
}
