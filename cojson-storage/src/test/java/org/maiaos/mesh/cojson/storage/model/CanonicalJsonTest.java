package org.maiaos.mesh.cojson.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String canon(String json) throws Exception {
    return CanonicalJson.stringify(Json.MAPPER.readTree(json));
  }

  @Test
  void sortsKeysAtEveryLevelAndDropsWhitespace() throws Exception {
    assertEquals("{\"a\":[1,{\"x\":null,\"y\":true}],\"b\":{\"c\":\"d\"}}", canon("{ \"b\" : {\"c\":\"d\"}, \"a\": [1, {\"y\":true, \"x\":null}] }"));
  }

  @Test
  void sortsKeysByUtf16CodeUnitsLikeArraySort() throws Exception {
    // U+FF21 (one unit) sorts after U+1F600 (surrogates D83D DE00) in UTF-16 order, unlike code point order.
    assertEquals("{\"B\":1,\"a\":2,\"\uD83D\uDE00\":3,\"\uFF21\":4}", canon("{\"\uFF21\":4,\"a\":2,\"\uD83D\uDE00\":3,\"B\":1}"));
  }

  @Test
  void escapesStringsExactlyAsJsonStringify() throws Exception {
    assertEquals("\"q\\\"b\\\\ \\b\\f\\n\\r\\t \\u0000\\u001f\\u000b / \u00e9 \u2028 \u007f\"",
        canon("\"q\\\"b\\\\ \\b\\f\\n\\r\\t \\u0000\\u001F\\u000B \\/ \\u00e9 \\u2028 \\u007f\""));
  }

  @Test
  void escapesLoneSurrogatesInLowercase() throws Exception {
    assertEquals("\"a\\ud800b\\udc00\uD83D\uDE00\"", canon("\"a\\uD800b\\uDC00\\uD83D\\uDE00\""));
  }

  @Test
  void keepsEncryptedAndBinaryBlobsUnescaped() throws Exception {
    assertEquals("[\"encrypted_Uab-_\",\"binary_Uxy\"]", canon("[\"encrypted_Uab-_\",\"binary_Uxy\"]"));
  }

  @Test
  void writesNumbersAsJavaScriptDoes() throws Exception {
    // the number rules themselves are JsonStringify's, compared with JS in EncodingInteropIT
    assertEquals("[0,0,1,-5,0.1,1e+21,1e-7,9007199254740992,0.30000000000000004]",
        canon("[0,-0.0,1.0,-5,0.1,1e21,1e-7,9007199254740993,0.30000000000000004]"));
  }
}
