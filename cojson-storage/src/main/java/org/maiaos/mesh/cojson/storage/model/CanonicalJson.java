package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * cojson's {@code stableStringify} ({@code cojson/src/jsonStringify.ts}): object keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as {@code JSON.stringify} does (lowercase
 * {@code \\u00xx}, lone surrogates escaped, everything else literal), numbers written as JavaScript
 * writes a double. The quirk that strings starting with {@code encrypted_U} or {@code binary_U}
 * are quoted without escaping is kept (it only differs for malformed blobs).
 */
public final class CanonicalJson {
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
        JsonStringify.appendString(sb, k);
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
        JsonStringify.appendString(sb, s);
      }
    } else if (node.isBoolean()) {
      sb.append(node.booleanValue());
    } else if (node.isNumber()) {
      sb.append(JsonStringify.number(node.doubleValue()));
    } else {
      throw new IllegalArgumentException("not JSON: " + node.getNodeType());
    }
  }
}
