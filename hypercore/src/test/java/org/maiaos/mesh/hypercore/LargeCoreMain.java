package org.maiaos.mesh.hypercore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/**
 * The child of {@link LargeCoreSoakIT}, run with a small heap: appends {@code blocks} 16-byte
 * blocks through {@link Hypercore} in batches of 10,000, reopens the core (which re-verifies the
 * head), appends one more batch and reads blocks back at random. Prints {@code ok LENGTH} at the end.
 */
public final class LargeCoreMain {
  private LargeCoreMain() {}

  static byte[] block(long i) {
    byte[] b = new byte[16];
    for (int k = 0; k < 8; k++) b[k] = (byte) (i >>> (8 * k));
    b[8] = (byte) 0x5a;
    return b;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long blocks = Long.parseLong(args[1]);
    int batch = 10_000;
    try (Hypercore core = Hypercore.create(dir, HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build())) {
      for (long i = 0; i < blocks; i += batch) {
        List<byte[]> b = new ArrayList<>(batch);
        for (long j = i; j < Math.min(blocks, i + batch); j++) b.add(block(j));
        core.append(b);
      }
    }
    try (Hypercore core = Hypercore.open(dir)) {
      List<byte[]> b = new ArrayList<>(batch);
      for (long j = blocks; j < blocks + batch; j++) b.add(block(j));
      core.append(b);
      java.util.Random r = new java.util.Random(1);
      for (int k = 0; k < 100_000; k++) {
        long i = Math.floorMod(r.nextLong(), core.length());
        if (!java.util.Arrays.equals(block(i), core.get(i))) throw new AssertionError("block " + i);
      }
      System.out.println("ok " + core.length());
    }
  }
}
