package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;

/**
 * Random writes (puts, overwrites, deletes of present and absent keys, null and empty values, cas,
 * batches, a sub) checked against a {@link TreeMap} of key to (seq, value): every write's outcome,
 * gets, full and bounded ranges in both directions with limits, the sub's range (which includes
 * nested subs, as JS does), checkouts of earlier versions, and diffs between versions.
 * Replay with {@code -Dtest.seed=N}.
 */
class HyperbeeModelTest {
  private static final int OPS = 4000;
  private static final byte[] SUB = "users".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  private record Val(long seq, byte[] value) {}

  private static final java.util.Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  private static String hex(byte[] b) {
    return b == null ? "null" : BeeOps.HEX.formatHex(b);
  }

  private static String show(Entry<byte[], byte[]> e) {
    return e == null ? "-" : e.seq() + ":" + hex(e.key()) + "=" + hex(e.value());
  }

  private static List<String> expectRange(NavigableMap<byte[], Val> m, byte[] lo, boolean loIncl, byte[] hi, boolean hiIncl,
      boolean reverse, int limit) {
    NavigableMap<byte[], Val> view = m;
    if (lo != null) view = view.tailMap(lo, loIncl);
    if (hi != null) view = view.headMap(hi, hiIncl);
    if (reverse) view = view.descendingMap();
    List<String> out = new ArrayList<>();
    for (Map.Entry<byte[], Val> e : view.entrySet()) {
      if (limit >= 0 && out.size() >= limit) break;
      out.add(e.getValue().seq() + ":" + hex(e.getKey()) + "=" + hex(e.getValue().value()));
    }
    return out;
  }

  private static List<String> actual(Iterator<Entry<byte[], byte[]>> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(e -> out.add(show(e)));
    return out;
  }

  @Test
  void randomOperationsMatchASortedMap() {
    long seed = TestSeeds.seed("HyperbeeModelTest");
    Random rnd = new Random(seed);
    BeeOps gen = new BeeOps(rnd, 5);
    TreeMap<byte[], Val> model = new TreeMap<>(ORDER);
    Map<Long, TreeMap<byte[], Val>> versions = new HashMap<>();
    try (Hypercore core = Hypercore.create(tmp.resolve("bee"), HypercoreOptions.defaults());
        Hyperbee<byte[], byte[]> bee = Hyperbee.open(core)) {
      for (int i = 0; i < OPS; i++) {
        String where = "seed " + seed + " op " + i;
        BeeOps.Op op = gen.next(30);
        byte[] prefix = op.sub().isEmpty() ? new byte[0] : null;
        if (prefix == null) {
          // the model test keeps to one sub level; other subs are written as plain keys
          if (op.sub().size() == 1 && Arrays.equals(op.sub().get(0), SUB)) prefix = Hyperbee.concat(SUB, new byte[] {0});
          else op = new BeeOps.Op(op.kind(), List.of(), op.key(), op.value(), op.cas(), op.batch());
          if (prefix == null) prefix = new byte[0];
        }
        long before = core.length();
        long base = Math.max(1, before);
        if (op.kind().equals("batch")) {
          long pending = 0;
          for (BeeOps.Op o : op.batch()) pending += modelApply(model, prefix, o, base + pending) ? 1 : 0;
          BeeOps.apply(bee, op);
          assertEquals(base + pending, Math.max(1, core.length()), where + " batch length");
        } else {
          boolean expect = modelApply(model, prefix, op, base);
          BeeOps.apply(bee, op);
          assertEquals(base + (expect ? 1 : 0), core.length(), where + " " + op.kind() + " wrote a block");
        }
        if (i % 97 == 0) versions.put(bee.version(), new TreeMap<>(model));

        for (int g = 0; g < 3; g++) {
          byte[] k = gen.key();
          Val v = model.get(k);
          Entry<byte[], byte[]> e = bee.get(k).orElse(null);
          assertEquals(v == null ? "-" : v.seq() + ":" + hex(k) + "=" + hex(v.value()), show(e), where + " get " + hex(k));
        }
        if (i % 50 == 0 || i == OPS - 1) {
          assertEquals(expectRange(model, null, true, null, true, false, -1), actual(bee.iterator(Range.all())), where + " full range");
          checkRanges(bee, model, gen, rnd, where);
          checkSub(bee, model, where);
        }
        if (i % 200 == 199) checkVersions(bee, versions, model, where);
      }
    }
  }

