package org.maiaos.mesh.node.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object on one line, written by hand: the CLI's outputs are flat objects of strings,
 * numbers, nulls and lists of strings, which does not justify a JSON library on the node's runtime path.
 */
final class JsonOut {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  JsonOut put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      quote(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v == null) sb.append("null");
      else if (v instanceof Number || v instanceof Boolean) sb.append(v);
      else if (v instanceof List<?> list) array(sb, list);
      else quote(sb, v.toString());
    }
    return sb.append('}').toString();
  }

  /** A list is written as an array of strings. */
  private static void array(StringBuilder sb, List<?> list) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) sb.append(',');
      quote(sb, String.valueOf(list.get(i)));
    }
    sb.append(']');
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
