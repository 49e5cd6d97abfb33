package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class SecretStreamTest {
  private static byte[] key(Random rnd) {
    byte[] k = new byte[32];
    rnd.nextBytes(k);
    return k;
  }

  @Test
  void pullsWhatWasPushedInOrder() {
    Random rnd = TestSeeds.random("SecretStreamTest.roundTrip");
    byte[] k = key(rnd);
    SecretStream.Push push = new SecretStream.Push(k);
    SecretStream.Pull pull = new SecretStream.Pull(k);
    pull.init(push.header());
    for (int i = 0; i < 100; i++) {
      byte[] m = new byte[i == 0 ? 0 : rnd.nextInt(5000)];
      rnd.nextBytes(m);
      byte[] c = push.next(m);
      assertEquals(m.length + SecretStream.A_BYTES, c.length);
      assertArrayEquals(m, pull.next(c));
      assertEquals(SecretStream.TAG_MESSAGE, pull.lastTag());
    }
  }

  @Test
  void refusesATamperedReorderedOrShortMessage() {
    Random rnd = TestSeeds.random("SecretStreamTest.tamper");
    byte[] k = key(rnd);
    SecretStream.Push push = new SecretStream.Push(k);
    byte[] c1 = push.next(new byte[] {1});
    byte[] c2 = push.next(new byte[] {2});

    SecretStream.Pull reordered = new SecretStream.Pull(k);
    reordered.init(push.header());
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> reordered.next(c2)).code());

    SecretStream.Pull tampered = new SecretStream.Pull(k);
    tampered.init(push.header());
    c1[0] ^= 1;
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> tampered.next(c1)).code());

    SecretStream.Pull shortOne = new SecretStream.Pull(k);
    shortOne.init(push.header());
    assertEquals(CoreError.DECODING_ERROR, assertThrows(HypercoreException.class, () -> shortOne.next(new byte[16])).code());
  }

  @Test
  void aWrongKeyOrHeaderDoesNotAuthenticate() {
    Random rnd = TestSeeds.random("SecretStreamTest.wrongKey");
    byte[] k = key(rnd);
    SecretStream.Push push = new SecretStream.Push(k);
    byte[] c = push.next(new byte[10]);
    SecretStream.Pull wrongKey = new SecretStream.Pull(key(rnd));
    wrongKey.init(push.header());
    assertThrows(HypercoreException.class, () -> wrongKey.next(c));
    SecretStream.Pull wrongHeader = new SecretStream.Pull(k);
    wrongHeader.init(new SecretStream.Push(k).header());
    assertThrows(HypercoreException.class, () -> wrongHeader.next(c));
  }
}