  /** Applies one op to the model; returns whether the bee must write a block for it. */
  private static boolean modelApply(TreeMap<byte[], Val> model, byte[] prefix, BeeOps.Op op, long seq) {
    byte[] key = Hyperbee.concat(prefix, op.key());
    Val prev = model.get(key);
    if (op.kind().equals("put")) {
      if (prev != null && op.cas() && (prev.seq() + seq) % 3 == 0) return false;
      model.put(key, new Val(seq, op.value()));
      return true;
    }
    if (prev == null) return false;
    if (op.cas() && (prev.seq() + seq) % 3 == 0) return false;
    model.remove(key);
    return true;
  }

  private static void checkRanges(Hyperbee<byte[], byte[]> bee, TreeMap<byte[], Val> model, BeeOps gen, Random rnd, String where) {
    for (int r = 0; r < 8; r++) {
      byte[] gt = rnd.nextInt(3) == 0 ? gen.key() : null;
      byte[] gte = rnd.nextInt(3) == 0 ? gen.key() : null;
      byte[] lt = rnd.nextInt(3) == 0 ? gen.key() : null;
      byte[] lte = rnd.nextInt(3) == 0 ? gen.key() : null;
      boolean reverse = rnd.nextBoolean();
      int limit = rnd.nextInt(3) == 0 ? rnd.nextInt(10) : -1;
      byte[] lo = gt != null ? gt : gte;
      byte[] hi = lt != null ? lt : lte;
      int order = lo != null && hi != null ? ORDER.compare(lo, hi) : -1;
      boolean empty = order > 0 || (order == 0 && (gt != null || lt != null));
      List<String> expected = empty ? List.of() : expectRange(model, lo, gt == null, hi, lt == null, reverse, limit);
      Range<byte[]> range = new Range<>(gt, gte, lt, lte, reverse, limit);
      assertEquals(expected, actual(bee.iterator(range)), where + " range " + hex(gt) + " " + hex(gte) + " " + hex(lt) + " " + hex(lte) + " rev " + reverse + " limit " + limit);
      Entry<byte[], byte[]> peek = bee.peek(range).orElse(null);
      assertEquals(limit == 0 || expected.isEmpty() ? "-" : expected.get(0), show(peek), where + " peek");
    }
  }

  private static void checkSub(Hyperbee<byte[], byte[]> bee, TreeMap<byte[], Val> model, String where) {
    byte[] lo = Hyperbee.concat(SUB, new byte[] {0, 0});
    byte[] hi = Hyperbee.concat(SUB, new byte[] {1});
    List<String> expected = new ArrayList<>();
    for (Map.Entry<byte[], Val> e : model.subMap(lo, false, hi, false).entrySet()) {
      byte[] k = Arrays.copyOfRange(e.getKey(), SUB.length + 1, e.getKey().length);
      expected.add(e.getValue().seq() + ":" + hex(k) + "=" + hex(e.getValue().value()));
    }
    assertEquals(expected, actual(bee.sub("users").iterator(Range.all())), where + " sub range");
  }

  private static void checkVersions(Hyperbee<byte[], byte[]> bee, Map<Long, TreeMap<byte[], Val>> versions,
      TreeMap<byte[], Val> model, String where) {
    for (Map.Entry<Long, TreeMap<byte[], Val>> v : versions.entrySet()) {
      Hyperbee<byte[], byte[]> old = bee.checkout(v.getKey());
      assertEquals(expectRange(v.getValue(), null, true, null, true, false, -1), actual(old.iterator(Range.all())),
          where + " checkout " + v.getKey());
      // diff: entries whose latest block differs, left = now, right = then
      List<String> expected = new ArrayList<>();
      TreeSet<byte[]> keys = new TreeSet<>(ORDER);
      keys.addAll(model.keySet());
      keys.addAll(v.getValue().keySet());
      for (byte[] k : keys) {
        Val now = model.get(k);
        Val then = v.getValue().get(k);
        if (now != null && then != null && now.seq() == then.seq()) continue;
        expected.add(fmt(k, now) + " | " + fmt(k, then));
      }
      List<String> got = new ArrayList<>();
      bee.diff(v.getKey(), Range.all()).forEachRemaining(d -> got.add(show(d.left()) + " | " + show(d.right())));
      assertEquals(expected, got, where + " diff against version " + v.getKey());
    }
  }

  private static String fmt(byte[] k, Val v) {
    return v == null ? "-" : v.seq() + ":" + hex(k) + "=" + hex(v.value());
  }
}
