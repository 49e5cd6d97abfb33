package org.maiaos.mesh.node.sync.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.Blake3;
import org.maiaos.mesh.cojson.storage.model.CanonicalJson;
import org.maiaos.mesh.cojson.storage.model.CoValueIds;
import org.maiaos.mesh.cojson.storage.model.Json;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * The sessions hash of a {@code reconcile} message ({@code sync.ts hashKnownStateSessions} =
 * {@code crypto.shortHash(knownState.sessions)}): {@code shortHash_z} + base58 of the first 19
 * bytes of BLAKE3 over {@code stableStringify} of the session → count object. Equal hashes mean the
 * server already holds what the client has, so it sends no {@code load}.
 */
public final class SessionsHash {
  public static final String PREFIX = "shortHash_z";

  private SessionsHash() {}

  /** The hash of a known state's sessions (its header flag and ID are not part of it). */
  public static String of(KnownState knownState) {
    return of(knownState.sessions());
  }

  /** The hash of a session ID → transaction count map; order does not matter. */
  public static String of(Map<String, Long> sessions) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, Long> e : sessions.entrySet()) o.put(e.getKey(), e.getValue());
    byte[] canonical = CanonicalJson.stringify(o).getBytes(StandardCharsets.UTF_8);
    return ZEncoded.encode(PREFIX, Blake3.hash(canonical, CoValueIds.SHORT_HASH_BYTES));
  }
}
