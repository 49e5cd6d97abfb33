package org.maiaos.mesh.hyperswarm.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * The eight small {@code hypercore/alpha} messages against JS {@code lib/messages.js wire.*}:
 * random messages encode to the same bytes on both sides, and random or mutated bytes decode to
 * the same fields (or fail on both sides; Java is stricter only where it refuses uints above 2^53-1).
 */
class ChannelMessagesInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int PER_KIND = 150;
  /** Jackson types 4 as int on one side and long on the other; compare numbers by value. */
  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) return Long.compare(a.asLong(), b.asLong());
    return a.equals(b) ? 0 : 1;
  };

  @Test
  void randomMessagesEncodeAndDecodeLikeJs() {
    Random r = TestSeeds.random("ChannelMessagesInteropIT");
    List<Map<String, Object>> encode = new ArrayList<>();
    List<byte[]> javaBytes = new ArrayList<>();
    List<Map<String, Object>> decode = new ArrayList<>();
    List<byte[]> decodeInputs = new ArrayList<>();
    List<ChannelMessages.Kind<?>> decodeKinds = new ArrayList<>();
    for (ChannelMessages.Kind<?> kind : ChannelMessages.ALL) {
      for (int i = 0; i < PER_KIND; i++) {
        Object m = kind.random().apply(r);
        byte[] b = kind.encode(m);
        encode.add(Map.of("type", kind.type(), "m", kind.jsonOf(m)));
        javaBytes.add(b);
        byte[] input = b.clone();
        switch (r.nextInt(3)) {
          case 0 -> { } // as is
          case 1 -> input = java.util.Arrays.copyOf(input, r.nextInt(input.length + 1)); // truncated
          default -> { if (input.length > 0) input[r.nextInt(input.length)] = (byte) r.nextInt(256); } // mutated
        }
        decode.add(Map.of("type", kind.type(), "hex", HEX.formatHex(input)));
        decodeInputs.add(input);
        decodeKinds.add(kind);
      }
    }
    JsonNode js = NodeScript.call("wire-messages.js", Map.of("encode", encode, "decode", decode));
    for (int i = 0; i < javaBytes.size(); i++) {
      assertEquals(js.get("encoded").get(i).asText(), HEX.formatHex(javaBytes.get(i)), "encoding of " + encode.get(i));
    }
    int agreed = 0;
    int bothFailed = 0;
    for (int i = 0; i < decodeInputs.size(); i++) {
      ChannelMessages.Kind<?> kind = decodeKinds.get(i);
      JsonNode want = js.get("decoded").get(i);
      String at = kind.type() + " " + HEX.formatHex(decodeInputs.get(i));
      State s = State.of(decodeInputs.get(i));
      Object m;
      try {
        m = kind.decode().apply(s);
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code(), at + ": " + e.getMessage());
        if (want.get("ok").asBoolean() && !e.getMessage().contains("2^53-1") && !e.getMessage().contains("over limit")) {
          fail(at + ": JS decodes " + want.get("m") + ", Java: " + e.getMessage());
        }
        bothFailed++;
        continue;
      }
      if (!want.get("ok").asBoolean()) fail(at + ": Java decodes " + m + ", JS: " + want.get("error"));
      assertEquals(want.get("consumed").asInt(), s.start, at + ": bytes consumed");
      JsonNode got = NodeScript.JSON.valueToTree(kind.jsonOf(m));
      assertTrue(got.equals(NUMBERS_BY_VALUE, want.get("m")), at + ": Java " + got + ", JS " + want.get("m"));
      agreed++;
    }
    System.out.printf("ChannelMessagesInteropIT: %d encodings equal, %d decodes agree, %d rejected by both%n", javaBytes.size(), agreed, bothFailed);
    assertTrue(agreed > 0 && bothFailed > 0);
  }
}
