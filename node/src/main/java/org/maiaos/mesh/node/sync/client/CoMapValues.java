package org.maiaos.mesh.node.sync.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CoMap's content sets, read as a client shows it: the trusting {@code set} operations of
 * every session in a content message, applied in {@code madeAt} order (a later one wins; equal
 * times keep the order they came in; a key keeps the place of its first set). Private transactions, deletes and anything else are skipped:
 * a demo's reading of its own writes, not cojson's merge.
 */
public final class CoMapValues {
  private CoMapValues() {}

  private record Op(long madeAt, String key, JsonNode value) {}

  /** Key to value (strings as they are, other JSON as its text) of the {@code set}s in {@code content}. */
  public static Map<String, String> of(JsonNode content) {
    List<Op> ops = new ArrayList<>();
    content.path("new").forEach(session -> session.path("newTransactions").forEach(tx -> {
      if (!"trusting".equals(tx.path("privacy").asText())) return;
      JsonNode changes = CoValueDraft.parse(tx.path("changes").asText("[]"));
      for (JsonNode c : changes) {
        if ("set".equals(c.path("op").asText()) && c.path("key").isTextual()) {
          ops.add(new Op(tx.path("madeAt").asLong(), c.path("key").asText(), c.path("value")));
        }
      }
    }));
    ops.sort(Comparator.comparingLong(Op::madeAt));
    Map<String, String> out = new LinkedHashMap<>();
    for (Op op : ops) {
      out.put(op.key(), op.value().isTextual() ? op.value().asText() : op.value().toString());
    }
    return out;
  }
}
