package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * utf-8 keys (ASCII, accents, CJK, emoji, an empty key) and json values (integers, strings with
 * escapes, booleans, null, arrays, nested objects): the Java bee with {@link Encoding#UTF8} and
 * {@link Encoding#JSON} writes the same blocks as JS hyperbee with {@code keyEncoding: 'utf-8',
 * valueEncoding: 'json'} ({@code interop/bee-encodings.js}), directly and through a sub, and
 * decodes JS's range to the same keys and values.
 */
class BeeEncodingInteropIT {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] WORDS = {"", "a", "co_zX", "clé", "日本", "😀", "a/b", "tab\there", "quote\"d", "z"};
  @TempDir Path tmp;

  private static JsonNode value(Random rnd, int depth) {
    switch (rnd.nextInt(depth > 2 ? 5 : 7)) {
      case 0: return F.numberNode(rnd.nextInt(2_000_000) - 1_000_000);
      case 1: return F.textNode(WORDS[rnd.nextInt(WORDS.length)] + rnd.nextInt(100));
      case 2: return F.booleanNode(rnd.nextBoolean());
      case 3: return F.nullNode();
      case 4: return F.numberNode(rnd.nextLong() >> 12);
      case 5: {
        ArrayNode a = F.arrayNode();
        for (int i = rnd.nextInt(4); i > 0; i--) a.add(value(rnd, depth + 1));
        return a;
      }
      default: {
        ObjectNode o = F.objectNode();
        for (int i = rnd.nextInt(4); i > 0; i--) o.set(WORDS[rnd.nextInt(WORDS.length)], value(rnd, depth + 1));
        return o;
      }
    }
  }

  @ParameterizedTest(name = "sub {0}")
  @ValueSource(strings = {"", "docs"})
  void utf8KeysAndJsonValuesEncodeAsInJs(String sub) {
    Random rnd = TestSeeds.random("BeeEncodingInteropIT");
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    ObjectNode in = F.objectNode();
    in.put("seed", BeeOps.HEX.formatHex(seed));
    if (sub.isEmpty()) in.putNull("sub");
    else in.put("sub", sub);
    ArrayNode ops = in.putArray("ops");
    List<String> keys = new ArrayList<>();
    // doubles in every layout Number::toString has; fixed values, as Java 17's digits are not always the
    // shortest (5e-324 prints as 4.9E-324 there, and JS writes 5e-324)
    ArrayNode doubles = F.arrayNode();
    for (double d : new double[] {1.5, 0.1, -0.25, 1e-7, 123456.789, 1e21, 1.5e300, 0.000001, 2.5e-6, 1e20, -3.0}) doubles.add(d);
    ops.addObject().putArray("put").add("doubles").add(doubles);
    for (int i = 0; i < 300; i++) {
      String key = WORDS[rnd.nextInt(WORDS.length)] + (rnd.nextBoolean() ? "" : WORDS[rnd.nextInt(WORDS.length)]);
      keys.add(key);
      if (rnd.nextInt(5) == 0) ops.addObject().put("del", key);
      else ops.addObject().putArray("put").add(key).add(value(rnd, 0));
    }
    JsonNode js = NodeScript.call("bee-encodings.js", in);

    try (Hypercore core = Hypercore.create(tmp.resolve("java"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(seed)).build())) {
      Hyperbee<String, JsonNode> bee = Hyperbee.open(core, HyperbeeOptions.builder(Encoding.UTF8, Encoding.JSON).build());
      Hyperbee<String, JsonNode> target = sub.isEmpty() ? bee : bee.sub(sub);
      for (JsonNode op : ops) {
        if (op.has("del")) target.del(op.get("del").asText());
        else target.put(op.get("put").get(0).asText(), op.get("put").get(1));
      }
      for (int i = 0; i < js.get("blocks").size(); i++) {
        assertEquals(js.get("blocks").get(i).asText(), BeeOps.HEX.formatHex(core.get(i)), "block " + i);
      }
      assertEquals(js.get("blocks").size(), core.length());
      ArrayNode mine = F.arrayNode();
      for (Entry<String, JsonNode> e : target.list(Range.all())) {
        ObjectNode o = mine.addObject();
        o.put("seq", e.seq());
        o.put("key", e.key());
        o.set("value", e.value());
      }
      assertEquals(js.get("entries").toString(), mine.toString());
    }
  }
}
