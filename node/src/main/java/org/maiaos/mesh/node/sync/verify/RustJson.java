package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * JSON as cojson's Rust core writes it back after parsing what JavaScript sent it (the header goes
 * through {@code JSON.stringify} in {@code verifiedState.ts}, then serde_json). Three things differ
 * from {@code stableStringify}:
 *
 * <ul>
 *   <li>object keys ({@code BTreeMap}) sort by code point, not by UTF-16 unit;
 *   <li>numbers: serde_json reads the text {@code JSON.stringify} wrote as a u64 or i64 when it is an
 *       integer in range, else as an f64 with its own arithmetic (no {@code float_roundtrip}: the
 *       significand times or divided by one power of ten), and writes an f64 with ryu
 *       ({@code 1e21}, {@code 1e-6}, {@code 1.8446744073709552e19}, where JavaScript writes
 *       {@code 1e+21}, {@code 0.000001}, {@code 18446744073709552000});
 *   <li>a string with a lone surrogate is an error.
 * </ul>
 * Everything else (escapes with lowercase hex, literal non-ASCII) is the same.
 */
final class RustJson {
  private static final double[] POW10 = new double[309];

  static {
    for (int i = 0; i < POW10.length; i++) POW10[i] = Double.parseDouble("1e" + i);
  }

  private RustJson() {}

  /** A number as serde_json holds it: an integer ({@code integer} set) or an f64. */
  record Number(BigInteger integer, double f64) {
    boolean isInteger() {
      return integer != null;
    }
  }

  /** The index of the first lone surrogate in {@code s}, or -1. */
  static int loneSurrogateAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Appends a string as serde_json writes it; INVALID_HEADER for a lone surrogate. */
  static void appendString(StringBuilder sb, String s) {
    int at = loneSurrogateAt(s);
    if (at >= 0) throw SyncError.INVALID_HEADER.error("lone surrogate at character %d of a string (serde_json rejects it)", at);
    JsonStringify.appendString(sb, s); // identical for well-formed strings
  }

