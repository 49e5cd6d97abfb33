package org.maiaos.mesh.node.sync.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.node.sync.verify.CanonicalTransaction;
import org.maiaos.mesh.node.sync.verify.SessionLog;

/**
 * One CoValue as a cojson client holds it: a header (in the key order cojson writes it), its ID,
 * and per session the transactions written so far with the agent that signs them. Produces the
 * wire messages a client sends: content pieces (any slice, signed as the Rust core signs:
 * Ed25519 over {@code "hash_z<base58(BLAKE3 of the canonical texts of txs 0..n-1)>"}), the
 * full content, and the known state. Transactions are trusting, written as cojson writes them
 * ({@code {"changes":"<JSON text>","madeAt":N,"privacy":"trusting"}}).
 */
public final class CoValueDraft {
  private static final AtomicLong CLOCK = new AtomicLong(System.currentTimeMillis());

  private record Session(CojsonAgent signer, List<ObjectNode> txs) {}

  private final String id;
  private final ObjectNode header;
  private final int priority;
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  /** A new value with {@code header} (kept as given: its key order is the order it is hashed and sent in) and no sessions yet. */
  public CoValueDraft(ObjectNode header) {
    this.header = header.deepCopy();
    CoValueHeader parsed = CoValueHeader.parse(header.toString());
    this.id = parsed.coValueId();
    this.priority = parsed.priority();
  }

  /** The CoValue ID the header hashes to. */
  public String id() {
    return id;
  }

  /** Appends {@code {"op":"set","key":key,"value":value}} to {@code sessionId}, signed by {@code signer}. */
  public CoValueDraft set(String sessionId, CojsonAgent signer, String key, String value) {
    ArrayNode changes = SyncClient.JSON.createArrayNode();
    changes.addObject().put("op", "set").put("key", key).put("value", value);
    return append(sessionId, signer, changes.toString());
  }

  /** Appends a trusting transaction with {@code changesJson} (a JSON array's text). */
  CoValueDraft append(String sessionId, CojsonAgent signer, String changesJson) {
    Session s = sessions.computeIfAbsent(sessionId, k -> new Session(signer, new ArrayList<>()));
    if (s.signer != signer) throw new IllegalArgumentException(sessionId + " is signed by " + s.signer);
    ObjectNode tx = SyncClient.JSON.createObjectNode();
    tx.put("changes", changesJson);
    tx.put("madeAt", CLOCK.incrementAndGet());
    tx.put("privacy", "trusting");
    s.txs.add(tx);
    return this;
  }

  /** The transactions written so far in {@code sessionId}. */
  public int count(String sessionId) {
    Session s = sessions.get(sessionId);
    return s == null ? 0 : s.txs.size();
  }

  /** The signature a piece ending at {@code n} transactions carries. */
  public String signature(String sessionId, int n) {
    Session s = session(sessionId);
    Blake3Digest h = new Blake3Digest();
    for (ObjectNode tx : s.txs.subList(0, n)) {
      byte[] b = CanonicalTransaction.of(tx.toString()).getBytes(StandardCharsets.UTF_8);
      h.update(b, 0, b.length);
    }
    byte[] hash = new byte[32];
    h.doFinal(hash, 0);
    return s.signer.sign(SessionLog.signedMessage(hash));
  }

  /** {@code {"after":from,"newTransactions":[txs from..to-1],"lastSignature":<signature of to>}}. */
  public ObjectNode piece(String sessionId, int from, int to) {
    Session s = session(sessionId);
    ObjectNode p = SyncClient.JSON.createObjectNode();
    p.put("after", from);
    ArrayNode txs = p.putArray("newTransactions");
    for (ObjectNode tx : s.txs.subList(from, to)) txs.add(tx.deepCopy());
    p.put("lastSignature", signature(sessionId, to));
    return p;
  }

  /** A content message line: the header if asked for, then the given pieces by session. */
  public String content(boolean withHeader, Map<String, ObjectNode> pieces) {
    return content(withHeader ? header : null, pieces);
  }

  /** A content message line under this value's ID with {@code header} (null: none), which need not be this value's. */
  public String content(ObjectNode header, Map<String, ObjectNode> pieces) {
    ObjectNode m = SyncClient.JSON.createObjectNode();
    m.put("action", "content");
    m.put("id", id);
    if (header != null) m.set("header", header.deepCopy());
    m.put("priority", priority);
    ObjectNode n = m.putObject("new");
    pieces.forEach(n::set);
    return m.toString();
  }

  /** A content line with one piece. */
  public String content(boolean withHeader, String sessionId, ObjectNode piece) {
    return content(withHeader, Map.of(sessionId, piece));
  }

  /** Everything: the header and every session from 0, as a client sends a new value. */
  public String full() {
    Map<String, ObjectNode> pieces = new LinkedHashMap<>();
    sessions.forEach((sid, s) -> pieces.put(sid, piece(sid, 0, s.txs.size())));
    return content(true, pieces);
  }

  /** {@code {"id","header":true,"sessions":{...}}} of what this fixture holds. */
  public ObjectNode knownState() {
    ObjectNode k = SyncClient.JSON.createObjectNode();
    k.put("id", id);
    k.put("header", true);
    ObjectNode ss = k.putObject("sessions");
    sessions.forEach((sid, s) -> ss.put(sid, s.txs.size()));
    return k;
  }

  /** The header with {@code field} replaced: no longer the header {@link #id} commits to. */
  public ObjectNode tamperedHeader(String field, String value) {
    ObjectNode h = header.deepCopy();
    h.put(field, value);
    return h;
  }

  private Session session(String sessionId) {
    Session s = sessions.get(sessionId);
    if (s == null) throw new IllegalArgumentException("no session " + sessionId + " in " + id);
    return s;
  }

  public static JsonNode parse(String json) {
    try {
      return SyncClient.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public String toString() {
    return "CoValueDraft " + id + " " + knownState().get("sessions");
  }
}
