package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class EncodingTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static String json(JsonNode n) {
    return new String(Encoding.JSON.encode(n), StandardCharsets.UTF_8);
  }

  @Test
  void jsonIsLaidOutAsJsonStringifyLaysItOut() {
    ObjectNode o = F.objectNode();
    o.put("b", 1).put("a", "x").putNull("n").put("t", true);
    o.putArray("arr").add(1.5).add(2.0).add(-0.25);
    assertEquals("{\"b\":1,\"a\":\"x\",\"n\":null,\"t\":true,\"arr\":[1.5,2,-0.25]}", json(o));
  }

  @Test
  void jsonEscapesAsJs() {
    assertEquals("\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/é😀\"", json(F.textNode("\"\\\b\f\n\r\t\u0001\u001f/é😀")));
    assertEquals("\"\\ud83d\"", json(F.textNode("\ud83d")), "a lone surrogate is escaped (ES2019)");
    assertEquals("1e+21", json(F.numberNode(1e21)));
    assertEquals("null", json(F.numberNode(Double.NaN)));
  }

  @Test
  void jsonNullIsNoValue() {
    assertTrue(Encoding.JSON.isNull(F.nullNode()));
    assertTrue(Encoding.JSON.isNull(null));
  }

  @Test
  void jsonRoundTripsAndRejectsGarbage() {
    JsonNode n = Encoding.JSON.decode("{\"k\":[1,\"é\"]}".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"k\":[1,\"é\"]}", json(n));
    HypercoreException e = assertThrows(HypercoreException.class, () -> Encoding.JSON.decode(new byte[] {'{'}));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void utf8AndBinary() {
    assertArrayEquals(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd}, Encoding.UTF8.encode("\ud800"), "lone surrogate -> U+FFFD");
    assertEquals("\ufffd", Encoding.UTF8.decode(new byte[] {(byte) 0xff}));
    byte[] b = {1, 2};
    byte[] enc = Encoding.BINARY.encode(b);
    b[0] = 9;
    assertArrayEquals(new byte[] {1, 2}, enc, "binary copies");
  }
}
