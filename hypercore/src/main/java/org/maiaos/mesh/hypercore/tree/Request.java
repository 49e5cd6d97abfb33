package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * {@code hypercore/alpha} message 1, {@code wire.request}: ask a peer for a block, a tree node, a
 * byte offset and/or a newer signed head, each with the proof that ties it to what the requester
 * already trusts.
 *
 * <pre>
 * uint flags (1 block, 2 hash, 4 seek, 8 upgrade, 16 manifest, 32 priority) | uint id | uint fork
 * [block] [hash] [seek] [upgrade] [uint priority]
 * </pre>
 *
 * <p>{@code priority} 0 means none: as in JS it is only written when non-zero (a decoded explicit 0
 * reads as 0 and is not written back). Unknown flag bits are ignored, as JS does.
 *
 * @param id chosen by the requester; 0 is reserved for unsolicited data
 * @param fork the fork the requester believes the peer is on
 * @param manifest true when the requester wants the core's manifest in the reply
 */
public record Request(
    long id,
    long fork,
    RequestBlock block,
    RequestHash hash,
    RequestSeek seek,
    RequestUpgrade upgrade,
    boolean manifest,
    long priority) {

  static final int FLAG_BLOCK = 1;
  static final int FLAG_HASH = 2;
  static final int FLAG_SEEK = 4;
  static final int FLAG_UPGRADE = 8;
  static final int FLAG_MANIFEST = 16;
  static final int FLAG_PRIORITY = 32;

  public Request {
    Nodes.requireUint(id, "id");
    Nodes.requireUint(fork, "fork");
    Nodes.requireUint(priority, "priority");
  }

  int flags() {
    return (block != null ? FLAG_BLOCK : 0)
        | (hash != null ? FLAG_HASH : 0)
        | (seek != null ? FLAG_SEEK : 0)
        | (upgrade != null ? FLAG_UPGRADE : 0)
        | (manifest ? FLAG_MANIFEST : 0)
        | (priority != 0 ? FLAG_PRIORITY : 0);
  }

  public static void preencode(State s, Request m) {
    s.end++; // flags, always below 0xFD
    Uint.preencode(s, m.id);
    Uint.preencode(s, m.fork);
    if (m.block != null) RequestBlock.preencode(s, m.block);
    if (m.hash != null) RequestHash.preencode(s, m.hash);
    if (m.seek != null) RequestSeek.preencode(s, m.seek);
    if (m.upgrade != null) RequestUpgrade.preencode(s, m.upgrade);
    if (m.priority != 0) Uint.preencode(s, m.priority);
  }

  public static void encode(State s, Request m) {
    Uint.encode(s, m.flags());
    Uint.encode(s, m.id);
    Uint.encode(s, m.fork);
    if (m.block != null) RequestBlock.encode(s, m.block);
    if (m.hash != null) RequestHash.encode(s, m.hash);
    if (m.seek != null) RequestSeek.encode(s, m.seek);
    if (m.upgrade != null) RequestUpgrade.encode(s, m.upgrade);
    if (m.priority != 0) Uint.encode(s, m.priority);
  }

  /** Decodes one request at the state's position; bytes after it are left for the caller. */
  public static Request decode(State s) {
    try {
      long flags = Uint.decode(s);
      long id = Uint.decode(s);
      long fork = Uint.decode(s);
      RequestBlock block = (flags & FLAG_BLOCK) != 0 ? RequestBlock.decode(s) : null;
      RequestHash hash = (flags & FLAG_HASH) != 0 ? RequestHash.decode(s) : null;
      RequestSeek seek = (flags & FLAG_SEEK) != 0 ? RequestSeek.decode(s) : null;
      RequestUpgrade upgrade = (flags & FLAG_UPGRADE) != 0 ? RequestUpgrade.decode(s) : null;
      long priority = (flags & FLAG_PRIORITY) != 0 ? Uint.decode(s) : 0;
      return new Request(id, fork, block, hash, seek, upgrade, (flags & FLAG_MANIFEST) != 0, priority);
    } catch (HypercoreException e) {
      if (e.code() == CoreError.DECODING_ERROR) throw e;
      throw CoreError.DECODING_ERROR.error(e, "invalid request: %s", e.getMessage());
    } catch (RuntimeException e) {
      throw CoreError.DECODING_ERROR.error(e, "invalid request: %s", e);
    }
  }

  /** The encoding of this request. */
  public byte[] encode() {
    return Codecs.encode(this, Request::preencode, Request::encode);
  }

  /** Decodes a whole buffer holding exactly one request; trailing bytes are a DECODING_ERROR. */
  public static Request decode(byte[] bytes) {
    return Codecs.decodeAll(bytes, Request::decode);
  }
}
