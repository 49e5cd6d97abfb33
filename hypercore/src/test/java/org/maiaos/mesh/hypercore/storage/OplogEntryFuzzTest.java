package org.maiaos.mesh.hypercore.storage;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * An oplog entry body from any bytes. The input is the body; the target frames it with the length
 * and the CRC32C the reader checks first, so the fuzzer reaches the body decoder rather than the
 * checksum. Decoding gives an entry or DECODING_ERROR (what {@link Oplog#read} catches); an entry
 * re-encodes through {@link OplogEntry#encodeFrame} to a frame that decodes to the same fields.
 */
class OplogEntryFuzzTest {
  @FuzzTest
  void bodyDecodesOrRefuses(byte[] input) {
    byte[] frame = frame(bounded(input));
    OplogEntry e = decodeOrRefuse(() -> OplogEntry.decodeFrame(frame, StorageLimits.DEFAULTS), CoreError.DECODING_ERROR);
    if (e == null) return;
    if (!OplogEntry.checksumMatches(frame)) throw new AssertionError("framed by the target, so the checksum matches");
    List<BlockWrite> blocks = new ArrayList<>();
    int at = e.valuesOffset;
    for (int i = 0; i < e.blockIndex.length; i++) {
      blocks.add(new BlockWrite(e.blockIndex[i], Arrays.copyOfRange(e.buf, at, at + e.blockLength[i])));
      at += e.blockLength[i];
    }
    if (at != e.valuesOffset + e.valuesBytes) throw new AssertionError("block lengths do not add up to the values");
    List<TreeNode> nodes = new ArrayList<>();
    for (int i = 0; i < e.nodeIndex.length; i++) {
      int h = e.nodeHashOffset[i];
      nodes.add(new TreeNode(e.nodeIndex[i], e.nodeSize[i], Arrays.copyOfRange(e.buf, h, h + 32)));
    }
    byte[] again = OplogEntry.encodeFrame(e.seq, e.truncateTo, e.heapOffset, blocks, nodes, e.head, StorageLimits.DEFAULTS);
    OplogEntry f = OplogEntry.decodeFrame(again, StorageLimits.DEFAULTS);
    if (f.seq != e.seq || f.truncateTo != e.truncateTo || f.heapOffset != e.heapOffset
        || !Arrays.equals(f.blockIndex, e.blockIndex) || !Arrays.equals(f.blockLength, e.blockLength)
        || !Arrays.equals(f.nodeIndex, e.nodeIndex) || !Arrays.equals(f.nodeSize, e.nodeSize)
        || !java.util.Objects.equals(f.head, e.head)
        || !Arrays.equals(f.buf, f.valuesOffset, f.valuesOffset + f.valuesBytes, e.buf, e.valuesOffset, e.valuesOffset + e.valuesBytes)) {
      throw new AssertionError("oplog entry round trip changed it");
    }
  }

  /** {@code u32le length | u32le crc32c(length, body) | body}, as {@link OplogEntry#encodeFrame} writes. */
  static byte[] frame(byte[] body) {
    byte[] frame = new byte[OplogEntry.FRAME_HEADER_BYTES + body.length];
    System.arraycopy(body, 0, frame, OplogEntry.FRAME_HEADER_BYTES, body.length);
    ByteBuffer bb = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(0, body.length);
    CRC32C crc = new CRC32C();
    crc.update(frame, 0, 4);
    crc.update(frame, OplogEntry.FRAME_HEADER_BYTES, body.length);
    bb.putInt(4, (int) crc.getValue());
    return frame;
  }
}
