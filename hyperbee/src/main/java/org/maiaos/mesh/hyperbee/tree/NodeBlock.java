package org.maiaos.mesh.hyperbee.tree;

import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * One decoded Node block, immutable and shareable between readers (it is what the block cache
 * holds): the block's own key and value (null for a deletion, or a put of null) and its index, decoded
 * and checked on first use only, since most visits of a block only need its key.
 */
public final class NodeBlock {
  private final long seq;
  private final byte[] key;
  private final byte[] value;
  private final byte[] encodedIndex;
  private volatile YoloIndex index;
  /** {@link BlockCache}'s CLOCK bit: set on every hit, cleared by a sweep; a lost update only ages the block sooner. */
  boolean referenced;

  NodeBlock(long seq, byte[] key, byte[] value, byte[] encodedIndex) {
    this.seq = seq;
    this.key = key;
    this.value = value;
    this.encodedIndex = encodedIndex;
  }

  public long seq() {
    return seq;
  }

  /** The stored key bytes; not copied, callers must not modify them. */
  public byte[] key() {
    return key;
  }

  /** The stored value bytes or null; not copied, callers must not modify them. */
  public byte[] value() {
    return value;
  }

  public byte[] encodedIndex() {
    return encodedIndex.clone();
  }

  /** Level {@code offset} of the index; DECODING_ERROR if the block has no such level. */
  YoloIndex.Level level(long offset) {
    List<YoloIndex.Level> levels = index().levels();
    if (offset < 0 || offset >= levels.size()) {
      throw CoreError.DECODING_ERROR.error("block %d has no level %d (it has %d)", seq, offset, levels.size());
    }
    return levels.get((int) offset);
  }

  /** The decoded index; DECODING_ERROR if it is malformed. */
  public YoloIndex index() {
    YoloIndex i = index;
    if (i == null) {
      i = BlockCodec.decodeIndex(seq, encodedIndex);
      index = i;
    }
    return i;
  }

  /** hyperbee's BlockEntry.isDeletion: no value, and the block's own seq is not a key of its index. */
  public boolean isDeletion() {
    if (value != null) return false;
    for (YoloIndex.Level l : index().levels()) {
      for (long k : l.keys()) {
        if (k == seq) return false;
      }
    }
    return true;
  }

  /** Approximate heap bytes, for the cache's budget. */
  long weight() {
    return 64L + key.length + (value == null ? 0 : value.length) + 2L * encodedIndex.length;
  }
}
