package org.maiaos.mesh.node.mesh;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Mesh channel message 1: "which blocks of your bee, at this length, does a read of this CoValue
 * visit?" The answer ({@link MeshBlocks}) lets the reader fetch them all in one round trip instead
 * of one round trip per B-tree level. Encoded with compact-encoding: uint request, uint bee
 * length, string CoValue id (at most {@link MeshChanged#MAX_ID_BYTES} bytes).
 */
record MeshReadAhead(long request, long length, String id) {
  static final int TYPE = 1;
  static final int MAX_BYTES = 9 + 9 + 1 + MeshChanged.MAX_ID_BYTES;

  public MeshReadAhead {
    if (request < 0 || length < 0) throw CoreError.BAD_ARGUMENT.error("request %d, length %d", request, length);
    if (id == null || id.isEmpty() || Bytes.utf8(id).length > MeshChanged.MAX_ID_BYTES) throw CoreError.BAD_ARGUMENT.error("bad CoValue id");
  }

  public byte[] toBytes() {
    return Codecs.encode(this, MeshReadAhead::preencode, MeshReadAhead::encode);
  }

  /** DECODING_ERROR for anything but one well-formed request within the bounds. */
  public static MeshReadAhead fromBytes(byte[] b) {
    if (b.length > MAX_BYTES) throw CoreError.DECODING_ERROR.error("mesh read-ahead of %d bytes over %d", b.length, MAX_BYTES);
    return Codecs.decodeAll(b, MeshReadAhead::decode);
  }

  static void preencode(State s, MeshReadAhead m) {
    Uint.preencode(s, m.request);
    Uint.preencode(s, m.length);
    Bytes.preencodeString(s, m.id);
  }

  static void encode(State s, MeshReadAhead m) {
    Uint.encode(s, m.request);
    Uint.encode(s, m.length);
    Bytes.encodeString(s, m.id);
  }

  static MeshReadAhead decode(State s) {
    long request = Uint.decode(s, Uint.MAX_SAFE);
    long length = Uint.decode(s, Uint.MAX_SAFE);
    String id = Bytes.decodeString(s);
    try {
      return new MeshReadAhead(request, length, id);
    } catch (org.maiaos.mesh.hypercore.HypercoreException e) {
      throw CoreError.DECODING_ERROR.error("mesh read-ahead: %s", e.getMessage());
    }
  }
}
