package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class CurveEdTest {
  private static KeyPair pair(int fill) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) fill);
    return Ed25519.keyPair(seed);
  }

  @Test
  void bothSidesDeriveTheSameSecret() {
    KeyPair a = pair(1);
    KeyPair b = pair(2);
    byte[] ab = CurveEd.dh(b.publicKey(), a);
    byte[] ba = CurveEd.dh(a.publicKey(), b);
    assertArrayEquals(ab, ba);
    assertEquals(32, ab.length);
    assertFalse(Arrays.equals(ab, CurveEd.dh(pair(3).publicKey(), a)));
  }

  @Test
  void refusesTheIdentityAndSmallOrderPoints() {
    KeyPair a = pair(1);
    HexFormat hex = HexFormat.of();
    String[] bad = {
      "0100000000000000000000000000000000000000000000000000000000000000", // identity
      "0000000000000000000000000000000000000000000000000000000000000000", // order 4
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p - 1, order 2
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
    };
    for (String h : bad) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> CurveEd.dh(Key32.of(hex.parseHex(h)), a), h);
      assertEquals(CoreError.DECODING_ERROR, e.code());
    }
  }

  @Test
  void needsASecretKey() {
    KeyPair a = pair(1);
    HypercoreException e = assertThrows(HypercoreException.class, () -> CurveEd.dh(a.publicKey(), Ed25519.publicOnly(a.publicKey())));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }
}
