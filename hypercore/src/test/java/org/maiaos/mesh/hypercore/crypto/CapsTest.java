package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CapsTest {
  @Test
  void constantsAreTheHypercoreNamespaceInOrder() {
    byte[][] ns = Caps.namespace("hypercore", 6);
    assertEquals(Key32.of(ns[0]), Caps.TREE);
    assertEquals(Key32.of(ns[1]), Caps.REPLICATE_INITIATOR);
    assertEquals(Key32.of(ns[2]), Caps.REPLICATE_RESPONDER);
    assertEquals(Key32.of(ns[3]), Caps.MANIFEST);
    assertEquals(Key32.of(ns[4]), Caps.DEFAULT_NAMESPACE);
    assertEquals(Key32.of(ns[5]), Caps.DEFAULT_ENCRYPTION);
    // The published value of lib/caps.js TREE (format notes, section 2.1).
    assertEquals("9fac70b50ca14efc4e91c833b204e75b8b5aad8b5881bfc0adb5ef38a3275b9c", Caps.TREE.hex());
  }

  @Test
  void namespaceIdIsOneByteSoIdsWrapAt256() {
    byte[][] ns = Caps.namespace("x", 258);
    assertArrayEquals(ns[0], ns[256]);
    assertArrayEquals(ns[1], ns[257]);
    assertNotEquals(Key32.of(ns[0]), Key32.of(ns[1]));
    byte[] base = Blake2b.hash("x".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(Blake2b.hash(base, new byte[] {7}), ns[7]);
  }

  @Test
  void discoveryKeyIsTheKeyedHashOfHypercore() {
    Key32 key = Key32.fromHex("8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");
    assertEquals(Key32.of(Blake2b.keyed(key.toByteArray(), "hypercore".getBytes(StandardCharsets.US_ASCII))), Caps.discoveryKey(key));
  }

  @Test
  void replicationCapabilityDependsOnTheSide() {
    Key32 key = Key32.of(new byte[32]);
    byte[] handshake = new byte[64];
    assertNotEquals(Caps.replicate(true, key, handshake), Caps.replicate(false, key, handshake));
    byte[] msg = new byte[64];
    System.arraycopy(Caps.REPLICATE_INITIATOR.toByteArray(), 0, msg, 0, 32);
    assertEquals(Key32.of(Blake2b.keyed(handshake, msg)), Caps.replicate(true, key, handshake));
  }
}
