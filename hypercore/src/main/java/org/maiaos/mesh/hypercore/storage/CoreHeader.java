package org.maiaos.mesh.hypercore.storage;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * What never changes for a stored core: its key, its encoded manifest, and the secret key of a
 * writable core (null for a read-only replica). The arrays are copied in and out.
 *
 * <p>Disk form (inside the checkpoint): {@code fixed32 key | optionalBuffer manifest | optionalBuffer secretKey}.
 */
public record CoreHeader(Key32 key, byte[] manifest, byte[] secretKey) {
  static final int SECRET_KEY_BYTES = 64;

  public CoreHeader {
    if (key == null) throw CoreError.BAD_ARGUMENT.error("core header needs a key");
    if (manifest != null && manifest.length == 0) throw CoreError.BAD_ARGUMENT.error("an empty manifest; use null for unknown");
    if (secretKey != null && secretKey.length != SECRET_KEY_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("secret key must be %d bytes, got %d", SECRET_KEY_BYTES, secretKey.length);
    }
    manifest = manifest == null ? null : manifest.clone();
    secretKey = secretKey == null ? null : secretKey.clone();
  }

  @Override
  /** The encoded manifest, or null while a replica known only by its key has not learned it. */
  public byte[] manifest() {
    return manifest == null ? null : manifest.clone();
  }

  @Override
  public byte[] secretKey() {
    return secretKey == null ? null : secretKey.clone();
  }

  static void preencode(State s, CoreHeader h) {
    s.end += 32;
    Bytes.preencodeOptional(s, h.manifest);
    Bytes.preencodeOptional(s, h.secretKey);
  }

  static void encode(State s, CoreHeader h) {
    Fixed.encode(s, h.key.toByteArray(), 32);
    Bytes.encodeOptional(s, h.manifest);
    Bytes.encodeOptional(s, h.secretKey);
  }

  /** DECODING_ERROR on short input; BAD_ARGUMENT (from the constructor) on a wrong-sized secret key. */
  static CoreHeader decode(State s) {
    Key32 key = Key32.of(Fixed.decode(s, 32));
    byte[] manifest = Bytes.decodeOptional(s);
    byte[] secretKey = Bytes.decodeOptional(s);
    return new CoreHeader(key, manifest, secretKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoreHeader h
        && key.equals(h.key)
        && Arrays.equals(manifest, h.manifest)
        && Arrays.equals(secretKey, h.secretKey);
  }

  @Override
  public int hashCode() {
    return (key.hashCode() * 31 + Arrays.hashCode(manifest)) * 31 + Arrays.hashCode(secretKey);
  }

  /** Never prints the secret key, only whether there is one. */
  @Override
  public String toString() {
    // a replica known only by its key has no manifest yet (null): printing it must not throw
    return "CoreHeader[key=" + key + ", manifest=" + (manifest == null ? "unknown" : manifest.length + " bytes") + ", "
        + (secretKey == null ? "read-only" : "writable") + "]";
  }
}
