package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * cojson's {@code <prefix>_z<base58>} texts for keys, hashes and signatures
 * ({@code crates/cojson-core/src/core/keys.rs}). The Rust core decodes everything after the first
 * {@code _z} whatever the prefix; we also require the expected prefix and length, which every text
 * a real client writes has.
 */
final class ZEncoded {
  private ZEncoded() {}

  /** {@code prefix + base58(bytes)}, e.g. {@code encode("hash_z", h)}. */
  static String encode(String prefix, byte[] bytes) {
    return prefix + Base58.encode(bytes);
  }

  /**
   * The {@code length} bytes after {@code prefix}; {@code code} with a detail naming {@code what}
   * when the prefix differs, the rest is not base58, or it decodes to another length.
   */
  static byte[] decode(String text, String prefix, int length, SyncError code, String what) {
    if (text == null) throw code.error("%s missing", what);
    if (!text.startsWith(prefix)) throw code.error("%s does not start with %s", what, prefix);
    String body = text.substring(prefix.length());
    if (!Base58.isBase58(body)) throw code.error("%s is not %s followed by base58", what, prefix);
    // a 32- or 64-byte value needs at most 44 / 88 base58 characters; a longer text cannot be one
    if (body.length() > 2 * length) throw code.error("%s has %d base58 characters, too many for %d bytes", what, body.length(), length);
    byte[] bytes;
    try {
      bytes = Base58.decode(body);
    } catch (HypercoreException e) {
      throw code.error("%s is not %s followed by base58", what, prefix);
    }
    if (bytes.length != length) throw code.error("%s decodes to %d bytes, not %d", what, bytes.length, length);
    return bytes;
  }
}
