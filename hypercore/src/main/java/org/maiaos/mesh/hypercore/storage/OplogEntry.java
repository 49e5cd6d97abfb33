package org.maiaos.mesh.hypercore.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * One oplog entry: the whole of one commit, with the heap offset its block bytes were given, so a
 * replay writes every byte where the first apply did.
 *
 * <p>Frame: {@code u32le bodyLength | u32le crc32c(bodyLength bytes, body) | body}. Body, in
 * compact-encoding: {@code uint seq | uint flags (1 = truncate, 2 = head) | [uint truncateTo] |
 * uint heapOffset | uint blockCount | blockCount x (uint index, uint length) | uint nodeCount |
 * nodeCount x (uint index, uint size, fixed32 hash) | [head] | the block values, concatenated}.
 * The values come last and contiguous, so they go to the heap in one write.
 *
 * <p>A decoded entry is a view over the frame: arrays of indices and offsets, no copy per block.
 */
final class OplogEntry {
  static final int FRAME_HEADER_BYTES = 8;
  private static final int HAS_TRUNCATE = 1;
  private static final int HAS_HEAD = 2;
  /** The fewest bytes a block (index + length) and a node (index + size + hash) take in the tables. */
  private static final int MIN_BLOCK_BYTES = 2;
  private static final int MIN_NODE_BYTES = 34;

  final long seq;
  final long truncateTo; // -1 = none
  final long heapOffset;
  final long[] blockIndex;
  final int[] blockLength;
  final long[] nodeIndex;
  final long[] nodeSize;
  final int[] nodeHashOffset; // into buf
  final Head head; // null = keep
  final byte[] buf;
  final int valuesOffset; // into buf
  final int valuesBytes;

  private OplogEntry(long seq, long truncateTo, long heapOffset, long[] blockIndex, int[] blockLength, long[] nodeIndex,
      long[] nodeSize, int[] nodeHashOffset, Head head, byte[] buf, int valuesOffset, int valuesBytes) {
    this.seq = seq;
    this.truncateTo = truncateTo;
    this.heapOffset = heapOffset;
    this.blockIndex = blockIndex;
    this.blockLength = blockLength;
    this.nodeIndex = nodeIndex;
    this.nodeSize = nodeSize;
    this.nodeHashOffset = nodeHashOffset;
    this.head = head;
    this.buf = buf;
    this.valuesOffset = valuesOffset;
    this.valuesBytes = valuesBytes;
  }

