package org.maiaos.mesh.hypercore.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Hypercore's domain-separation constants ({@code lib/caps.js}): {@code namespace("hypercore", 6)},
 * computed here rather than pasted, and checked against JS in the interop tests.
 */
public final class Caps {
  private static final byte[][] NS = namespace("hypercore", 6);

  public static final Key32 TREE = Key32.of(NS[0]);
  public static final Key32 REPLICATE_INITIATOR = Key32.of(NS[1]);
  public static final Key32 REPLICATE_RESPONDER = Key32.of(NS[2]);
  public static final Key32 MANIFEST = Key32.of(NS[3]);
  public static final Key32 DEFAULT_NAMESPACE = Key32.of(NS[4]);
  public static final Key32 DEFAULT_ENCRYPTION = Key32.of(NS[5]);

  private static final byte[] HYPERCORE = "hypercore".getBytes(StandardCharsets.US_ASCII);

  private Caps() {}

  /** hypercore-crypto {@code namespace(name, count)}: {@code B2b(B2b(name) || byte(id))} per id. */
  public static byte[][] namespace(String name, int count) {
    byte[] base = Blake2b.hash(name.getBytes(StandardCharsets.UTF_8));
    byte[][] out = new byte[count][];
    byte[] in = new byte[33];
    System.arraycopy(base, 0, in, 0, 32);
    for (int i = 0; i < count; i++) {
      in[32] = (byte) i;
      out[i] = Blake2b.hash(in);
    }
    return out;
  }

  /** {@code discoveryKey(key) = B2b_k(key; "hypercore")}. */
  public static Key32 discoveryKey(Key32 key) {
    return Key32.of(Blake2b.keyed(key.unsafeBytes(), HYPERCORE));
  }

  /** The replication capability: {@code B2b_k(handshakeHash; REPLICATE_x || key)}. */
  public static Key32 replicate(boolean initiator, Key32 key, byte[] handshakeHash) {
    byte[] msg = new byte[64];
    System.arraycopy((initiator ? REPLICATE_INITIATOR : REPLICATE_RESPONDER).unsafeBytes(), 0, msg, 0, 32);
    System.arraycopy(key.unsafeBytes(), 0, msg, 32, 32);
    return Key32.of(Blake2b.keyed(handshakeHash, msg));
  }
}
