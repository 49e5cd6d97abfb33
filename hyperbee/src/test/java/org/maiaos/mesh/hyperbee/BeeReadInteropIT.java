package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * JS hyperbee 2.27.3 ({@code interop/bee-read.js}) writes a bee from a random op sequence; its blocks
 * are appended to a Java core with the same key pair (same tree hash), and the Java bee must answer
 * random queries exactly as JS does: get, getBySeq, ranges with every bound combination, reverse and
 * limit, peek, subs (nested, and JS's quirk that a sub's checkout loses its range defaults), checkouts
 * of earlier versions, diffs between versions, history with relative and zero bounds, and the header.
 */
class BeeReadInteropIT {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  @TempDir Path tmp;

  private record Gen(Random rnd, BeeOps ops, int opCount) {
    byte[] key() {
      return ops.key();
    }

    byte[] maybeKey(int percent) {
      return rnd.nextInt(100) < percent ? key() : null;
    }
  }

  private static ObjectNode query(Gen g) {
    ObjectNode q = F.objectNode();
    int kind = g.rnd().nextInt(100);
    String name = kind < 25 ? "get" : kind < 60 ? "range" : kind < 68 ? "peek" : kind < 82 ? "diff" : kind < 93 ? "history"
        : kind < 98 ? "getBySeq" : "header";
    q.put("q", name);
    ArrayNode sub = q.putArray("sub");
    int s = g.rnd().nextInt(100);
    if (!name.equals("history") && !name.equals("getBySeq")) {
      if (s >= 70 && s < 88) sub.add("7573657273"); // users
      else if (s >= 88 && s < 95) sub.add("7573657273").add("61646d696e73"); // users, admins
      else if (s >= 95) sub.add("ff");
    }
    q.put("at", g.rnd().nextInt(3) == 0 ? g.rnd().nextInt(g.opCount()) : -1);
    q.put("order", g.rnd().nextBoolean() ? "sub-first" : "checkout-first");
    switch (name) {
      case "get" -> q.put("key", BeeOps.HEX.formatHex(g.key()));
      case "range", "peek", "diff" -> {
        for (String b : new String[] {"gt", "gte", "lt", "lte"}) {
          byte[] k = g.maybeKey(b.startsWith("g") ? 30 : 25);
          q.put(b, k == null ? null : BeeOps.HEX.formatHex(k));
        }
        q.put("reverse", !name.equals("diff") && g.rnd().nextBoolean());
        q.put("limit", g.rnd().nextInt(3) == 0 ? g.rnd().nextInt(12) : -1);
        if (name.equals("diff")) q.put("other", g.rnd().nextInt(g.opCount()));
      }
      case "history" -> {
        for (String b : new String[] {"gt", "gte", "lt", "lte"}) {
          int r = g.rnd().nextInt(100);
          if (r < 70) q.putNull(b);
          else if (r < 75) q.put(b, 0);
          else if (r < 85) q.put(b, -1 - g.rnd().nextInt(30));
          else q.put(b, 1 + g.rnd().nextInt(g.opCount()));
        }
        q.put("reverse", g.rnd().nextBoolean());
        q.put("limit", g.rnd().nextInt(3) == 0 ? g.rnd().nextInt(20) : -1);
      }
      case "getBySeq" -> q.put("seq", 1 + g.rnd().nextInt(Math.max(1, g.opCount())));
      default -> { }
    }
    return q;
  }

  private static String cut(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "... (" + s.length() + " chars)";
  }

  private static byte[] bytes(JsonNode n) {
    return n == null || n.isNull() ? null : BeeOps.HEX.parseHex(n.asText());
  }

