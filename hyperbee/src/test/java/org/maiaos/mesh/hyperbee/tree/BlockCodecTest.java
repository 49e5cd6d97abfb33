package org.maiaos.mesh.hyperbee.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class BlockCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static YoloIndex index(YoloIndex.Level... levels) {
    return new YoloIndex(List.of(levels));
  }

  private static YoloIndex.Level level(long[] keys, long... children) {
    return new YoloIndex.Level(keys, children);
  }

  private static void assertDecodingError(Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(CoreError.DECODING_ERROR, e.code());
    assertTrue(e.getMessage().startsWith("DECODING_ERROR: "), e.getMessage());
  }

  @Test
  void headerWithoutMetadataIsTheTenByteSpecBlock() {
    byte[] b = BlockCodec.encodeHeader(new HeaderBlock("hyperbee", false, null, null));
    assertEquals("0a086879706572626565", HEX.formatHex(b));
    assertEquals(new HeaderBlock("hyperbee", false, null, null), BlockCodec.decodeHeader(b));
  }

  @Test
  void headerMetadataWritesOnlyTheFieldsThatAreSet() {
    byte[] b = BlockCodec.encodeHeader(new HeaderBlock("hyperbee", true, null, new byte[] {1, 2}));
    assertEquals("0a086879706572626565" + "1204" + "12020102", HEX.formatHex(b));
    HeaderBlock h = BlockCodec.decodeHeader(b);
    assertNull(h.contentFeed());
    assertArrayEquals(new byte[] {1, 2}, h.userData());
    assertEquals("0a0868797065726265651200", HEX.formatHex(BlockCodec.encodeHeader(new HeaderBlock("hyperbee", true, null, null))));
  }

  @Test
  void firstPutOfTheSpecEncodesByteForByte() {
    byte[] idx = BlockCodec.encodeIndex(index(level(new long[] {1})));
    byte[] b = BlockCodec.encodeNode(idx, "a".getBytes(StandardCharsets.UTF_8), "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals("0a050a030a01011201611a077b226e223a317d", HEX.formatHex(b));
    NodeBlock n = BlockCodec.decodeNode(1, b);
    assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), n.key());
    assertEquals(index(level(new long[] {1})), n.index());
    assertFalse(n.isDeletion());
  }

  @Test
  void emptyValueIsWrittenAndNullValueIsOmitted() {
    byte[] idx = BlockCodec.encodeIndex(index(level(new long[] {2})));
    String withEmpty = HEX.formatHex(BlockCodec.encodeNode(idx, new byte[] {0x62}, new byte[0]));
    String withNull = HEX.formatHex(BlockCodec.encodeNode(idx, new byte[] {0x62}, null));
    assertEquals(withNull + "1a00", withEmpty);
    assertArrayEquals(new byte[0], BlockCodec.decodeNode(2, HEX.parseHex(withEmpty)).value());
    assertNull(BlockCodec.decodeNode(2, HEX.parseHex(withNull)).value());
  }

  @Test
  void emptyIndexAndEmptyLevelAreStillWritten() {
    assertEquals("0a00120161", HEX.formatHex(BlockCodec.encodeNode(new byte[0], new byte[] {0x61}, null)));
    assertEquals("0a00", HEX.formatHex(BlockCodec.encodeIndex(index(level(new long[0])))));
    assertEquals("", HEX.formatHex(BlockCodec.encodeIndex(index())));
  }

  @Test
  void childrenArePackedAfterKeys() {
    byte[] idx = BlockCodec.encodeIndex(index(level(new long[] {300, 5}, 7, 1, 3, 0, 2, 2)));
    // 0a len [0a 03 ac02 05] [12 06 07 01 03 00 02 02]
    assertEquals("0a0d" + "0a03ac0205" + "1206070103000202", HEX.formatHex(idx));
    assertEquals(index(level(new long[] {300, 5}, 7, 1, 3, 0, 2, 2)), BlockCodec.decodeIndex(300, idx));
  }

  @Test
  void aDeletionHasNoValueAndDoesNotPointAtItself() {
    byte[] idx = BlockCodec.encodeIndex(index(level(new long[] {1, 2})));
    assertTrue(BlockCodec.decodeNode(3, BlockCodec.encodeNode(idx, new byte[] {9}, null)).isDeletion());
    // A put of null points at itself, so it is not a deletion.
    byte[] self = BlockCodec.encodeIndex(index(level(new long[] {1, 3})));
    assertFalse(BlockCodec.decodeNode(3, BlockCodec.encodeNode(self, new byte[] {9}, null)).isDeletion());
  }

  @Test
  void rejectsGarbageTruncatedAndIncompleteBlocks() {
    byte[] good = HEX.parseHex("0a050a030a01011201611a077b226e223a317d");
    assertDecodingError(() -> BlockCodec.decodeNode(1, HEX.parseHex("ffffffff")));
    for (int cut = 1; cut < good.length; cut++) {
      byte[] t = Arrays.copyOf(good, cut);
      if (cut == 10) {
        // cut right after the key: a whole node whose value is absent
        assertNull(BlockCodec.decodeNode(1, t).value());
        continue;
      }
      assertDecodingError(() -> BlockCodec.decodeNode(1, t));
    }
    assertDecodingError(() -> BlockCodec.decodeNode(1, HEX.parseHex("0a00"))); // key missing
    assertDecodingError(() -> BlockCodec.decodeNode(1, HEX.parseHex("120161"))); // index missing
    assertDecodingError(() -> BlockCodec.decodeHeader(HEX.parseHex("1200"))); // protocol missing
    assertDecodingError(() -> BlockCodec.decodeHeader(HEX.parseHex("0a09686970")));
    assertDecodingError(() -> BlockCodec.decodeIndex(1, HEX.parseHex("0a050a0301")));
    assertDecodingError(() -> BlockCodec.decodeIndex(1, HEX.parseHex("0f")));
  }

  @Test
  void unknownFieldsAreSkipped() {
    // field 7 varint 1, then the spec's node
    NodeBlock n = BlockCodec.decodeNode(1, HEX.parseHex("3801" + "0a050a030a01011201611a077b226e223a317d"));
    assertArrayEquals(new byte[] {0x61}, n.key());
  }

  @Test
  void rejectsPointersOutOfRange() {
    long tooBig = 1L << 53;
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {0})))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {-1L})))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {tooBig})))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, tooBig, 0, 1, 0)))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 0, 0, 1, 0)))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 2, -1L, 1, 0)))));
    // a pointer into this block must name one of its levels
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 5, 1, 5, 2), level(new long[] {2})))));
  }

  @Test
  void acceptsForwardPointersAsTrimmedBatchBlocksHaveThem() {
    // a node kept in a non-final batch block points at children the batch rewrote later
    YoloIndex i = index(level(new long[] {3, 9}, 7, 0, 9, 1, 5, 1), level(new long[] {4}));
    assertEquals(i, BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(i)));
  }

  @Test
  void rejectsALevelThatPointsAtItself() {
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 5, 0, 5, 1), level(new long[] {2})))));
  }

  @Test
  void rejectsMalformedNodeShapes() {
    // children must be absent or one more than the keys, as pairs
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 2, 0)))));
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(new long[] {1}, 2, 0, 3)))));
    long[] nine = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    assertDecodingError(() -> BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(nine)))));
    long[] eight = {1, 1, 1, 1, 1, 1, 1, 1};
    assertEquals(8, BlockCodec.decodeIndex(5, BlockCodec.encodeIndex(index(level(eight)))).levels().get(0).keyCount());
  }

  @Test
  void aMalformedIndexFailsOnlyWhenItIsRead() {
    NodeBlock n = BlockCodec.decodeNode(3, BlockCodec.encodeNode(HEX.parseHex("0a020a"), new byte[] {1}, new byte[] {2}));
    assertArrayEquals(new byte[] {1}, n.key());
    assertDecodingError(n::index);
  }
}
