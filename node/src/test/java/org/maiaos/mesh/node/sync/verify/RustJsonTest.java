package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.Json;
import org.maiaos.mesh.hypercore.HypercoreException;

/** Known answers: how cojson 0.20.19's Rust core wrote back these header meta values. */
class RustJsonTest {
  private static String rust(String json) throws Exception {
    StringBuilder sb = new StringBuilder();
    RustJson.appendValue(sb, Json.MAPPER.readTree(json));
    return sb.toString();
  }

  @Test
  void numbersAreWrittenAsSerdeJsonAndRyuWriteThem() throws Exception {
    String[][] cases = {
        {"1.5", "1.5"}, {"1e21", "1e21"}, {"1e-7", "1e-7"}, {"18446744073709551616", "1.8446744073709552e19"},
        {"0.000001", "1e-6"}, {"0.00001", "0.00001"}, {"123456789012345680000", "1.2345678901234567e20"},
        {"10000000000000002", "10000000000000002"}, {"9007199254740992", "9007199254740992"}, {"1.5e300", "1.5e300"},
        {"-9223372036854775808", "-9.223372036854776e18"}, {"9223372036854775808", "9223372036854776000"},
        {"1000000000000000.5", "1000000000000000.4"}, // serde_json's two roundings, not a typo
        {"12345678901234567", "12345678901234568"}, {"0.30000000000000004", "0.30000000000000004"}, {"5e-324", "5e-324"},
        {"-0", "0"}, {"-5", "-5"}, {"7.0", "7"}, {"1e400", "null"}};
    for (String[] c : cases) assertEquals(c[1], rust(c[0]), c[0]);
  }

  @Test
  void objectKeysSortByCodePoint() throws Exception {
    assertEquals("{\"B\":4,\"a\":3,\"\uffff\":1,\"\ud83d\ude00\":2}", rust("{\"\uffff\":1,\"\ud83d\ude00\":2,\"a\":3,\"B\":4}"));
    assertEquals("{\"z\":{\"a\":null,\"b\":[1,{\"x\":2,\"y\":1}]}}", rust("{\"z\":{\"b\":[1,{\"y\":1,\"x\":2}],\"a\":null}}"));
    assertEquals(List.of("B", "a", "\uffff", "\ud83d\ude00"), RustJson.sortedKeys(Json.MAPPER.readTree("{\"\ud83d\ude00\":0,\"\uffff\":0,\"a\":0,\"B\":0}")));
  }

  @Test
  void loneSurrogatesAreRejected() throws Exception {
    JsonNode n = Json.MAPPER.readTree("{\"s\":\"\\ud800\"}");
    assertEquals(SyncError.INVALID_HEADER, assertThrows(HypercoreException.class, () -> RustJson.appendValue(new StringBuilder(), n)).code());
    assertEquals(-1, RustJson.loneSurrogateAt("a\ud83d\ude00b"));
    assertEquals(1, RustJson.loneSurrogateAt("a\ude00\ud83d"));
    assertEquals(0, RustJson.loneSurrogateAt("\ud83d"));
  }

  @Test
  void integersInU64OrI64RangeStayIntegers() {
    assertEquals("18446744073709551615", RustJson.parse("18446744073709551615").integer().toString());
    assertEquals(null, RustJson.parse("18446744073709551616").integer());
    assertEquals("-9223372036854775808", RustJson.parse("-9223372036854775808").integer().toString());
    assertEquals(null, RustJson.parse("-9223372036854775809").integer());
    assertEquals(null, RustJson.parse("1.0").integer());
  }
}
