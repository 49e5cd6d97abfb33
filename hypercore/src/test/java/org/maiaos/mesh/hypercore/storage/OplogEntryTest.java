package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.tree.TreeNode;

class OplogEntryTest {
  private static final StorageLimits LIMITS = StorageLimits.DEFAULTS;

  private static byte[] sample() {
    List<BlockWrite> blocks = List.of(new BlockWrite(5, "five".getBytes()), new BlockWrite(300, new byte[0]), new BlockWrite(70_000, "x".getBytes()));
    List<TreeNode> nodes = List.of(new TreeNode(10, 4, Fixtures.hash32("a")), new TreeNode((1L << 37) + 5, 99, Fixtures.hash32("b")));
    return OplogEntry.encodeFrame(7, 3, 1234, blocks, nodes, Fixtures.head(2, 3, 9, "h"), LIMITS);
  }

  @Test
  void encodedFrameDecodesToTheSameCommit() {
    byte[] frame = sample();
    assertTrue(OplogEntry.checksumMatches(frame));
    assertEquals(frame.length - 8, OplogEntry.bodyLength(frame));
    OplogEntry e = OplogEntry.decodeFrame(frame, LIMITS);
    assertEquals(7, e.seq);
    assertEquals(3, e.truncateTo);
    assertEquals(1234, e.heapOffset);
    assertArrayEquals(new long[] {5, 300, 70_000}, e.blockIndex);
    assertArrayEquals(new int[] {4, 0, 1}, e.blockLength);
    assertEquals(5, e.valuesBytes);
    assertArrayEquals("fivex".getBytes(), Arrays.copyOfRange(e.buf, e.valuesOffset, e.valuesOffset + e.valuesBytes));
    assertArrayEquals(new long[] {10, (1L << 37) + 5}, e.nodeIndex);
    assertArrayEquals(new long[] {4, 99}, e.nodeSize);
    assertArrayEquals(Fixtures.hash32("b"), Arrays.copyOfRange(e.buf, e.nodeHashOffset[1], e.nodeHashOffset[1] + 32));
    assertEquals(Fixtures.head(2, 3, 9, "h"), e.head);
  }

  @Test
  void entryWithoutTruncationOrHeadDecodesWithNeither() {
    byte[] frame = OplogEntry.encodeFrame(1, -1, 0, List.of(), List.of(), null, LIMITS);
    OplogEntry e = OplogEntry.decodeFrame(frame, LIMITS);
    assertEquals(-1, e.truncateTo);
    assertNull(e.head);
    assertEquals(0, e.blockIndex.length);
  }

  @Test
  void everyTruncatedBodyFailsToDecodeOrItsChecksum() {
    byte[] frame = sample();
    for (int len = 8; len < frame.length; len++) {
      byte[] cut = Arrays.copyOf(frame, len);
      assertFalse(OplogEntry.checksumMatches(cut), "cut at " + len);
      HypercoreException e = assertThrows(HypercoreException.class, () -> OplogEntry.decodeFrame(cut, LIMITS), "cut at " + len);
      assertEquals(CoreError.DECODING_ERROR, e.code());
    }
  }

  @Test
  void everyFlippedBitFailsTheChecksum() {
    byte[] frame = sample();
    for (int bit = 0; bit < frame.length * 8; bit++) {
      byte[] f = frame.clone();
      f[bit / 8] ^= (byte) (1 << (bit % 8));
      if (bit / 8 < 4) continue; // a damaged length field is caught by the bounds or the torn read, not here
      assertFalse(OplogEntry.checksumMatches(f), "bit " + bit);
    }
  }

  @Test
  void blockLengthsOverTheLimitAreRefusedOnBothSides() {
    StorageLimits small = new StorageLimits(4, 1000, 100, 100, 1000);
    List<BlockWrite> ok = List.of(new BlockWrite(0, new byte[4]));
    byte[] frame = OplogEntry.encodeFrame(1, -1, 0, ok, List.of(), null, small);
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
        () -> OplogEntry.encodeFrame(1, -1, 0, List.of(new BlockWrite(0, new byte[5])), List.of(), null, small)).code());
    StorageLimits smaller = new StorageLimits(3, 1000, 100, 100, 1000);
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> OplogEntry.decodeFrame(frame, smaller)).code());
  }

  @Test
  void entryAtTheSizeLimitEncodesAndOneByteMoreIsRefused() {
    byte[] frame = OplogEntry.encodeFrame(1, -1, 0, List.of(new BlockWrite(0, new byte[100])), List.of(), null, LIMITS);
    int body = frame.length - 8;
    StorageLimits exact = new StorageLimits(1000, body, 100, 100, 1000);
    OplogEntry.encodeFrame(1, -1, 0, List.of(new BlockWrite(0, new byte[100])), List.of(), null, exact);
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
        () -> OplogEntry.encodeFrame(1, -1, 0, List.of(new BlockWrite(0, new byte[101])), List.of(), null, exact)).code());
  }
}
