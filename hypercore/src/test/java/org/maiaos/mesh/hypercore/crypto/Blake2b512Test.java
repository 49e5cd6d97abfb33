package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.TestSeeds;

/** Checked against Bouncy Castle's BLAKE2b-512 and its generic HMAC (block 128), over random inputs. */
class Blake2b512Test {
  private static byte[] bc(byte[] in) {
    Blake2bDigest d = new Blake2bDigest(512);
    d.update(in, 0, in.length);
    byte[] out = new byte[64];
    d.doFinal(out, 0);
    return out;
  }

  private static byte[] bcHmac(byte[] key, byte[] in) {
    HMac mac = new HMac(new Blake2bDigest(512));
    mac.init(new KeyParameter(key));
    mac.update(in, 0, in.length);
    byte[] out = new byte[64];
    mac.doFinal(out, 0);
    return out;
  }

  @Test
  void hashMatchesBouncyCastleAndConcatenatesParts() {
    Random rnd = TestSeeds.random("Blake2b512Test.hash");
    for (int i = 0; i < 50; i++) {
      byte[] a = new byte[rnd.nextInt(300)];
      byte[] b = new byte[rnd.nextInt(300)];
      rnd.nextBytes(a);
      rnd.nextBytes(b);
      byte[] ab = new byte[a.length + b.length];
      System.arraycopy(a, 0, ab, 0, a.length);
      System.arraycopy(b, 0, ab, a.length, b.length);
      assertArrayEquals(bc(ab), Blake2b512.hash(a, b));
    }
  }

  @Test
  void hmacMatchesBouncyCastleForShortBlockSizedAndLongKeys() {
    Random rnd = TestSeeds.random("Blake2b512Test.hmac");
    for (int keyLen : new int[] {0, 1, 32, 64, 127, 128, 129, 300}) {
      byte[] key = new byte[keyLen];
      byte[] msg = new byte[rnd.nextInt(500)];
      rnd.nextBytes(key);
      rnd.nextBytes(msg);
      assertArrayEquals(bcHmac(key, msg), Blake2b512.hmac(key, msg), "key length " + keyLen);
    }
  }
}
