package org.maiaos.mesh.node.mesh;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Mesh channel message 0: "these CoValues changed in my bee, which now has this length, at this
 * time". A hint only: the reader reads the CoValues from the sender's bee, verified, and trusts
 * nothing here; the time (the sender's clock, epoch milliseconds, when the write was durable) only
 * measures propagation lag. Encoded with compact-encoding: uint bee length, uint time, uint count,
 * then each id as a string. At most {@link #MAX_IDS} ids of at most {@link #MAX_ID_BYTES} bytes each.
 */
record MeshChanged(long beeLength, long writtenAtMillis, List<String> ids) {
  static final int TYPE = 0;
  public static final int MAX_IDS = 64;
  /** A CoValue id is {@code co_z} and base58 of a 32-byte hash: under 50 bytes. */
  static final int MAX_ID_BYTES = 96;
  static final int MAX_BYTES = 9 + 9 + 1 + MAX_IDS * (1 + MAX_ID_BYTES);

  public MeshChanged {
    if (beeLength < 0 || writtenAtMillis < 0) throw CoreError.BAD_ARGUMENT.error("bee length %d, time %d", beeLength, writtenAtMillis);
    if (ids.size() > MAX_IDS) throw CoreError.BAD_ARGUMENT.error("%d ids, at most %d", ids.size(), MAX_IDS);
    for (String id : ids) {
      if (id.isEmpty() || Bytes.utf8(id).length > MAX_ID_BYTES) throw CoreError.BAD_ARGUMENT.error("id of %d characters", id.length());
    }
    ids = List.copyOf(ids);
  }

  public byte[] toBytes() {
    return Codecs.encode(this, MeshChanged::preencode, MeshChanged::encode);
  }

  /** DECODING_ERROR for anything but one well-formed message within the bounds. */
  public static MeshChanged fromBytes(byte[] b) {
    if (b.length > MAX_BYTES) throw CoreError.DECODING_ERROR.error("mesh changed of %d bytes over %d", b.length, MAX_BYTES);
    return Codecs.decodeAll(b, MeshChanged::decode);
  }

  static void preencode(State s, MeshChanged m) {
    Uint.preencode(s, m.beeLength);
    Uint.preencode(s, m.writtenAtMillis);
    Uint.preencode(s, m.ids.size());
    for (String id : m.ids) Bytes.preencodeString(s, id);
  }

  static void encode(State s, MeshChanged m) {
    Uint.encode(s, m.beeLength);
    Uint.encode(s, m.writtenAtMillis);
    Uint.encode(s, m.ids.size());
    for (String id : m.ids) Bytes.encodeString(s, id);
  }

  static MeshChanged decode(State s) {
    long length = Uint.decode(s, Uint.MAX_SAFE);
    long writtenAt = Uint.decode(s, Uint.MAX_SAFE);
    int n = Uint.decodeCount(s, MAX_IDS);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) ids.add(Bytes.decodeString(s));
    try {
      return new MeshChanged(length, writtenAt, ids);
    } catch (org.maiaos.mesh.hypercore.HypercoreException e) {
      throw CoreError.DECODING_ERROR.error("mesh changed: %s", e.getMessage());
    }
  }
}
