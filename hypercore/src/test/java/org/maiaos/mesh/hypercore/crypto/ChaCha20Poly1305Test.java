package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

/** libsodium's IETF construction against the JDK's ChaCha20-Poly1305 (RFC 8439). */
class ChaCha20Poly1305Test {
  @Test
  void matchesTheJdkAndRoundTrips() throws Exception {
    Random rnd = TestSeeds.random("ChaCha20Poly1305Test");
    for (int i = 0; i < 30; i++) {
      byte[] key = new byte[32];
      byte[] nonce = new byte[12];
      byte[] ad = new byte[rnd.nextInt(100)];
      byte[] m = new byte[rnd.nextInt(1000)];
      rnd.nextBytes(key);
      rnd.nextBytes(nonce);
      rnd.nextBytes(ad);
      rnd.nextBytes(m);
      Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
      jdk.updateAAD(ad);
      byte[] c = ChaCha20Poly1305.encrypt(key, nonce, ad, m);
      assertArrayEquals(jdk.doFinal(m), c);
      assertArrayEquals(m, ChaCha20Poly1305.decrypt(key, nonce, ad, c));
    }
  }

  @Test
  void refusesATamperedOrShortCiphertext() {
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    byte[] c = ChaCha20Poly1305.encrypt(key, nonce, null, new byte[] {1, 2, 3});
    c[1] ^= 1;
    HypercoreException e = assertThrows(HypercoreException.class, () -> ChaCha20Poly1305.decrypt(key, nonce, null, c));
    assertEquals(CoreError.DECODING_ERROR, e.code());
    e = assertThrows(HypercoreException.class, () -> ChaCha20Poly1305.decrypt(key, nonce, null, new byte[15]));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }
}
