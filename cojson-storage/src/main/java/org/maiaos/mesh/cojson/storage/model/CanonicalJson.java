package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * cojson's {@code stableStringify} ({@code cojson/src/jsonStringify.ts}): object keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as {@code JSON.stringify} does (lowercase
 * {@code \\u00xx}, lone surrogates escaped, everything else literal), numbers written as JavaScript
 * writes a double. The quirk that strings starting with {@code encrypted_U} or {@code binary_U}
 * are quoted without escaping is kept (it only differs for malformed blobs).
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  public static String stringify(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(sb, node);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      sb.append("null");
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext();) keys.add(it.next());
      keys.sort(null); // String.compareTo orders by UTF-16 code units, like Array.prototype.sort
      sb.append('{');
      boolean first = true;
      for (String k : keys) {
        if (!first) sb.append(',');
        first = false;
        quote(sb, k);
        sb.append(':');
        write(sb, node.get(k));
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) sb.append(',');
        write(sb, node.get(i));
      }
      sb.append(']');
    } else if (node.isTextual()) {
      String s = node.textValue();
      if (s.startsWith("encrypted_U") || s.startsWith("binary_U")) {
        sb.append('"').append(s).append('"');
      } else {
        quote(sb, s);
      }
    } else if (node.isBoolean()) {
      sb.append(node.booleanValue());
    } else if (node.isNumber()) {
      sb.append(jsNumber(node.doubleValue()));
    } else {
      throw new IllegalArgumentException("not JSON: " + node.getNodeType());
    }
  }

  /** {@code JSON.stringify(s)}. */
  public static void quote(StringBuilder sb, String s) {
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
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              unicodeEscape(sb, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicodeEscape(sb, c); // a low surrogate without its high half
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
  }

  /** {@code String(d)} in JavaScript (Number::toString): shortest round-trip digits, JS exponent rules. */
  public static String jsNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return "null"; // stableStringify: non-finite -> null
    if (d == 0) return "0";
    if (d < 0) return "-" + jsNumber(-d);
    if (d == Math.rint(d) && d < 0x1p53) return Long.toString((long) d); // exact, and already shortest
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // value = 0.digits * 10^n
    StringBuilder sb = new StringBuilder();
    if (k <= n && n <= 21) {
      sb.append(digits);
      for (int i = 0; i < n - k; i++) sb.append('0');
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.");
      for (int i = 0; i < -n; i++) sb.append('0');
      sb.append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) sb.append('.').append(digits, 1, k);
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }
}
