package org.maiaos.mesh.hyperbee;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text laid out as JS {@code JSON.stringify} lays it out, so the json encoding writes the bytes
 * JS hyperbee writes: no whitespace, object members in insertion order, non-ASCII characters as they
 * are (emoji included, where Jackson would write escaped surrogates), {@code \b \f \n \r \t} and other
 * control characters as backslash-u escapes in lowercase hex, lone surrogates escaped (ES2019), integral
 * numbers and doubles formatted by ECMAScript's Number::toString rules. The digits of a double come
 * from Java's Double.toString, which on Java 17 is not always the shortest form JS prints (rare).
 */
final class JsonText {
  private JsonText() {}

  static String stringify(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(sb, node);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT -> {
        sb.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) sb.append(',');
          first = false;
          string(sb, e.getKey());
          sb.append(':');
          write(sb, e.getValue());
        }
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) sb.append(',');
          write(sb, n.get(i));
        }
        sb.append(']');
      }
      case STRING -> string(sb, n.textValue());
      case BOOLEAN -> sb.append(n.booleanValue());
      case NUMBER -> number(sb, n);
      default -> sb.append("null"); // null, missing; binary and POJO nodes have no JSON form in JS
    }
  }

  private static void number(StringBuilder sb, JsonNode n) {
    if (n.isIntegralNumber()) {
      sb.append(n.bigIntegerValue());
      return;
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      sb.append("null"); // as JSON.stringify
    } else if (d == 0) {
      sb.append('0');
    } else {
      jsNumber(sb, d);
    }
  }

  /** ECMAScript Number::toString over the digits of Java's Double.toString. */
  private static void jsNumber(StringBuilder sb, double d) {
    if (d < 0) sb.append('-');
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int k = digits.length();
    int n = k - bd.scale(); // value = 0.digits * 10^n
    if (k <= n && n <= 21) {
      sb.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) sb.append('.').append(digits, 1, k);
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
              && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