  /** Appends any JSON value ({@code session_map.rs JsonValue}): keys sorted by code point. */
  static void appendValue(StringBuilder sb, JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      sb.append("null");
    } else if (n.isBoolean()) {
      sb.append(n.booleanValue());
    } else if (n.isNumber()) {
      sb.append(number(n));
    } else if (n.isTextual()) {
      appendString(sb, n.textValue());
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) sb.append(',');
        appendValue(sb, n.get(i));
      }
      sb.append(']');
    } else if (n.isObject()) {
      sb.append('{');
      boolean first = true;
      for (String k : sortedKeys(n)) {
        if (!first) sb.append(',');
        first = false;
        appendString(sb, k);
        sb.append(':');
        appendValue(sb, n.get(k));
      }
      sb.append('}');
    } else {
      throw SyncError.INVALID_HEADER.error("not a JSON value: %s", n.getNodeType());
    }
  }

  /** An object's keys in {@code BTreeMap<String, _>} order (UTF-8 bytes = code points). */
  static List<String> sortedKeys(JsonNode obj) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = obj.fieldNames(); it.hasNext();) keys.add(it.next());
    keys.sort(RustJson::compareCodePoints);
    return keys;
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** A JSON number as serde_json writes it after reading {@code JSON.stringify}'s text of it; null when JS writes null. */
  static String number(JsonNode n) {
    double d = n.doubleValue();
    if (!Double.isFinite(d)) return "null"; // JSON.stringify(Infinity)
    Number v = parse(JsonStringify.number(d));
    return v.isInteger() ? v.integer().toString() : ryu(v.f64());
  }

  /** serde_json's number parser (read.rs, without float_roundtrip) on a JSON number text. */
  static Number parse(String text) {
    int i = 0;
    boolean positive = true;
    if (text.charAt(0) == '-') {
      positive = false;
      i++;
    }
    long sig = 0; // unsigned
    int exponent = 0;
    boolean overflowed = false;
    // integer part
    for (; i < text.length() && isDigit(text.charAt(i)); i++) {
      int digit = text.charAt(i) - '0';
      if (overflowed || wouldOverflow(sig, digit)) {
        overflowed = true;
        exponent++; // parse_long_integer: further integer digits only scale
      } else {
        sig = sig * 10 + digit;
      }
    }
    boolean isFloat = overflowed;
    if (i < text.length() && text.charAt(i) == '.') {
      isFloat = true;
      i++;
      boolean stop = false;
      for (; i < text.length() && isDigit(text.charAt(i)); i++) {
        int digit = text.charAt(i) - '0';
        if (stop || wouldOverflow(sig, digit)) {
          stop = true; // parse_decimal_overflow: ignore the rest
        } else {
          sig = sig * 10 + digit;
          exponent--;
        }
      }
    }
    if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      isFloat = true;
      i++;
      boolean positiveExp = true;
      if (text.charAt(i) == '+') {
        i++;
      } else if (text.charAt(i) == '-') {
        positiveExp = false;
        i++;
      }
      int exp = Integer.parseInt(text.substring(i)); // JS exponents have at most 3 digits
      exponent = positiveExp ? exponent + exp : exponent - exp;
    }
    if (!isFloat) {
      BigInteger u = new BigInteger(Long.toUnsignedString(sig));
      if (positive) return new Number(u, 0);
      if (u.bitLength() <= 63 || u.equals(BigInteger.ONE.shiftLeft(63))) {
        if (u.signum() == 0) return new Number(null, -0.0); // "-0" is an f64 in serde_json
        return new Number(u.negate(), 0);
      }
      return new Number(null, -unsignedToDouble(sig));
    }
    double f = unsignedToDouble(sig);
    while (true) {
      int abs = Math.abs(exponent);
      if (abs < POW10.length) {
        if (exponent >= 0) {
          f *= POW10[abs];
          if (Double.isInfinite(f)) throw SyncError.INVALID_HEADER.error("number %s out of range for serde_json", text);
        } else {
          f /= POW10[abs];
        }
        break;
      }
      if (f == 0.0) break;
      if (exponent >= 0) throw SyncError.INVALID_HEADER.error("number %s out of range for serde_json", text);
      f /= 1e308;
      exponent += 308;
    }
    return new Number(null, positive ? f : -f);
  }

  /** ryu's {@code format64}: shortest digits, decimal notation when the point falls in (-5, 16], else {@code de[-]x}. */
  static String ryu(double f) {
    if (f == 0) return (1 / f < 0) ? "-0.0" : "0.0";
    StringBuilder sb = new StringBuilder(24);
    if (f < 0) {
      sb.append('-');
      f = -f;
    }
    // the shortest round-trip digits are the same whoever picks them; take them from JS's form
    BigDecimal shortest = new BigDecimal(JsonStringify.number(f)).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int length = digits.length();
    int k = -shortest.scale(); // value = digits * 10^k
    int kk = length + k;
    if (0 <= k && kk <= 16) {
      sb.append(digits).append("0".repeat(kk - length)).append(".0");
    } else if (0 < kk && kk <= 16) {
      sb.append(digits, 0, kk).append('.').append(digits, kk, length);
    } else if (-5 < kk && kk <= 0) {
      sb.append("0.").append("0".repeat(-kk)).append(digits);
    } else if (length == 1) {
      sb.append(digits).append('e').append(kk - 1);
    } else {
      sb.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(kk - 1);
    }
    return sb.toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** serde_json's {@code overflow!(sig * 10 + digit, u64::MAX)}. */
  private static boolean wouldOverflow(long sig, int digit) {
    long maxDiv10 = Long.divideUnsigned(-1L, 10);
    long maxRem10 = Long.remainderUnsigned(-1L, 10);
    return Long.compareUnsigned(sig, maxDiv10) >= 0 && (Long.compareUnsigned(sig, maxDiv10) > 0 || digit > maxRem10);
  }

  /** Rust's {@code u64 as f64}: round to nearest, ties to even. */
  private static double unsignedToDouble(long sig) {
    if (sig >= 0) return (double) sig;
    return new BigDecimal(Long.toUnsignedString(sig)).doubleValue();
  }
}
