package org.maiaos.mesh.hypercore.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * Random manifests of every shape the format allows, each in the normal form JS's
 * {@code createManifest} produces (explicit quorum and namespaces; {@code linked} null or non-empty;
 * a v0 prologue only without signers, with length 0), so that encoding them here and building them
 * in JS give the same bytes.
 */
final class RandomManifests {
  private RandomManifests() {}

  static Key32 randomKey(Random rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Key32.of(b);
  }

  static byte[] seed(Random rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return b;
  }

  /** A manifest whose signers are the given key pairs. */
  static Manifest withSigners(Random rnd, List<KeyPair> signerKeys) {
    return random(rnd, signerKeys.stream().map(KeyPair::publicKey).toList());
  }

  /** A manifest with 0 to {@code maxSigners} random public keys as signers. */
  static Manifest random(Random rnd, int maxSigners) {
    List<Key32> keys = new ArrayList<>();
    for (int i = rnd.nextInt(maxSigners + 1); i > 0; i--) keys.add(randomKey(rnd));
    return random(rnd, keys);
  }

  private static Manifest random(Random rnd, List<Key32> publicKeys) {
    int version = rnd.nextInt(3);
    List<Signer> signers = new ArrayList<>();
    for (Key32 pk : publicKeys) {
      signers.add(new Signer(rnd.nextInt(3) == 0 ? randomKey(rnd) : Caps.DEFAULT_NAMESPACE, pk));
    }
    int n = signers.size();
    if (version == 0) {
      if (n == 0 && rnd.nextBoolean()) {
        return new Manifest(0, false, 0, signers, new Prologue(randomKey(rnd), 0), null, null);
      }
      return new Manifest(0, n > 1 && rnd.nextBoolean(), n == 0 ? 0 : 1 + rnd.nextInt(n), signers, null, null, null);
    }
    Prologue prologue = rnd.nextInt(3) == 0 ? new Prologue(randomKey(rnd), randomLength(rnd)) : null;
    List<Key32> linked = null;
    byte[] userData = null;
    if (version == 2) {
      if (rnd.nextBoolean()) {
        linked = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) linked.add(randomKey(rnd));
      }
      if (rnd.nextBoolean()) {
        userData = new byte[rnd.nextInt(300)];
        rnd.nextBytes(userData);
      }
    }
    int quorum = n == 0 ? 0 : rnd.nextInt(n + 1);
    return new Manifest(version, rnd.nextBoolean(), quorum, signers, prologue, linked, userData);
  }

  /** A length spread over every uint width, up to 2^53-1. */
  static long randomLength(Random rnd) {
    int bits = 1 + rnd.nextInt(53);
    return rnd.nextLong() >>> (64 - bits);
  }
}
