package org.maiaos.mesh.cojson.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.Json;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * Internal. {@code coValueCore/utils.ts getDependedOnCoValuesFromRawData}: the CoValues a receiver
 * needs before this content: the owning group, {@code meta.source}, the account of every session,
 * and for groups every {@code set} key that names a CoValue (members, {@code parent_co_…}).
 */
final class Dependencies {
  private Dependencies() {}

  static Set<String> of(CoValueHeader header, ContentMessage msg) {
    Set<String> deps = new LinkedHashSet<>(header.dependencies());
    for (String sid : msg.sessions().keySet()) {
      String account = SessionIds.authorAccount(sid);
      if (account != null) deps.add(account);
    }
    if (header.isGroupOrAccount()) {
      for (SessionNewContent s : msg.sessions().values()) for (Transaction t : s.newTransactions()) groupKeys(t.raw(), deps);
    }
    deps.remove(msg.id());
    return deps;
  }

  private static void groupKeys(String rawTx, Set<String> deps) {
    try {
      JsonNode tx = Json.MAPPER.readTree(rawTx);
      if (!"trusting".equals(tx.path("privacy").asText())) return;
      JsonNode changes = Json.MAPPER.readTree(tx.path("changes").asText("[]"));
      if (!changes.isArray()) return;
      for (JsonNode c : changes) {
        if (!"set".equals(c.path("op").asText()) || !c.path("key").isTextual()) continue;
        String key = c.get("key").textValue();
        if (key.startsWith("parent_")) deps.add(key.substring("parent_".length()));
        else if (key.startsWith("co_")) deps.add(key);
      }
    } catch (JsonProcessingException e) {
      // safeParseChanges: unreadable changes name no dependency
    }
  }
}
