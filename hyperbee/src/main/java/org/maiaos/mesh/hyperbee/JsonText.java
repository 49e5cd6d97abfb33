package org.maiaos.mesh.hyperbee;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * JSON text laid out as JS {@code JSON.stringify} lays it out, so the json encoding writes the bytes
 * JS hyperbee writes: no whitespace, object members in insertion order, non-ASCII characters as they
 * are (emoji included, where Jackson would write escaped surrogates), {@code \b \f \n \r \t} and other
 * control characters as backslash-u escapes in lowercase hex, lone surrogates escaped (ES2019), doubles
 * formatted by ECMAScript's Number::toString ({@link JsonStringify}). Integral nodes keep all their
 * digits (a JS number would round those past 2^53).
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
          JsonStringify.appendString(sb, e.getKey());
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
      case STRING -> JsonStringify.appendString(sb, n.textValue());
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
    sb.append(JsonStringify.number(n.doubleValue()));
  }
}
