package org.maiaos.mesh.cojson.storage.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class Base58Test {
  @Test
  void encodesTheBitcoinAlphabetVectors() {
    assertEquals("2NEpo7TZRRrLZSi2U", Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("11233QC4", Base58.encode(new byte[] {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd}));
    assertEquals("", Base58.encode(new byte[0]));
    assertEquals("1", Base58.encode(new byte[1]));
  }

  @Test
  void decodesWhatItEncodesIncludingLeadingZeros() {
    Random r = TestSeeds.random("Base58Test");
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[r.nextInt(40)];
      r.nextBytes(b);
      if (b.length > 0 && r.nextBoolean()) b[0] = 0;
      assertArrayEquals(b, Base58.decode(Base58.encode(b)));
    }
  }

  @Test
  void encodesAsTheBigIntegerDefinitionDoes() {
    Random r = TestSeeds.random("Base58Test.encode");
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[r.nextInt(70)];
      r.nextBytes(b);
      for (int z = r.nextInt(3); z > 0 && z <= b.length; z--) b[z - 1] = 0;
      assertEquals(byBigInteger(b), Base58.encode(b));
    }
  }

  /** The textbook encoding: repeated division of the whole number by 58. */
  private static String byBigInteger(byte[] bytes) {
    String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    StringBuilder sb = new StringBuilder();
    java.math.BigInteger n = new java.math.BigInteger(1, bytes);
    java.math.BigInteger base = java.math.BigInteger.valueOf(58);
    while (n.signum() > 0) {
      java.math.BigInteger[] qr = n.divideAndRemainder(base);
      sb.append(alphabet.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) sb.append('1');
    return sb.reverse().toString();
  }

  @Test
  void rejectsCharactersOutsideTheAlphabet() {
    HypercoreException e = assertThrows(HypercoreException.class, () -> Base58.decode("abc0"));
    assertTrue(e.getMessage().startsWith("BAD_ARGUMENT: "));
    assertFalse(Base58.isBase58("zl"));
    assertFalse(Base58.isBase58(""));
    assertTrue(Base58.isBase58("z4vuDEoGhNQjDHrEQo"));
  }
}
