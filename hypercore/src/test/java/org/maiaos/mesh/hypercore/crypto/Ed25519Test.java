package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 8032 section 7.1, TEST 1 (empty message).
  private static final byte[] SEED = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String SIG = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void seedKeyPairAndSignatureMatchRfc8032() {
    KeyPair kp = Ed25519.keyPair(SEED);
    assertEquals(PUBLIC, kp.publicKey().hex());
    assertEquals(HEX.formatHex(SEED) + PUBLIC, HEX.formatHex(kp.secretKey()), "libsodium layout: seed || public key");
    assertArrayEquals(SEED, kp.seed());
    assertEquals(SIG, HEX.formatHex(Ed25519.sign(new byte[0], kp)));
    assertTrue(Ed25519.verify(new byte[0], HEX.parseHex(SIG), kp.publicKey()));
  }

  @Test
  void verifyRejectsTamperingAndWrongSizesWithoutThrowing() {
    KeyPair kp = Ed25519.keyPair(SEED);
    byte[] msg = {1, 2, 3};
    byte[] sig = Ed25519.sign(msg, kp);
    for (int i = 0; i < sig.length; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x40;
      assertFalse(Ed25519.verify(msg, bad, kp.publicKey()), "byte " + i);
    }
    assertFalse(Ed25519.verify(new byte[] {1, 2, 4}, sig, kp.publicKey()));
    assertFalse(Ed25519.verify(msg, Arrays.copyOf(sig, 63), kp.publicKey()));
    assertFalse(Ed25519.verify(msg, Arrays.copyOf(sig, 65), kp.publicKey()));
    assertFalse(Ed25519.verify(msg, null, kp.publicKey()));
    assertFalse(Ed25519.verify(msg, sig, Ed25519.keyPair(new byte[32]).publicKey()));
  }

  @Test
  void seedMustBeThirtyTwoBytesAndVerifyOnlyPairsCannotSign() {
    HypercoreException e = assertThrows(HypercoreException.class, () -> Ed25519.keyPair(new byte[31]));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
    KeyPair pub = Ed25519.publicOnly(Ed25519.keyPair(SEED).publicKey());
    assertNull(pub.secretKey());
    e = assertThrows(HypercoreException.class, () -> Ed25519.sign(new byte[0], pub));
    assertEquals(CoreError.SESSION_NOT_WRITABLE, e.code());
  }

  @Test
  void toStringNeverShowsTheSecretKey() {
    KeyPair kp = Ed25519.keyPair(SEED);
    assertFalse(kp.toString().contains(HEX.formatHex(SEED)));
    assertTrue(kp.toString().contains(PUBLIC));
  }
}
