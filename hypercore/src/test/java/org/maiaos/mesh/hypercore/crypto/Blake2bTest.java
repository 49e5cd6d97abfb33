package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class Blake2bTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void matchesTheKnownAnswersOfBlake2b256() {
    // BLAKE2b with a 32-byte digest, as libsodium's crypto_generichash computes it.
    assertEquals("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", HEX.formatHex(Blake2b.hash(new byte[0])));
    assertEquals("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
        HEX.formatHex(Blake2b.hash("abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void hashingPartsEqualsHashingTheirConcatenation() {
    Random rnd = TestSeeds.random("Blake2bTest.hashingPartsEqualsHashingTheirConcatenation");
    for (int i = 0; i < 200; i++) {
      byte[] a = new byte[rnd.nextInt(300)];
      byte[] b = new byte[rnd.nextInt(300)];
      rnd.nextBytes(a);
      rnd.nextBytes(b);
      byte[] ab = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, ab, a.length, b.length);
      assertArrayEquals(Blake2b.hash(ab), Blake2b.hash(a, b));
      assertArrayEquals(Blake2b.hash(b), Blake2b.hash(ab, a.length, b.length));
      assertArrayEquals(Blake2b.hash(a), Blake2b.hash(ab, 0, a.length));
    }
  }

  @Test
  void keyedHashDiffersFromThePlainOneAndChecksTheKeySize() {
    byte[] msg = "hypercore".getBytes(StandardCharsets.US_ASCII);
    byte[] key = new byte[32];
    assertEquals(32, Blake2b.keyed(key, msg).length);
    assertEquals(false, Arrays.equals(Blake2b.keyed(key, msg), Blake2b.hash(msg)));
    HypercoreException e = assertThrows(HypercoreException.class, () -> Blake2b.keyed(new byte[65], msg));
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }
}