  /**
   * Encodes one commit as a complete frame. The whole size is computed (in long) and bounded
   * before the one buffer is allocated; BAD_ARGUMENT if a block or the entry is over its limit.
   */
  static byte[] encodeFrame(long seq, long truncateTo, long heapOffset, List<BlockWrite> blocks, List<TreeNode> nodes, Head head,
      StorageLimits limits) {
    int flags = (truncateTo >= 0 ? HAS_TRUNCATE : 0) | (head != null ? HAS_HEAD : 0);
    long size = Uint.size(seq) + Uint.size(flags) + (truncateTo >= 0 ? Uint.size(truncateTo) : 0) + Uint.size(heapOffset);
    size += Uint.size(blocks.size());
    long values = 0;
    for (BlockWrite b : blocks) {
      if (b.index() >= StorageLimits.MAX_BLOCKS) throw CoreError.BAD_ARGUMENT.error("block index %d over the storage limit", b.index());
      int len = b.valueRef().length;
      if (len > limits.maxBlockBytes()) {
        throw CoreError.BAD_ARGUMENT.error("block %d is %d bytes, over the %d-byte limit", b.index(), len, limits.maxBlockBytes());
      }
      size += Uint.size(b.index()) + Uint.size(len);
      values += len;
    }
    size += Uint.size(nodes.size());
    for (TreeNode n : nodes) {
      if (n.index() >= StorageLimits.MAX_NODES) throw CoreError.BAD_ARGUMENT.error("node index %d over the storage limit", n.index());
      size += Uint.size(n.index()) + Uint.size(n.size()) + 32;
    }
    if (head != null) {
      if (head.signature() != null && head.signature().length > limits.maxSignatureBytes()) {
        throw CoreError.BAD_ARGUMENT.error("signature of %d bytes over the %d-byte limit", head.signature().length, limits.maxSignatureBytes());
      }
      size += Head.encodedBytes(head);
    }
    size += values;
    if (size > limits.maxEntryBytes()) {
      throw CoreError.BAD_ARGUMENT.error("commit of %d bytes is over the %d-byte entry limit; split it", size, limits.maxEntryBytes());
    }

    byte[] frame = new byte[FRAME_HEADER_BYTES + (int) size];
    State s = new State();
    s.buffer = frame;
    s.start = FRAME_HEADER_BYTES;
    s.end = frame.length;
    Uint.encode(s, seq);
    Uint.encode(s, flags);
    if (truncateTo >= 0) Uint.encode(s, truncateTo);
    Uint.encode(s, heapOffset);
    Uint.encode(s, blocks.size());
    for (BlockWrite b : blocks) {
      Uint.encode(s, b.index());
      Uint.encode(s, b.valueRef().length);
    }
    Uint.encode(s, nodes.size());
    for (TreeNode n : nodes) {
      Uint.encode(s, n.index());
      Uint.encode(s, n.size());
      Fixed.encode(s, n.hash(), 32);
    }
    if (head != null) Head.encode(s, head);
    for (BlockWrite b : blocks) {
      byte[] v = b.valueRef();
      System.arraycopy(v, 0, frame, s.start, v.length);
      s.start += v.length;
    }
    if (s.start != frame.length) throw CoreError.ASSERTION.error("oplog entry sized %d, encoded %d", frame.length, s.start);
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) size).putInt(4, frameCrc(frame, (int) size));
    return frame;
  }

  /** The body length a frame header declares, as an unsigned number. */
  static long bodyLength(byte[] frame) {
    return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xFFFFFFFFL;
  }

  /** True when the stored checksum matches the length field and the body. */
  static boolean checksumMatches(byte[] frame) {
    int stored = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    return stored == frameCrc(frame, frame.length - FRAME_HEADER_BYTES);
  }

  private static int frameCrc(byte[] frame, int bodyLength) {
    CRC32C crc = new CRC32C();
    crc.update(frame, 0, 4);
    crc.update(frame, FRAME_HEADER_BYTES, bodyLength);
    return (int) crc.getValue();
  }

  /**
   * Decodes the body of a whole frame (its checksum already checked). Every count is bounded by
   * the bytes left, every length by the limits; DECODING_ERROR otherwise.
   */
  static OplogEntry decodeFrame(byte[] frame, StorageLimits limits) {
    State s = State.of(frame, FRAME_HEADER_BYTES, frame.length);
    long seq = Uint.decode(s);
    long flags = Uint.decode(s);
    if ((flags & ~(long) (HAS_TRUNCATE | HAS_HEAD)) != 0) throw CoreError.DECODING_ERROR.error("unknown oplog flags %d", flags);
    long truncateTo = (flags & HAS_TRUNCATE) != 0 ? Uint.decode(s) : -1;
    long heapOffset = Uint.decode(s);

    int blockCount = Uint.decodeCount(s, s.remaining() / MIN_BLOCK_BYTES);
    long[] blockIndex = new long[blockCount];
    int[] blockLength = new int[blockCount];
    long values = 0;
    for (int i = 0; i < blockCount; i++) {
      blockIndex[i] = Uint.decode(s, StorageLimits.MAX_BLOCKS - 1);
      blockLength[i] = (int) Uint.decode(s, limits.maxBlockBytes());
      values += blockLength[i];
    }

    int nodeCount = Uint.decodeCount(s, s.remaining() / MIN_NODE_BYTES);
    long[] nodeIndex = new long[nodeCount];
    long[] nodeSize = new long[nodeCount];
    int[] nodeHashOffset = new int[nodeCount];
    for (int i = 0; i < nodeCount; i++) {
      nodeIndex[i] = Uint.decode(s, StorageLimits.MAX_NODES - 1);
      nodeSize[i] = Uint.decode(s);
      s.require(32);
      nodeHashOffset[i] = s.start;
      s.start += 32;
    }

    Head head = (flags & HAS_HEAD) != 0 ? Head.decode(s, limits.maxSignatureBytes()) : null;
    if (values != s.remaining()) {
      throw CoreError.DECODING_ERROR.error("oplog entry declares %d bytes of blocks, holds %d", values, s.remaining());
    }
    return new OplogEntry(seq, truncateTo, heapOffset, blockIndex, blockLength, nodeIndex, nodeSize, nodeHashOffset, head, frame,
        s.start, (int) values);
  }
}
