package org.maiaos.mesh.hypercore.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Known answers; EncodingInteropIT compares thousands of random strings and doubles with JS. */
class JsonStringifyTest {
  @Test
  void escapesAsJavaScriptDoes() {
    assertEquals("\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0000\\u001f \u007f\u00e9\"", JsonStringify.string("a\"b\\c\b\f\n\r\t\u0000\u001f \u007f\u00e9"));
    assertEquals("\"\uD83D\uDE00\"", JsonStringify.string("\uD83D\uDE00"), "a pair stays literal");
    assertEquals("\"\\ud800x\\udc00\\udbff\"", JsonStringify.string("\uD800x\uDC00\uDBFF"), "lone halves are escaped");
    assertEquals("\"\\udc00\uD83D\uDE00\\ud83d\"", JsonStringify.string("\uDC00\uD83D\uDE00\uD83D"));
    assertEquals("\"\"", JsonStringify.string(""));
  }

  @Test
  void writesNumbersAsJavaScriptDoes() {
    String[][] cases = {
      {"0", "0"}, {"-0.0", "0"}, {"1", "1"}, {"1.0", "1"}, {"-5", "-5"}, {"100", "100"}, {"0.1", "0.1"},
      {"1.5", "1.5"}, {"1e21", "1e+21"}, {"123456789012345680000", "123456789012345680000"}, {"1e-7", "1e-7"},
      {"0.000001", "0.000001"}, {"1.23e-18", "1.23e-18"}, {"1.5e300", "1.5e+300"}, {"9007199254740993", "9007199254740992"},
      {"0.30000000000000004", "0.30000000000000004"}, {"5e-324", "5e-324"}, {"1795474623702", "1795474623702"},
      {"2e-323", "2e-323"}, {"1.0E23", "1e+23"}, {"-1.7976931348623157e308", "-1.7976931348623157e+308"}
    };
    for (String[] c : cases) assertEquals(c[1], JsonStringify.number(Double.parseDouble(c[0])), c[0]);
    assertEquals("null", JsonStringify.number(Double.NaN));
    assertEquals("null", JsonStringify.number(Double.NEGATIVE_INFINITY));
  }
}
