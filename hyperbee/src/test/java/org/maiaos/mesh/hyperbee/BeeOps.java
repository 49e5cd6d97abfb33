package org.maiaos.mesh.hyperbee;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Random bee write sequences shared by the interop and model tests: prefix-heavy keys (cojson-like
 * {@code co_z.../s/...} plus raw 00/01/ff bytes), overwrites and deletes of present keys, deletes of
 * absent keys, null and empty values, cas checks, batches, and nested subs. The same ops drive the
 * Java bee here and JS hyperbee through {@code interop/bee-write.js}.
 */
final class BeeOps {
  static final HexFormat HEX = HexFormat.of();
  /** The cas check both sides use. */
  static final Hyperbee.Cas<byte[], byte[]> CAS = (prev, next) -> (prev.seq() + next.seq()) % 3 != 0;

  private static final String[] PREFIXES = {"", "co_z", "co_zA", "co_zAB/", "co_zAB/s/", "co_zAB/s/sess1/", "co_zB/h", "k"};
  private static final byte[][] SUBS = {"users".getBytes(StandardCharsets.UTF_8), "admins".getBytes(StandardCharsets.UTF_8),
      {(byte) 0xff}, {}};

  record Op(String kind, List<byte[]> sub, byte[] key, byte[] value, boolean cas, List<Op> batch) {}

  private final Random rnd;
  private final List<byte[]> used = new ArrayList<>();
  private final int keySpace;

  BeeOps(Random rnd, int keySpace) {
    this.rnd = rnd;
    this.keySpace = keySpace;
  }

  byte[] key() {
    if (!used.isEmpty() && rnd.nextInt(100) < 55) return used.get(rnd.nextInt(used.size()));
    String p = PREFIXES[rnd.nextInt(PREFIXES.length)];
    int len = rnd.nextInt(5);
    byte[] tail = new byte[len];
    for (int i = 0; i < len; i++) {
      int r = rnd.nextInt(keySpace);
      tail[i] = switch (r % 7) {
        case 0 -> 0;
        case 1 -> 1;
        case 2 -> (byte) 0xff;
        default -> (byte) ('a' + r % 26);
      };
    }
    byte[] k = Hyperbee.concat(p.getBytes(StandardCharsets.UTF_8), tail);
    if (used.size() < 4 * keySpace) used.add(k);
    return k;
  }

  byte[] value() {
    int r = rnd.nextInt(20);
    if (r == 0) return null;
    if (r == 1) return new byte[0];
    byte[] v = new byte[1 + rnd.nextInt(r < 18 ? 12 : 300)];
    rnd.nextBytes(v);
    return v;
  }

  private List<byte[]> sub() {
    int r = rnd.nextInt(100);
    if (r < 85) return List.of();
    if (r < 92) return List.of(SUBS[0]);
    if (r < 96) return List.of(SUBS[0], SUBS[1]);
    return List.of(SUBS[2 + rnd.nextInt(2)]);
  }

  private Op single(List<byte[]> sub) {
    boolean cas = rnd.nextInt(10) == 0;
    if (rnd.nextInt(100) < 30) return new Op("del", sub, key(), null, cas, null);
    return new Op("put", sub, key(), value(), cas, null);
  }

  /** One op: mostly single puts/dels, sometimes a batch of up to {@code maxBatch} ops. */
  Op next(int maxBatch) {
    List<byte[]> sub = sub();
    if (rnd.nextInt(100) < 8) {
      int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? maxBatch : Math.min(maxBatch, 12));
      List<Op> ops = new ArrayList<>();
      for (int i = 0; i < n; i++) ops.add(single(List.of()));
      return new Op("batch", sub, null, null, false, ops);
    }
    return single(sub);
  }

  static Hyperbee<byte[], byte[]> view(Hyperbee<byte[], byte[]> bee, List<byte[]> sub) {
    Hyperbee<byte[], byte[]> v = bee;
    for (byte[] name : sub) v = v.sub(name);
    return v;
  }

  static void apply(Hyperbee<byte[], byte[]> bee, Op op) {
    Hyperbee<byte[], byte[]> v = view(bee, op.sub());
    switch (op.kind()) {
      case "put" -> v.put(op.key(), op.value(), op.cas() ? CAS : null);
      case "del" -> v.del(op.key(), op.cas() ? CAS : null);
      default -> {
        try (Batch<byte[], byte[]> b = v.batch()) {
          for (Op o : op.batch()) {
            if (o.kind().equals("put")) b.put(o.key(), o.value(), o.cas() ? CAS : null);
            else b.del(o.key(), o.cas() ? CAS : null);
          }
          b.flush();
        }
      }
    }
  }

  static ObjectNode json(Op op) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("op", op.kind());
    if (op.sub() != null) {
      ArrayNode s = o.putArray("sub");
      for (byte[] n : op.sub()) s.add(HEX.formatHex(n));
    }
    if (op.batch() != null) {
      ArrayNode a = o.putArray("ops");
      for (Op x : op.batch()) a.add(json(x));
      return o;
    }
    o.put("key", HEX.formatHex(op.key()));
    o.put("value", op.value() == null ? null : HEX.formatHex(op.value()));
    o.put("cas", op.cas());
    return o;
  }
}
