package org.maiaos.mesh.cojson.storage.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.StorageError;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * Applies {@link DiffSequences.Op}s to our {@link StorageApi} and reports each result in the shape
 * {@code interop/cojson-storage-diff.js} reports cojson's (see there). The one documented
 * difference it folds in: a store of content without header for a value storage lacks, that no
 * correction completes, throws UNKNOWN_COVALUE here where cojson returns false; it is reported as
 * {@code result: false} and counted in {@link #unknownCoValueThrows}.
 */
final class DiffRunner {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  int unknownCoValueThrows;
  int multiPieceLoads;
  int correctionsAsked;

  ObjectNode apply(StorageApi storage, DiffSequences.Op op) {
    ObjectNode out = F.objectNode();
    switch (op.kind()) {
      case "store" -> {
        ArrayNode corrections = F.arrayNode();
        boolean[] done = {false};
        try {
          boolean result = storage.store(op.msg(), k -> {
            corrections.add(known(k));
            correctionsAsked++;
            return op.correction();
          }, () -> done[0] = true);
          out.put("result", result);
        } catch (HypercoreException e) {
          if (e.code() != StorageError.UNKNOWN_COVALUE) throw e;
          unknownCoValueThrows++;
          out.put("result", false);
        }
        out.put("done", done[0]);
        out.set("corrections", corrections);
      }
      case "markDelete" -> storage.markDeleteAsValid(op.id());
      case "erase" -> storage.eraseAllDeletedCoValues();
      case "unmount" -> storage.onCoValueUnmounted(op.id());
      case "check" -> {
        ArrayNode values = F.arrayNode();
        for (String id : op.ids()) {
          ObjectNode v = F.objectNode();
          v.put("id", id);
          Optional<KnownState> disk = storage.loadKnownState(id);
          v.set("disk", disk.isPresent() ? known(disk.get()) : F.nullNode());
          v.set("cached", known(storage.getKnownState(id)));
          List<ContentMessage> pieces = new ArrayList<>();
          Boolean[] found = {null};
          storage.load(id, pieces::add, f -> found[0] = f);
          v.put("found", found[0]);
          ArrayNode ps = F.arrayNode();
          for (ContentMessage m : pieces) ps.add(piece(m));
          if (pieces.stream().filter(m -> m.id().equals(id)).count() > 1) multiPieceLoads++;
          v.set("pieces", ps);
          v.set("cachedAfter", known(storage.getKnownState(id)));
          values.add(v);
        }
        out.set("values", values);
      }
      default -> throw new IllegalArgumentException(op.kind());
    }
    return out;
  }

  static ObjectNode known(KnownState k) {
    ObjectNode o = F.objectNode();
    o.put("header", k.header());
    ObjectNode s = o.putObject("sessions");
    k.sessions().forEach(s::put);
    return o;
  }

  static ObjectNode piece(ContentMessage m) {
    ObjectNode o = F.objectNode();
    o.put("id", m.id());
    if (m.header() == null) o.putNull("header");
    else o.put("header", m.header().raw());
    o.put("priority", m.priority());
    if (m.expectContentUntil() == null) {
      o.putNull("expect");
    } else {
      ObjectNode e = o.putObject("expect");
      m.expectContentUntil().forEach(e::put);
    }
    ObjectNode sessions = o.putObject("sessions");
    for (Map.Entry<String, SessionNewContent> e : m.sessions().entrySet()) {
      ObjectNode s = sessions.putObject(e.getKey());
      s.put("after", e.getValue().after());
      s.put("count", e.getValue().newTransactions().size());
      s.put("lastSignature", e.getValue().lastSignature());
      s.put("digest", digest(e.getValue().newTransactions()));
    }
    return o;
  }

  private static String digest(List<Transaction> txs) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Transaction t : txs) md.update((t.raw() + "\n").getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : md.digest()) sb.append(String.format("%02x", b));
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A check result with every run of consecutive later pieces of one value (pieces after the
   * value's first one) sorted by their session ID, stably: what differs between session orders.
   */
  static JsonNode laterPiecesBySession(JsonNode result) {
    if (!result.has("values")) return result;
    ObjectNode out = result.deepCopy();
    for (JsonNode v : out.get("values")) {
      ArrayNode pieces = (ArrayNode) v.get("pieces");
      List<JsonNode> list = new ArrayList<>();
      pieces.forEach(list::add);
      java.util.Set<String> seen = new java.util.HashSet<>();
      int i = 0;
      while (i < list.size()) {
        String id = list.get(i).get("id").asText();
        if (seen.add(id)) {
          i++;
          continue;
        }
        int end = i;
        while (end < list.size() && list.get(end).get("id").asText().equals(id)) end++;
        list.subList(i, end).sort(java.util.Comparator.comparing(p -> p.get("sessions").fieldNames().next()));
        i = end;
      }
      pieces.removeAll();
      list.forEach(pieces::add);
    }
    return out;
  }

  /** JS's results are compared as they came; numbers are normalised to longs so 3 and 3L compare equal. */
  static JsonNode normalise(JsonNode n) {
    if (n.isIntegralNumber()) return F.numberNode(n.longValue());
    if (n.isObject()) {
      ObjectNode o = F.objectNode();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), normalise(e.getValue())));
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = F.arrayNode();
      n.forEach(x -> a.add(normalise(x)));
      return a;
    }
    return n;
  }
}
