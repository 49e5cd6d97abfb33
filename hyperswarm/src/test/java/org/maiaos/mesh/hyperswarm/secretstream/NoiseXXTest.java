package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

class NoiseXXTest {
  private final KeyPair alice = Ed25519.keyPair();
  private final KeyPair bob = Ed25519.keyPair();

  @Test
  void bothSidesAgreeOnHashKeysAndIdentities() {
    NoiseXX i = new NoiseXX(true, alice);
    NoiseXX r = new NoiseXX(false, bob);
    byte[] m1 = i.send();
    r.recv(m1);
    byte[] m2 = r.send();
    i.recv(m2);
    byte[] m3 = i.send();
    r.recv(m3);
    assertEquals(32, m1.length);
    assertEquals(96, m2.length);
    assertEquals(64, m3.length);
    assertTrue(i.isComplete() && r.isComplete());
    NoiseResult a = i.result();
    NoiseResult b = r.result();
    assertArrayEquals(a.handshakeHash(), b.handshakeHash());
    assertEquals(64, a.handshakeHash().length);
    assertArrayEquals(a.tx(), b.rx());
    assertArrayEquals(a.rx(), b.tx());
    assertFalse(Arrays.equals(a.tx(), a.rx()));
    assertEquals(bob.publicKey(), a.remotePublicKey());
    assertEquals(alice.publicKey(), b.remotePublicKey());
    assertFalse(a.toString().contains(java.util.HexFormat.of().formatHex(a.tx())), "keys stay out of toString");
  }

  @Test
  void payloadsTravelInEveryMessage() {
    NoiseXX i = new NoiseXX(true, alice);
    NoiseXX r = new NoiseXX(false, bob);
    byte[] p1 = "one".getBytes(StandardCharsets.UTF_8);
    byte[] p2 = "two".getBytes(StandardCharsets.UTF_8);
    byte[] p3 = "three".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(p1, r.recv(i.send(p1)));
    assertArrayEquals(p2, i.recv(r.send(p2)));
    assertArrayEquals(p3, r.recv(i.send(p3)));
    assertArrayEquals(i.result().handshakeHash(), r.result().handshakeHash());
  }

  @Test
  void everyBitFlipInMessageTwoOrThreeIsRefused() {
    Random rnd = TestSeeds.random("NoiseXXTest.bitFlips");
    for (int msg = 2; msg <= 3; msg++) {
      for (int trial = 0; trial < 40; trial++) {
        NoiseXX i = new NoiseXX(true, alice);
        NoiseXX r = new NoiseXX(false, bob);
        r.recv(i.send());
        byte[] m2 = r.send();
        if (msg == 2) {
          m2[rnd.nextInt(m2.length)] ^= (byte) (1 << rnd.nextInt(8));
          HypercoreException e = assertThrows(HypercoreException.class, () -> i.recv(m2));
          assertEquals(CoreError.DECODING_ERROR, e.code());
          assertTrue(e.getMessage().startsWith("DECODING_ERROR: Noise handshake message 2"), e.getMessage());
          continue;
        }
        i.recv(m2);
        byte[] m3 = i.send();
        m3[rnd.nextInt(m3.length)] ^= (byte) (1 << rnd.nextInt(8));
        assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> r.recv(m3)).code());
      }
    }
  }

  @Test
  void truncatedMessagesAreRefused() {
    NoiseXX i = new NoiseXX(true, alice);
    NoiseXX r = new NoiseXX(false, bob);
    byte[] m1 = i.send();
    assertEquals(CoreError.DECODING_ERROR,
        assertThrows(HypercoreException.class, () -> new NoiseXX(false, bob).recv(Arrays.copyOf(m1, 31))).code());
    r.recv(m1);
    byte[] m2 = r.send();
    for (int len : new int[] {0, 31, 32, 79, 95}) {
      NoiseXX fresh = new NoiseXX(true, alice);
      NoiseXX peer = new NoiseXX(false, bob);
      peer.recv(fresh.send());
      byte[] good = peer.send();
      assertEquals(CoreError.DECODING_ERROR,
          assertThrows(HypercoreException.class, () -> fresh.recv(Arrays.copyOf(good, len))).code(), "length " + len);
    }
    i.recv(m2);
    byte[] m3 = i.send();
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> r.recv(Arrays.copyOf(m3, 63))).code());
  }

  @Test
  void aSmallOrderEphemeralKeyFailsTheResponder() {
    NoiseXX r = new NoiseXX(false, bob);
    byte[] m1 = new byte[32];
    m1[0] = 1; // the identity point
    r.recv(m1); // only hashed so far, as in JS
    HypercoreException e = assertThrows(HypercoreException.class, r::send);
    assertEquals(CoreError.DECODING_ERROR, e.code());
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, r::send).code());
  }

  @Test
  void aPeerThatRepliesWithAnotherHandshakeIsRefused() {
    // message 2 from a responder that saw a different message 1 cannot authenticate
    NoiseXX i = new NoiseXX(true, alice);
    i.send();
    NoiseXX other = new NoiseXX(true, alice);
    NoiseXX r = new NoiseXX(false, bob);
    r.recv(other.send());
    byte[] m2 = r.send();
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> i.recv(m2)).code());
  }

  @Test
  void callsOutOfTurnAreInvalidOperations() {
    NoiseXX i = new NoiseXX(true, alice);
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> i.recv(new byte[32])).code());
    NoiseXX r = new NoiseXX(false, bob);
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, r::send).code());
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, r::result).code());
  }
}