  private static Long num(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  private static JsonNode entry(Entry<byte[], byte[]> e) {
    if (e == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    o.put("seq", e.seq());
    o.put("key", BeeOps.HEX.formatHex(e.key()));
    o.put("value", e.value() == null ? null : BeeOps.HEX.formatHex(e.value()));
    return o;
  }

  private static Range<byte[]> range(JsonNode q) {
    Range<byte[]> r = new Range<>(bytes(q.get("gt")), bytes(q.get("gte")), bytes(q.get("lt")), bytes(q.get("lte")),
        q.path("reverse").asBoolean(), -1);
    int limit = q.path("limit").asInt(-1);
    return limit >= 0 ? r.limit(limit) : r;
  }

  private static Hyperbee<byte[], byte[]> view(Hyperbee<byte[], byte[]> bee, JsonNode lengths, JsonNode q) {
    int at = q.get("at").asInt();
    List<byte[]> sub = new ArrayList<>();
    q.get("sub").forEach(n -> sub.add(BeeOps.HEX.parseHex(n.asText())));
    if (at == -1) return BeeOps.view(bee, sub);
    long version = Math.max(1, lengths.get(at).asLong());
    return q.get("order").asText().equals("sub-first") ? BeeOps.view(bee, sub).checkout(version) : BeeOps.view(bee.checkout(version), sub);
  }

  private static JsonNode answer(Hyperbee<byte[], byte[]> bee, JsonNode lengths, JsonNode q) {
    String kind = q.get("q").asText();
    if (kind.equals("header")) {
      Hyperbee.Header h = bee.getHeader().orElseThrow();
      ObjectNode o = F.objectNode().put("protocol", h.protocol());
      o.putNull("metadata");
      return o;
    }
    Hyperbee<byte[], byte[]> v = view(bee, lengths, q);
    switch (kind) {
      case "get":
        return entry(v.get(bytes(q.get("key"))).orElse(null));
      case "getBySeq": {
        Entry<byte[], byte[]> e = v.getBySeq(q.get("seq").asLong());
        ObjectNode o = F.objectNode();
        o.put("key", BeeOps.HEX.formatHex(e.key()));
        o.put("value", e.value() == null ? null : BeeOps.HEX.formatHex(e.value()));
        return o;
      }
      case "range": {
        ArrayNode a = F.arrayNode();
        for (Entry<byte[], byte[]> e : v.list(range(q))) a.add(entry(e));
        return a;
      }
      case "peek":
        return entry(v.peek(range(q)).orElse(null));
      case "diff": {
        ArrayNode a = F.arrayNode();
        Iterator<DiffEntry<byte[], byte[]>> it = v.diff(Math.max(1, lengths.get(q.get("other").asInt()).asLong()), range(q));
        it.forEachRemaining(d -> a.addObject().<ObjectNode>set("left", entry(d.left())).set("right", entry(d.right())));
        return a;
      }
      case "history": {
        ArrayNode a = F.arrayNode();
        Range<Long> r = new Range<>(num(q.get("gt")), num(q.get("gte")), num(q.get("lt")), num(q.get("lte")),
            q.get("reverse").asBoolean(), -1);
        int limit = q.get("limit").asInt();
        v.history(limit >= 0 ? r.limit(limit) : r).forEachRemaining(h -> {
          ObjectNode o = a.addObject();
          o.put("type", h.type() == HistoryEntry.Type.PUT ? "put" : "del");
          o.put("seq", h.seq());
          o.put("key", BeeOps.HEX.formatHex(h.key()));
          o.put("value", h.value() == null ? null : BeeOps.HEX.formatHex(h.value()));
        });
        return a;
      }
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest(name = "{0}: {1} ops, key space {2}, {3} queries")
  @CsvSource({
      "tiny, 12, 3, 150",
      "small, 400, 3, 600",
      "medium, 3000, 6, 1500"
  })
  void javaAnswersQueriesOnAJsWrittenBeeAsJsDoes(String name, int count, int keySpace, int queries) {
    Random rnd = TestSeeds.random("BeeReadInteropIT." + name);
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    BeeOps ops = new BeeOps(rnd, keySpace);
    List<BeeOps.Op> list = new ArrayList<>();
    for (int i = 0; i < count; i++) list.add(ops.next(60));
    Gen g = new Gen(rnd, ops, count);
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("seed", BeeOps.HEX.formatHex(seed));
    ArrayNode jsOps = in.putArray("ops");
    list.forEach(op -> jsOps.add(BeeOps.json(op)));
    ArrayNode qs = in.putArray("queries");
    for (int i = 0; i < queries; i++) qs.add(query(g));
    JsonNode js = NodeScript.call("bee-read.js", in);
    assertEquals(true, js.has("blocks"), "bee-read.js printed no result: " + cut(js.toString()));

    try (Hypercore core = Hypercore.create(tmp.resolve(name), HypercoreOptions.builder().keyPair(Ed25519.keyPair(seed)).build())) {
      List<byte[]> blocks = new ArrayList<>();
      js.get("blocks").forEach(b -> blocks.add(BeeOps.HEX.parseHex(b.asText())));
      core.append(blocks);
      assertEquals(js.get("treeHash").asText(), BeeOps.HEX.formatHex(core.treeHash()), "tree hash of the copied blocks");
      HyperbeeOptions<byte[], byte[]> jsGet = HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY).jsGetShortcut(true).build();
      try (Hyperbee<byte[], byte[]> bee = Hyperbee.open(core, jsGet); Hyperbee<byte[], byte[]> sound = Hyperbee.open(core)) {
        for (int i = 0; i < queries; i++) {
          JsonNode q = qs.get(i);
          JsonNode expected = js.get("answers").get(i);
          String actual;
          try {
            actual = answer(bee, js.get("lengths"), q).toString();
          } catch (RuntimeException e) {
            actual = "{\"error\":\"" + e + "\"}";
          }
          if (q.get("q").asText().equals("get")) {
            // the default get never takes JS's unsound shortcut: it must agree with a point range
            Hyperbee<byte[], byte[]> v = view(sound, js.get("lengths"), q);
            byte[] k = bytes(q.get("key"));
            assertEquals(entry(v.peek(Range.<byte[]>all().gte(k).lte(k)).orElse(null)).toString(),
                entry(v.get(k).orElse(null)).toString(), "sound get, query " + i + " " + q);
          }
          if (expected.has("error")) {
            assertEquals(true, actual.startsWith("{\"error\""), "query " + i + " " + q + ": JS failed with " + expected + ", Java gave " + actual);
          } else {
            if (!expected.toString().equals(actual)) {
              fail("query " + i + " " + q + "\n  JS:   " + cut(expected.toString()) + "\n  Java: " + cut(actual));
            }
          }
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void jsGetReturnsAStaleEntryThatTheDefaultGetDoesNot() {
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("seed", "11".repeat(32));
    ArrayNode jsOps = in.putArray("ops");
    StaleGetFixture.ops().forEach(op -> jsOps.add(BeeOps.json(op)));
    ArrayNode qs = in.putArray("queries");
    String key = BeeOps.HEX.formatHex(StaleGetFixture.KEY);
    qs.addObject().put("q", "get").put("key", key).put("at", -1).putArray("sub");
    ObjectNode r = qs.addObject().put("q", "range").put("gte", key).put("lte", key).put("at", -1);
    r.putArray("sub");
    JsonNode js = NodeScript.call("bee-read.js", in);
    assertEquals(StaleGetFixture.STALE_SEQ, js.get("answers").get(0).get("seq").asLong(), "JS answers with the stale entry");
    assertEquals(0, js.get("answers").get(1).size(), "JS's own range read has no such key");

    try (Hypercore core = Hypercore.create(tmp.resolve("stale"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(BeeOps.HEX.parseHex("11".repeat(32)))).build())) {
      List<byte[]> blocks = new ArrayList<>();
      js.get("blocks").forEach(b -> blocks.add(BeeOps.HEX.parseHex(b.asText())));
      core.append(blocks);
      Hyperbee<byte[], byte[]> compat = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY).jsGetShortcut(true).build());
      assertEquals(js.get("answers").get(0).toString(), entry(compat.get(StaleGetFixture.KEY).orElse(null)).toString());
      assertEquals("null", entry(Hyperbee.open(core).get(StaleGetFixture.KEY).orElse(null)).toString());
    }
  }
}
