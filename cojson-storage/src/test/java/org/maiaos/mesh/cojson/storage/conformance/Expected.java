package org.maiaos.mesh.cojson.storage.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/** A model of a CoValue built from the messages sent to storage: per session the transactions and every signature seen. */
final class Expected {
  final Map<String, List<String>> txs = new LinkedHashMap<>();
  /** session -> end index (exclusive count) -> the signature of that prefix. */
  final Map<String, Map<Long, String>> signatures = new HashMap<>();

  static Expected of(List<ContentMessage> messages) {
    Expected e = new Expected();
    for (ContentMessage m : messages) e.add(m);
    return e;
  }

  void add(ContentMessage m) {
    for (Map.Entry<String, SessionNewContent> s : m.sessions().entrySet()) {
      List<String> list = txs.computeIfAbsent(s.getKey(), k -> new ArrayList<>());
      long after = s.getValue().after();
      if (after > list.size()) continue; // a gap: storage skips it too
      List<Transaction> nt = s.getValue().newTransactions();
      for (int i = (int) (list.size() - after); i < nt.size(); i++) list.add(nt.get(i).raw());
      signatures.computeIfAbsent(s.getKey(), k -> new HashMap<>()).put(s.getValue().end(), s.getValue().lastSignature());
    }
  }

  Map<String, Long> counts() {
    Map<String, Long> c = new LinkedHashMap<>();
    txs.forEach((k, v) -> c.put(k, (long) v.size()));
    return c;
  }
}
