package org.maiaos.mesh.node.mesh;

import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.manifest.Manifest;

/**
 * The key of a named core as corestore 7 derives it, so a JS Corestore with the same primary key
 * opens the same core: a namespace is BLAKE2b-256(parent namespace ‖ name), starting from 32 zero
 * bytes; a core's seed is BLAKE2b-256 keyed with the primary key over
 * {@code NS("corestore") ‖ namespace ‖ name}; its key pair is the Ed25519 key pair of that seed,
 * and its key the hash of the default single-signer manifest (version 1).
 */
public final class StoreKeys {
  /** corestore's DEFAULT_NAMESPACE: 32 zero bytes. */
  public static final Key32 ROOT_NAMESPACE = Key32.of(new byte[32]);
  private static final byte[] NS = Caps.namespace("corestore", 1)[0];

  private StoreKeys() {}

  /** The namespace {@code name} inside {@code parent} (JS {@code store.namespace(name)}). */
  public static Key32 namespace(Key32 parent, String name) {
    return Key32.of(Blake2b.hash(parent.toByteArray(), utf8(name)));
  }

  /** The key pair of the core {@code name} in {@code namespace} (JS {@code store.get({ name })}). */
  public static KeyPair keyPair(Key32 primaryKey, Key32 namespace, String name) {
    if (name == null || name.isEmpty()) throw CoreError.BAD_ARGUMENT.error("a named core needs a name");
    byte[] seed = Blake2b.keyed(primaryKey.toByteArray(), concat(NS, namespace.toByteArray(), utf8(name)));
    return Ed25519.keyPair(seed);
  }

  /** The core key of a named core: its manifest's hash. */
  public static Key32 coreKey(KeyPair keyPair) {
    return Manifest.defaultSigner(keyPair.publicKey()).hash();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
