package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;

class CheckpointTest {
  private static Checkpoint sample(byte[] secretKey) {
    CoreHeader h = new CoreHeader(Key32.of(Fixtures.hash32("k")), "manifest".getBytes(), secretKey);
    return new Checkpoint(h, Fixtures.head(3, 100, 4096, "cp"), 1L << 40, 77);
  }

  @Test
  void encodedCheckpointDecodesToItselfWithAndWithoutASecretKey() {
    byte[] sk = new byte[64];
    new Random(3).nextBytes(sk);
    for (Checkpoint cp : new Checkpoint[] {sample(sk), sample(null)}) {
      assertEquals(cp, Checkpoint.decode(cp.encode(), StorageLimits.DEFAULTS));
    }
  }

  @Test
  void everyTruncationAndEveryFlippedByteIsStorageCorrupt() {
    byte[] bytes = sample(null).encode();
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertEquals(CoreError.STORAGE_CORRUPT,
          assertThrows(HypercoreException.class, () -> Checkpoint.decode(cut, StorageLimits.DEFAULTS)).code());
    }
    for (int i = 0; i < bytes.length; i++) {
      byte[] f = bytes.clone();
      f[i] ^= 0x40;
      assertEquals(CoreError.STORAGE_CORRUPT,
          assertThrows(HypercoreException.class, () -> Checkpoint.decode(f, StorageLimits.DEFAULTS)).code(), "byte " + i);
    }
  }

  @Test
  void manifestOverTheLimitIsStorageCorrupt() {
    byte[] bytes = sample(null).encode();
    StorageLimits tiny = new StorageLimits(100, 1000, 7, 100, 1000);
    assertEquals(CoreError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> Checkpoint.decode(bytes, tiny)).code());
    StorageLimits exact = new StorageLimits(100, 1000, 8, 100, 1000);
    assertEquals(sample(null), Checkpoint.decode(bytes, exact));
  }
}
