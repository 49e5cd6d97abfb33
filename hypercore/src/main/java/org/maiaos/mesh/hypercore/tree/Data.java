package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.manifest.Manifest;

/**
 * {@code hypercore/alpha} message 3, {@code wire.data}: the answer to a {@link Request}, a block,
 * node, seek and/or upgrade proof, and the manifest when it was asked for.
 *
 * <pre>
 * uint flags (1 block, 2 hash, 4 seek, 8 upgrade, 16 manifest) | uint request | uint fork
 * [block] [hash] [seek] [upgrade] [manifest]
 * </pre>
 *
 * <p>Unknown flag bits are ignored, as JS does. Node lists are capped at {@link #MAX_NODES} (JS
 * allows 0x100000; an honest proof of a core below 2^52 blocks never needs more than about 110).
 *
 * @param request the id of the request this answers (0: unsolicited)
 * @param fork the prover's fork
 */
public record Data(
    long request,
    long fork,
    DataBlock block,
    DataHash hash,
    DataSeek seek,
    DataUpgrade upgrade,
    Manifest manifest) {

  /** The most nodes one proof list may hold. */
  public static final int MAX_NODES = 256;

  static final int FLAG_BLOCK = 1;
  static final int FLAG_HASH = 2;
  static final int FLAG_SEEK = 4;
  static final int FLAG_UPGRADE = 8;
  static final int FLAG_MANIFEST = 16;

  public Data {
    Nodes.requireUint(request, "request");
    Nodes.requireUint(fork, "fork");
  }

  int flags() {
    return (block != null ? FLAG_BLOCK : 0)
        | (hash != null ? FLAG_HASH : 0)
        | (seek != null ? FLAG_SEEK : 0)
        | (upgrade != null ? FLAG_UPGRADE : 0)
        | (manifest != null ? FLAG_MANIFEST : 0);
  }

  public static void preencode(State s, Data m) {
    s.end++; // flags, always below 0xFD
    Uint.preencode(s, m.request);
    Uint.preencode(s, m.fork);
    if (m.block != null) DataBlock.preencode(s, m.block);
    if (m.hash != null) DataHash.preencode(s, m.hash);
    if (m.seek != null) DataSeek.preencode(s, m.seek);
    if (m.upgrade != null) DataUpgrade.preencode(s, m.upgrade);
    if (m.manifest != null) Manifest.preencode(s, m.manifest);
  }

  public static void encode(State s, Data m) {
    Uint.encode(s, m.flags());
    Uint.encode(s, m.request);
    Uint.encode(s, m.fork);
    if (m.block != null) DataBlock.encode(s, m.block);
    if (m.hash != null) DataHash.encode(s, m.hash);
    if (m.seek != null) DataSeek.encode(s, m.seek);
    if (m.upgrade != null) DataUpgrade.encode(s, m.upgrade);
    if (m.manifest != null) Manifest.encode(s, m.manifest);
  }

  /** Decodes one data message at the state's position; bytes after it are left for the caller. */
  public static Data decode(State s) {
    try {
      long flags = Uint.decode(s);
      long request = Uint.decode(s);
      long fork = Uint.decode(s);
      DataBlock block = (flags & FLAG_BLOCK) != 0 ? DataBlock.decode(s) : null;
      DataHash hash = (flags & FLAG_HASH) != 0 ? DataHash.decode(s) : null;
      DataSeek seek = (flags & FLAG_SEEK) != 0 ? DataSeek.decode(s) : null;
      DataUpgrade upgrade = (flags & FLAG_UPGRADE) != 0 ? DataUpgrade.decode(s) : null;
      Manifest manifest = (flags & FLAG_MANIFEST) != 0 ? Manifest.decode(s) : null;
      return new Data(request, fork, block, hash, seek, upgrade, manifest);
    } catch (HypercoreException e) {
      if (e.code() == CoreError.DECODING_ERROR) throw e;
      throw CoreError.DECODING_ERROR.error(e, "invalid data: %s", e.getMessage());
    } catch (RuntimeException e) {
      // a codec bug must not escape as anything but a decoding failure of this peer's message
      throw CoreError.DECODING_ERROR.error(e, "invalid data: %s", e);
    }
  }

  /** The encoding of this message. */
  public byte[] encode() {
    return Codecs.encode(this, Data::preencode, Data::encode);
  }

  /** Decodes a whole buffer holding exactly one data message; trailing bytes are a DECODING_ERROR. */
  public static Data decode(byte[] bytes) {
    return Codecs.decodeAll(bytes, Data::decode);
  }
}
