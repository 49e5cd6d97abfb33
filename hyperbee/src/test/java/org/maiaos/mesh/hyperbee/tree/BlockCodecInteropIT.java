package org.maiaos.mesh.hyperbee.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Random Header and Node blocks encoded by hyperbee's generated codec ({@code interop/bee-codec.js})
 * and by {@link BlockCodec} must be the same bytes; each side decodes the other's bytes back to the
 * same fields. Covers empty and null values, empty keys, empty indexes and levels, leaves and inner
 * nodes, pointers up to 2^53 - 1, and header metadata in every combination.
 */
class BlockCodecInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HEADERS = 40;
  private static final int NODES = 400;
  private static final long MAX_SAFE = (1L << 53) - 1;

  private record NodeCase(YoloIndex index, byte[] key, byte[] value) {}

  private static byte[] bytes(Random rnd, int max) {
    byte[] b = new byte[rnd.nextInt(max + 1)];
    rnd.nextBytes(b);
    return b;
  }

  private static long pointer(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> 1 + rnd.nextInt(127);
      case 1 -> 1 + rnd.nextInt(100_000);
      case 2 -> 1 + (rnd.nextLong() >>> 11) % MAX_SAFE;
      default -> MAX_SAFE - rnd.nextInt(3);
    };
  }

  private static YoloIndex randomIndex(Random rnd) {
    int levels = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(6);
    List<YoloIndex.Level> out = new ArrayList<>();
    for (int i = 0; i < levels; i++) {
      int keys = rnd.nextInt(9);
      long[] k = new long[keys];
      for (int j = 0; j < keys; j++) k[j] = pointer(rnd);
      long[] c = new long[rnd.nextBoolean() ? 0 : 2 * (keys + 1)];
      for (int j = 0; j < c.length; j += 2) {
        c[j] = pointer(rnd);
        c[j + 1] = rnd.nextInt(4) == 0 ? rnd.nextInt(100_000) : rnd.nextInt(6);
      }
      out.add(new YoloIndex.Level(k, c));
    }
    return new YoloIndex(out);
  }

  @Test
  void javaAndJsEncodeRandomBlocksIdentically() {
    Random rnd = TestSeeds.random("BlockCodecInteropIT");
    List<HeaderBlock> headers = new ArrayList<>();
    headers.add(new HeaderBlock("hyperbee", false, null, null));
    for (int i = 1; i < HEADERS; i++) {
      boolean meta = rnd.nextBoolean();
      headers.add(new HeaderBlock(rnd.nextInt(5) == 0 ? "other" : "hyperbee", meta,
          meta && rnd.nextBoolean() ? bytes(rnd, 40) : null, meta && rnd.nextBoolean() ? bytes(rnd, 300) : null));
    }
    List<NodeCase> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      byte[] value = switch (rnd.nextInt(5)) {
        case 0 -> null;
        case 1 -> new byte[0];
        case 2 -> bytes(rnd, 1000);
        default -> bytes(rnd, 40);
      };
      nodes.add(new NodeCase(randomIndex(rnd), bytes(rnd, rnd.nextInt(10) == 0 ? 0 : 200), value));
    }

    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode hs = in.putArray("headers");
    for (HeaderBlock h : headers) {
      ObjectNode o = hs.addObject().put("protocol", h.protocol());
      if (h.hasMetadata()) {
        ObjectNode m = o.putObject("metadata");
        m.put("contentFeed", h.contentFeed() == null ? null : HEX.formatHex(h.contentFeed()));
        m.put("userData", h.userData() == null ? null : HEX.formatHex(h.userData()));
      } else {
        o.putNull("metadata");
      }
    }
    ArrayNode ns = in.putArray("nodes");
    ArrayNode decode = in.putArray("decode");
    List<byte[]> javaHeaders = new ArrayList<>();
    List<byte[]> javaNodes = new ArrayList<>();
    for (HeaderBlock h : headers) {
      byte[] b = BlockCodec.encodeHeader(h);
      javaHeaders.add(b);
      decode.addObject().put("kind", "header").put("hex", HEX.formatHex(b));
    }
    for (NodeCase n : nodes) {
      ObjectNode o = ns.addObject();
      ArrayNode levels = o.putArray("levels");
      for (YoloIndex.Level l : n.index().levels()) {
        ObjectNode lo = levels.addObject();
        ArrayNode k = lo.putArray("keys");
        for (long x : l.keys()) k.add(x);
        ArrayNode c = lo.putArray("children");
        for (long x : l.children()) c.add(x);
      }
      o.put("key", HEX.formatHex(n.key()));
      o.put("value", n.value() == null ? null : HEX.formatHex(n.value()));
      byte[] b = BlockCodec.encodeNode(BlockCodec.encodeIndex(n.index()), n.key(), n.value());
      javaNodes.add(b);
      decode.addObject().put("kind", "node").put("hex", HEX.formatHex(b));
    }

    JsonNode out = NodeScript.call("bee-codec.js", in);

    for (int i = 0; i < headers.size(); i++) {
      String js = out.get("headers").get(i).asText();
      assertEquals(js, HEX.formatHex(javaHeaders.get(i)), "header " + i + " " + headers.get(i));
      assertEquals(headers.get(i), BlockCodec.decodeHeader(HEX.parseHex(js)), "header " + i);
      JsonNode d = out.get("decoded").get(i);
      assertTrue(d.get("ok").asBoolean());
      assertEquals(headers.get(i).protocol(), d.get("protocol").asText());
    }
    for (int i = 0; i < nodes.size(); i++) {
      NodeCase n = nodes.get(i);
      assertEquals(out.get("indexes").get(i).asText(), HEX.formatHex(BlockCodec.encodeIndex(n.index())), "index " + i);
      String js = out.get("nodes").get(i).asText();
      assertEquals(js, HEX.formatHex(javaNodes.get(i)), "node " + i);
      NodeBlock back = BlockCodec.decodeNode(MAX_SAFE + 1, HEX.parseHex(js)); // above every pointer
      assertArrayEquals(n.key(), back.key());
      assertArrayEquals(n.value(), back.value());
      assertEquals(n.index(), back.index(), "node " + i);
      JsonNode d = out.get("decoded").get(headers.size() + i);
      assertTrue(d.get("ok").asBoolean());
      assertEquals(HEX.formatHex(n.key()), d.get("key").asText());
      assertEquals(n.value() == null ? null : HEX.formatHex(n.value()), d.get("value").isNull() ? null : d.get("value").asText());
      for (int l = 0; l < n.index().levels().size(); l++) {
        YoloIndex.Level lv = n.index().levels().get(l);
        JsonNode jl = d.get("levels").get(l);
        for (int k = 0; k < lv.keys().length; k++) assertEquals(lv.keys()[k], jl.get("keys").get(k).asLong());
        for (int k = 0; k < lv.children().length; k++) assertEquals(lv.children()[k], jl.get("children").get(k).asLong());
      }
    }
  }
}
