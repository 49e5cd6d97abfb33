package org.maiaos.mesh.hypercore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * The child of {@link HypercoreCrashIT}: opens (or creates) a core and appends batches forever,
 * printing {@code committed N} after append of batch N returns. Batch contents derive from N.
 */
public final class HypercoreWriterMain {
  static final int BATCH_BLOCKS = 7;
  static final KeyPair KEY_PAIR = Ed25519.keyPair(Blake2b.hash(new byte[] {42}));

  private HypercoreWriterMain() {}

  /** Block {@code i}: 0..3 KiB of bytes derived from i, so any mix-up is visible. */
  static byte[] block(long i) {
    byte[] seed = Blake2b.hash(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    int size = (seed[0] & 0xff) * 12;
    byte[] out = new byte[size];
    for (int k = 0; k < size; k++) out[k] = (byte) (seed[k % 32] + k / 32);
    return out;
  }

  static List<byte[]> batch(long n) {
    List<byte[]> out = new ArrayList<>(BATCH_BLOCKS);
    for (long i = n * BATCH_BLOCKS; i < (n + 1) * BATCH_BLOCKS; i++) out.add(block(i));
    return out;
  }

  /**
   * Acknowledgements go to {@code args[1]} (one write(2) per line, in the page cache the moment
   * append returns, so a kill -9 cannot lose them) and to stdout (for the parent's timing only).
   */
  public static void main(String[] args) throws java.io.IOException {
    Path dir = Path.of(args[0]);
    try (Hypercore core = Files.exists(dir)
            ? Hypercore.open(dir)
            : Hypercore.create(dir, HypercoreOptions.builder().keyPair(KEY_PAIR).build());
        java.io.FileOutputStream acks = new java.io.FileOutputStream(args[1], true)) {
      for (long n = core.length() / BATCH_BLOCKS; ; n++) {
        core.append(batch(n));
        acks.write(("committed " + (n + 1) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        System.out.println("committed " + (n + 1));
        System.out.flush();
      }
    }
  }
}
