package org.maiaos.mesh.hyperbee.tree;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hyperbee.proto.HyperbeeProto;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The Hyperbee 2 block codec: {@link HeaderBlock}, Node blocks and {@link YoloIndex} to and from
 * protobuf bytes, byte-identical to hyperbee's generated {@code lib/messages.js}. protobuf-java
 * writes proto2 fields in field-number order, omits unset optional fields, writes a set-but-empty
 * bytes field ({@code 1A 00}), writes an empty repeated Level message ({@code 0A 00}) and omits an
 * empty packed list: the same choices the JS encoder makes (BlockCodecInteropIT proves it).
 * Generated types never leave this class.
 */
public final class BlockCodec {
  /** JS numbers are exact up to 2^53 - 1; no core is longer. */
  static final long MAX_POINTER = (1L << 53) - 1;

  private BlockCodec() {}

  public static byte[] encodeHeader(HeaderBlock h) {
    HyperbeeProto.Header.Builder b = HyperbeeProto.Header.newBuilder().setProtocol(h.protocol());
    if (h.hasMetadata()) {
      HyperbeeProto.Header.Metadata.Builder m = HyperbeeProto.Header.Metadata.newBuilder();
      byte[] cf = h.contentFeed();
      byte[] ud = h.userData();
      if (cf != null) m.setContentFeed(ByteString.copyFrom(cf));
      if (ud != null) m.setUserData(ByteString.copyFrom(ud));
      b.setMetadata(m);
    }
    return b.build().toByteArray();
  }

  public static HeaderBlock decodeHeader(byte[] block) {
    try {
      HyperbeeProto.Header h = HyperbeeProto.Header.parseFrom(block);
      if (!h.hasMetadata()) return new HeaderBlock(h.getProtocol(), false, null, null);
      HyperbeeProto.Header.Metadata m = h.getMetadata();
      return new HeaderBlock(h.getProtocol(), true,
          m.hasContentFeed() ? m.getContentFeed().toByteArray() : null,
          m.hasUserData() ? m.getUserData().toByteArray() : null);
    } catch (InvalidProtocolBufferException e) {
      throw CoreError.DECODING_ERROR.error(e, "block 0 is not a hyperbee header: %s", e.getMessage());
    }
  }

  /** One Node block: {@code index} (already encoded), {@code key}, and {@code value} unless null. */
  public static byte[] encodeNode(byte[] index, byte[] key, byte[] value) {
    HyperbeeProto.Node.Builder b = HyperbeeProto.Node.newBuilder()
        .setIndex(ByteString.copyFrom(index))
        .setKey(ByteString.copyFrom(key));
    if (value != null) b.setValue(ByteString.copyFrom(value));
    return b.build().toByteArray();
  }

  /** Decodes the Node block stored at {@code seq}; the index stays encoded until asked for. */
  public static NodeBlock decodeNode(long seq, byte[] block) {
    try {
      HyperbeeProto.Node n = HyperbeeProto.Node.parseFrom(block);
      return new NodeBlock(seq, n.getKey().toByteArray(), n.hasValue() ? n.getValue().toByteArray() : null,
          n.getIndex().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw CoreError.DECODING_ERROR.error(e, "block %d is not a hyperbee node: %s", seq, e.getMessage());
    }
  }

  public static byte[] encodeIndex(YoloIndex index) {
    HyperbeeProto.YoloIndex.Builder b = HyperbeeProto.YoloIndex.newBuilder();
    for (YoloIndex.Level l : index.levels()) {
      HyperbeeProto.YoloIndex.Level.Builder lb = HyperbeeProto.YoloIndex.Level.newBuilder();
      for (long k : l.keys()) lb.addKeys(k);
      for (long c : l.children()) lb.addChildren(c);
      b.addLevels(lb);
    }
    return b.build().toByteArray();
  }

  /**
   * Decodes and checks the index of the block at {@code seq}: pointers are at least 1 (block 0 is
   * the header) and at most 2^53 - 1, a pointer into this same block names another of its levels,
   * and a level has either no children or one more than its keys. Pointers may name later blocks:
   * the trimmed blocks inside a batch point at nodes the batch rewrote further on. So the upper
   * bound is checked when a pointer is followed (against the version's length), and cycles are
   * caught by the depth bound of every walk ({@link Limits#MAX_DEPTH}).
   */
  public static YoloIndex decodeIndex(long seq, byte[] index) {
    HyperbeeProto.YoloIndex yi;
    try {
      yi = HyperbeeProto.YoloIndex.parseFrom(index);
    } catch (InvalidProtocolBufferException e) {
      throw CoreError.DECODING_ERROR.error(e, "block %d has a malformed index: %s", seq, e.getMessage());
    }
    int levelCount = yi.getLevelsCount();
    List<YoloIndex.Level> levels = new ArrayList<>(levelCount);
    for (int i = 0; i < levelCount; i++) {
      HyperbeeProto.YoloIndex.Level l = yi.getLevels(i);
      int keyCount = l.getKeysCount();
      int childWords = l.getChildrenCount();
      if (keyCount > Limits.MAX_KEYS_PER_NODE) {
        throw CoreError.DECODING_ERROR.error("block %d level %d has %d keys (max %d)", seq, i, keyCount, Limits.MAX_KEYS_PER_NODE);
      }
      if (childWords != 0 && childWords != 2 * (keyCount + 1)) {
        throw CoreError.DECODING_ERROR.error("block %d level %d has %d keys but %d child words", seq, i, keyCount, childWords);
      }
      long[] keys = new long[keyCount];
      for (int k = 0; k < keyCount; k++) {
        long p = l.getKeys(k);
        if (p < 1 || p > MAX_POINTER) throw CoreError.DECODING_ERROR.error("block %d level %d: key pointer %s out of range", seq, i, Long.toUnsignedString(p));
        keys[k] = p;
      }
      long[] children = new long[childWords];
      for (int c = 0; c < childWords; c += 2) {
        long s = l.getChildren(c);
        long o = l.getChildren(c + 1);
        if (s < 1 || s > MAX_POINTER) throw CoreError.DECODING_ERROR.error("block %d level %d: child pointer %s out of range", seq, i, Long.toUnsignedString(s));
        if (o < 0 || o >= Limits.MAX_LEVELS || (s == seq && (o >= levelCount || o == i))) {
          throw CoreError.DECODING_ERROR.error("block %d level %d: child offset %s out of range", seq, i, Long.toUnsignedString(o));
        }
        children[c] = s;
        children[c + 1] = o;
      }
      levels.add(new YoloIndex.Level(keys, children));
    }
    return new YoloIndex(levels);
  }
}
