package org.maiaos.mesh.cojson.storage.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/** What one {@code load} emitted, and the value reassembled from its pieces (checking contiguity on the way). */
public final class Loaded {
  public final List<ContentMessage> messages = new ArrayList<>();
  public Boolean found;

  public static Loaded of(StorageApi storage, String id) {
    Loaded l = new Loaded();
    storage.load(id, l.messages::add, f -> l.found = f);
    return l;
  }

  /** The pieces of {@code id} itself (dependencies excluded), in emission order. */
  public List<ContentMessage> piecesOf(String id) {
    return messages.stream().filter(m -> m.id().equals(id)).toList();
  }

  /** Session to its raw transactions, asserting every piece starts where the previous one ended. */
  public Map<String, List<String>> transactionsOf(String id) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ContentMessage m : piecesOf(id)) {
      for (Map.Entry<String, SessionNewContent> e : m.sessions().entrySet()) {
        List<String> txs = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
        assertEquals(txs.size(), e.getValue().after(), "piece of " + e.getKey() + " does not start where the last ended");
        for (Transaction t : e.getValue().newTransactions()) txs.add(t.raw());
      }
    }
    return out;
  }

  /** Session to the signature of its last piece. */
  public Map<String, String> lastSignaturesOf(String id) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ContentMessage m : piecesOf(id)) m.sessions().forEach((k, v) -> out.put(k, v.lastSignature()));
    return out;
  }

  /** The order in which CoValue IDs first appear. */
  public List<String> idOrder() {
    List<String> ids = new ArrayList<>();
    for (ContentMessage m : messages) if (!ids.contains(m.id())) ids.add(m.id());
    return ids;
  }

  public void assertFound() {
    assertTrue(Boolean.TRUE.equals(found), "load did not report found");
  }
}
