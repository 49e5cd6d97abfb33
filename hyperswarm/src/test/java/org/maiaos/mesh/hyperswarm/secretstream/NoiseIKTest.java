package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

class NoiseIKTest {
  static final byte[] PROLOGUE = HexFormat.of().parseHex("14d6d4b49214ab1033ed204976caa258bae9e1e8543b9ad1fd996a910b0c4e3a");
  private final KeyPair client = Ed25519.keyPair();
  private final KeyPair server = Ed25519.keyPair();

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void roundTripsAndBothSidesAgree() {
    Random rnd = TestSeeds.random("NoiseIKTest.roundTrip");
    for (int len : new int[] {0, 1, 5, 20, 300}) {
      byte[] p1 = bytes(rnd, len);
      byte[] p2 = bytes(rnd, len + 3);
      NoiseIK i = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
      NoiseIK r = NoiseIK.responder(server, PROLOGUE);
      assertTrue(i.isSending());
      assertFalse(r.isSending());
      byte[] m1 = i.send(p1);
      assertEquals(96 + len, m1.length);
      assertArrayEquals(p1, r.recv(m1));
      assertEquals(client.publicKey(), r.remoteStaticKey());
      assertFalse(r.isComplete());
      byte[] m2 = r.send(p2);
      assertEquals(48 + p2.length, m2.length);
      assertTrue(r.isComplete());
      assertArrayEquals(p2, i.recv(m2));
      assertTrue(i.isComplete());
      NoiseResult a = i.result();
      NoiseResult b = r.result();
      assertEquals(64, a.handshakeHash().length);
      assertArrayEquals(a.handshakeHash(), b.handshakeHash());
      assertArrayEquals(a.tx(), b.rx());
      assertArrayEquals(a.rx(), b.tx());
      assertFalse(Arrays.equals(a.tx(), a.rx()));
      assertEquals(server.publicKey(), a.remotePublicKey());
      assertEquals(client.publicKey(), b.remotePublicKey());
    }
  }

  private static void assertDecodingError(NoiseIK side, byte[] msg, int n) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> side.recv(msg));
    assertEquals(CoreError.DECODING_ERROR, e.code());
    assertTrue(e.getMessage().startsWith("DECODING_ERROR: Noise IK handshake message " + n), e.getMessage());
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> side.recv(msg)).code());
  }

  @Test
  void tamperedOrTruncatedMessage1FailsCleanly() {
    byte[] m1 = NoiseIK.initiator(client, server.publicKey(), PROLOGUE).send(new byte[] {1, 2, 3});
    for (int pos : new int[] {0, 31, 32, 60, 79, 80, 95, 96, 98}) {
      byte[] bad = m1.clone();
      bad[pos] ^= 1;
      assertDecodingError(NoiseIK.responder(server, PROLOGUE), bad, 1);
    }
    for (int n = 0; n < m1.length; n++) {
      assertDecodingError(NoiseIK.responder(server, PROLOGUE), Arrays.copyOf(m1, n), 1);
    }
    assertDecodingError(NoiseIK.responder(server, PROLOGUE), new byte[65_536], 1);
    // another prologue is another handshake
    assertDecodingError(NoiseIK.responder(server, new byte[32]), m1, 1);
  }

  @Test
  void tamperedOrTruncatedMessage2FailsCleanly() {
    NoiseIK r = NoiseIK.responder(server, PROLOGUE);
    NoiseIK first = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
    r.recv(first.send(new byte[0]));
    byte[] m2 = r.send(new byte[] {9, 8, 7, 6});
    for (int pos = 0; pos < m2.length; pos++) {
      byte[] bad = m2.clone();
      bad[pos] ^= (byte) 0x80;
      NoiseIK i = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
      i.send(new byte[0]); // fresh ephemeral: m2 never matches it, so use the original below too
      assertDecodingError(i, bad, 2);
    }
    // against the initiator that really sent message 1: flip one byte in each region, truncate
    for (int pos : new int[] {0, 31, 32, 35, 36, 51}) {
      NoiseIK i = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
      NoiseIK rr = NoiseIK.responder(server, PROLOGUE);
      rr.recv(i.send(new byte[0]));
      byte[] good = rr.send(new byte[] {9, 8, 7, 6});
      byte[] bad = good.clone();
      bad[pos] ^= 1;
      assertDecodingError(i, bad, 2);
    }
    for (int n = 0; n < m2.length; n++) {
      NoiseIK i = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
      NoiseIK rr = NoiseIK.responder(server, PROLOGUE);
      rr.recv(i.send(new byte[0]));
      byte[] good = rr.send(new byte[] {9, 8, 7, 6});
      assertDecodingError(i, Arrays.copyOf(good, n), 2);
    }
  }

  @Test
  void wrongResponderStaticKeyFails() {
    KeyPair other = Ed25519.keyPair();
    byte[] m1 = NoiseIK.initiator(client, other.publicKey(), PROLOGUE).send(new byte[] {1});
    assertDecodingError(NoiseIK.responder(server, PROLOGUE), m1, 1);
  }

  @Test
  void outOfTurnCallsAreRefused() {
    NoiseIK i = NoiseIK.initiator(client, server.publicKey(), PROLOGUE);
    NoiseIK r = NoiseIK.responder(server, PROLOGUE);
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> i.recv(new byte[48])).code());
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> r.send(new byte[0])).code());
    assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, i::result).code());
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
        () -> NoiseIK.initiator(client, null, PROLOGUE)).code());
  }
}
