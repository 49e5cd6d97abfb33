package org.maiaos.mesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/**
 * Issue 2's benchmark: append 100,000 blocks of 1 KiB in batches of 100, then read 100,000 at
 * random (the same xorshift sequence as the JS half), in Java and in JS hypercore 11.37.1, in one
 * run on one machine. Each side runs a warm-up pass first and reports the best of {@link #ROUNDS}.
 */
final class CoreBench {
  static final int BLOCKS = 100_000;
  static final int SIZE = 1024;
  static final int BATCH = 100;
  static final int READS = 100_000;
  static final int ROUNDS = 3;

  private CoreBench() {}

  static void run(Path interop) throws Exception {
    JsSide js = new JsSide(interop);
    long jsAppend = Long.MAX_VALUE;
    long jsRead = Long.MAX_VALUE;
    long javaAppend = Long.MAX_VALUE;
    long javaRead = Long.MAX_VALUE;
    javaRound(); // warm-up: JIT
    for (int r = 0; r < ROUNDS; r++) {
      long[] j = javaRound();
      javaAppend = Math.min(javaAppend, j[0]);
      javaRead = Math.min(javaRead, j[1]);
      String out = js.run("bench-core.js", "" + BLOCKS, "" + SIZE, "" + BATCH, "" + READS);
      jsAppend = Math.min(jsAppend, JsSide.field(out, "appendNs"));
      jsRead = Math.min(jsRead, JsSide.field(out, "readNs"));
      System.out.printf("round %d: java append %.0f ms, read %.0f ms | js append %.0f ms, read %.0f ms%n",
          r + 1, j[0] / 1e6, j[1] / 1e6, JsSide.field(out, "appendNs") / 1e6, JsSide.field(out, "readNs") / 1e6);
    }
    System.out.println();
    System.out.printf("append %,d x %d B in batches of %d: java %,.0f blocks/s, js %,.0f blocks/s, java/js %.2fx%n",
        BLOCKS, SIZE, BATCH, rate(BLOCKS, javaAppend), rate(BLOCKS, jsAppend), (double) jsAppend / javaAppend);
    System.out.printf("random read %,d: java %,.0f reads/s, js %,.0f reads/s, java/js %.2fx%n",
        READS, rate(READS, javaRead), rate(READS, jsRead), (double) jsRead / javaRead);
  }

  private static double rate(long n, long nanos) {
    return n / (nanos / 1e9);
  }

  /** One Java round in a fresh temp dir: {append nanos, read nanos}. */
  private static long[] javaRound() throws Exception {
    Path dir = Files.createTempDirectory("bench-core-java-");
    try {
      List<List<byte[]>> batches = new ArrayList<>();
      for (int i = 0; i < BLOCKS; i += BATCH) {
        List<byte[]> b = new ArrayList<>(BATCH);
        for (int j = i; j < Math.min(BLOCKS, i + BATCH); j++) {
          byte[] blk = new byte[SIZE];
          java.util.Arrays.fill(blk, (byte) 0xab);
          blk[0] = (byte) j;
          blk[1] = (byte) (j >>> 8);
          blk[2] = (byte) (j >>> 16);
          blk[3] = (byte) (j >>> 24);
          b.add(blk);
        }
        batches.add(b);
      }
      long appendNs;
      long readNs;
      try (Hypercore core = Hypercore.create(dir, HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build())) {
        long t0 = System.nanoTime();
        for (List<byte[]> b : batches) core.append(b);
        appendNs = System.nanoTime() - t0;
        long[] idx = readSequence();
        t0 = System.nanoTime();
        for (long i : idx) {
          byte[] v = core.get(i);
          int got = (v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24;
          if (got != i) throw new IllegalStateException("wrong block " + i);
        }
        readNs = System.nanoTime() - t0;
      }
      return new long[] {appendNs, readNs};
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The xorshift64 sequence bench-core.js uses, so both sides read the same indexes. */
  static long[] readSequence() {
    long x = 88172645463325252L;
    long[] out = new long[READS];
    for (int i = 0; i < READS; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out[i] = Long.remainderUnsigned(x, BLOCKS);
    }
    return out;
  }
}
