package org.maiaos.mesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.stream.Stream;
import org.maiaos.mesh.hyperbee.Batch;
import org.maiaos.mesh.hyperbee.Entry;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.Range;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/**
 * Side-by-side Hyperbee benchmark, Java half (the JS half is {@code interop/bee-bench.js}, same key
 * and value stream): load N keys (16-byte keys, 100-byte values) in batches, then random gets of
 * loaded keys, then one full range scan; prints one JSON line, including how many blocks one random
 * get reads from the core on a cold cache. Run both halves in one invocation with
 * {@code mvn -Pbench -DskipTests verify -pl bench -am -Dbench=bee -Dbench.heap=512m} (issue 3's
 * figures: 1,000,000 keys in batches of 1,000, 100,000 gets).
 */
final class BeeBench {
  private BeeBench() {}

  static void run(java.nio.file.Path interop, int n, int batch, int gets) throws Exception {
    String[] args = {"" + n, "" + batch, "" + gets};
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      main(args);
    } finally {
      System.setOut(old);
    }
    String javaOut = buf.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    String js = new JsSide(interop).run("bee-bench.js", args);
    System.out.println(javaOut);
    System.out.println(js);
    // the same work on both sides: as many blocks written, keys found and entries scanned
    for (String f : new String[] {"length", "found", "scanned"}) {
      if (number(javaOut, f) != number(js, f)) throw new IllegalStateException("not the same work: " + f + " differs:\n" + javaOut + "\n" + js);
    }
    for (String f : new String[] {"loadMs", "getMs", "scanMs"}) {
      double j = number(javaOut, f);
      double s = number(js, f);
      System.out.printf("%s: java %.1f s, js %.1f s, java is %.2fx faster%n", f.replace("Ms", ""), j / 1e3, s / 1e3, s / j);
    }
    System.out.printf("cold random get reads %.2f blocks (java)%n", number(javaOut, "coldGetBlocks"));
  }

  private static double number(String json, String field) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + field + " in " + json);
    return Double.parseDouble(m.group(1));
  }

  /** xorshift64, the same stream as bee-bench.js. */
  static final class Xorshift {
    private long x;

    Xorshift(long seed) {
      x = seed;
    }

    long next() {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      return x;
    }

    byte[] bytes(int n) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i += 8) {
        long v = next();
        for (int j = 0; j < 8 && i + j < n; j++) b[i + j] = (byte) (v >>> (8 * j));
      }
      return b;
    }
  }

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    int batchSize = Integer.parseInt(args[1]);
    int gets = Integer.parseInt(args[2]);
    Path dir = Files.createTempDirectory("bee-bench-java-");
    try (Hypercore core = Hypercore.create(dir.resolve("core"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(filled(9))).build())) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
      Xorshift next = new Xorshift(0x9e3779b97f4a7c15L);
      // every key, value and picked index is generated before a clock starts, on both sides
      byte[][] keys = new byte[n][];
      byte[][] values = new byte[n][];
      for (int j = 0; j < n; j++) {
        keys[j] = next.bytes(16);
        values[j] = next.bytes(100);
      }
      Xorshift pick = new Xorshift(0x2545f4914f6cdd1dL);
      int[] picked = new int[gets];
      for (int i = 0; i < gets; i++) picked[i] = (int) Long.remainderUnsigned(pick.next(), n);

      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += batchSize) {
        try (Batch<byte[], byte[]> b = bee.batch()) {
          for (int j = i; j < Math.min(n, i + batchSize); j++) b.put(keys[j], values[j]);
          b.flush();
        }
      }
      long loadNs = System.nanoTime() - t0;
      values = null; // the values are not needed again: let them go before the reads

      t0 = System.nanoTime();
      int found = 0;
      for (int i = 0; i < gets; i++) {
        if (bee.get(keys[picked[i]]).isPresent()) found++;
      }
      long getNs = System.nanoTime() - t0;

      t0 = System.nanoTime();
      int scanned = 0;
      for (Iterator<Entry<byte[], byte[]>> it = bee.iterator(Range.all()); it.hasNext(); it.next()) scanned++;
      long scanNs = System.nanoTime() - t0;

      // blocks one get reads on a cold cache, averaged over 1,000 random keys
      long reads = 0;
      for (int i = 0; i < 1000; i++) {
        bee.clearCache();
        long before = bee.blockReads();
        bee.get(keys[(int) Long.remainderUnsigned(pick.next(), n)]);
        reads += bee.blockReads() - before;
      }
      Runtime rt = Runtime.getRuntime();
      System.out.printf("{\"side\":\"java\",\"n\":%d,\"batchSize\":%d,\"gets\":%d,\"found\":%d,\"scanned\":%d,\"length\":%d,"
          + "\"loadMs\":%.1f,\"getMs\":%.1f,\"scanMs\":%.1f,\"coldGetBlocks\":%.2f,\"maxHeapMiB\":%d,\"usedHeapMiB\":%d}%n",
          n, batchSize, gets, found, scanned, core.length(), loadNs / 1e6, getNs / 1e6, scanNs / 1e6, reads / 1000.0,
          rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }
}
