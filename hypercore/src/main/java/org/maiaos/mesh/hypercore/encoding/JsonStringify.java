package org.maiaos.mesh.hypercore.encoding;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Strings and numbers exactly as JavaScript's {@code JSON.stringify} writes them, for the formats
 * whose bytes are JSON text made by JS (Hyperbee's json encoding, cojson's canonical JSON). Written
 * here rather than taken from Jackson, which escapes and formats numbers differently: strings get
 * {@code \" \\ \b \f \n \r \t}, other control characters and lone surrogates as lowercase
 * {@code \\u00xx}, and everything else literally (emoji included); numbers get ECMAScript's
 * Number::toString, the shortest digits that read back as the same double.
 */
public final class JsonStringify {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonStringify() {}

  /** {@code JSON.stringify(s)}. */
  public static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendString(sb, s);
    return sb.toString();
  }

  /** Appends {@code JSON.stringify(s)}. */
  public static void appendString(StringBuilder sb, String s) {
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
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(sb, c); // a lone half (well-formed JSON.stringify, ES2019)
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

  /** {@code JSON.stringify(d)}: Number::toString, and {@code null} for NaN and the infinities. */
  public static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
    if (d == 0) return "0"; // -0 too
    if (d < 0) return "-" + number(-d);
    if (d == Math.rint(d) && d < 0x1p53) return Long.toString((long) d); // exact, and already shortest
    // Java 17's Double.toString is not always the shortest round-trip form (JDK-4511638): search it
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
    StringBuilder sb = new StringBuilder(k + 8);
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
    return sb.toString();
  }
}
