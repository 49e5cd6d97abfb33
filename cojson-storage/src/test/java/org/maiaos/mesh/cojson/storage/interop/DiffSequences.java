package org.maiaos.mesh.cojson.storage.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * Random operation sequences for {@link CojsonStorageDiffIT}: new values, appends, duplicates and
 * overlaps, gaps (answered with the missing content, with nothing, with an empty list, or with
 * content that has a gap again), content without header for values storage lacks, big
 * transactions that make storage save signatures (load cuts), deletes with erasure, unmounts, and
 * checks (known states and loads). A plain model of what storage should hold only steers the
 * generation; the judge is cojson.
 *
 * <p>All text is built in JSON.stringify's form, so cojson (which stores {@code JSON.stringify} of
 * what it parsed) and we (who store the text received) hold the same bytes.
 */
final class DiffSequences {
  /** One operation of a sequence; the fields a kind does not use are null. */
  record Op(String kind, ContentMessage msg, List<ContentMessage> correction, String id, List<String> ids) {
    String toJson() {
      StringBuilder sb = new StringBuilder("{\"op\":\"").append(kind).append('"');
      if (msg != null) {
        sb.append(",\"msg\":").append(msg.toJson()).append(",\"correction\":");
        if (correction == null) {
          sb.append("null");
        } else {
          sb.append('[');
          for (int i = 0; i < correction.size(); i++) sb.append(i > 0 ? "," : "").append(correction.get(i).toJson());
          sb.append(']');
        }
      }
      if (id != null) sb.append(",\"id\":").append(JsonStringify.string(id));
      if (ids != null) {
        sb.append(",\"ids\":[");
        for (int i = 0; i < ids.size(); i++) sb.append(i > 0 ? "," : "").append(JsonStringify.string(ids.get(i)));
        sb.append(']');
      }
      return sb.append('}').toString();
    }

    @Override
    public String toString() {
      String c = correction == null ? "" : " correction " + correction;
      return kind + (msg != null ? " " + msg + c : "") + (id != null ? " " + id : "") + (ids != null ? " " + ids : "");
    }
  }

  private static final long MADE_AT = 1_795_474_623_702L;
  private static final int MAX_BIG_CHARS_PER_SEQUENCE = 700_000;

  private final Random r;
  private final int seq;
  private final List<CoValueHeader> headers = new ArrayList<>();
  private final Map<String, CoValueHeader> byId = new HashMap<>();
  private final Map<String, List<String>> sessionsOf = new HashMap<>();
  /** The author's side: every transaction ever made, per value and session. */
  private final Map<String, Map<String, List<Transaction>>> log = new HashMap<>();
  /** What storage should hold: value (header stored) -> session -> count. */
  private final Map<String, Map<String, Long>> model = new LinkedHashMap<>();
  private final Set<String> markedDeleted = new HashSet<>();
  private final Set<String> pendingErase = new HashSet<>();
  private final Set<String> erased = new HashSet<>();
  private final String unknownId;
  private final List<Op> ops = new ArrayList<>();
  private int bigChars;
  private final boolean allowBig;

  private DiffSequences(Random r, int seq) {
    this.r = r;
    this.seq = seq;
    this.allowBig = r.nextInt(3) == 0;
    String group = null;
    if (r.nextBoolean()) {
      CoValueHeader g = header("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + agent(0) + "\"},\"meta\":null,"
          + "\"uniqueness\":\"group-" + seq + "\"}");
      group = g.coValueId();
    }
    String owner = group != null ? group : randomId();
    int values = 1 + r.nextInt(3);
    for (int v = 0; v < values; v++) {
      String u = "\"uniqueness\":\"v" + seq + "-" + v + "\"}";
      switch (r.nextInt(4)) {
        case 0 -> header("{\"type\":\"costream\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + owner + "\"},\"meta\":{\"type\":\"binary\"}," + u);
        case 1 -> header("{\"type\":\"colist\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null," + u);
        default -> header("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + owner + "\"},\"meta\":null,\"createdAt\":null," + u);
      }
    }
    this.unknownId = randomId();
  }

  /** {@code sequences} sequences of 6 to 24 operations, each ending with a check of every value. */
  static List<List<Op>> generate(Random r, int sequences) {
    List<List<Op>> out = new ArrayList<>();
    for (int i = 0; i < sequences; i++) out.add(new DiffSequences(r, i).build(6 + r.nextInt(19)));
    return out;
  }

  private CoValueHeader header(String raw) {
    CoValueHeader h = CoValueHeader.parse(raw);
    headers.add(h);
    byId.put(h.coValueId(), h);
    List<String> sessions = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      // mostly agent sessions (no dependency); sometimes an account's session (a dependency storage lacks)
      sessions.add(r.nextInt(5) == 0 ? "co_zAccount" + seq + "x" + i + "_session_z" + Base58.encode(new byte[] {(byte) i, 7})
          : agent(i) + "_session_z" + Base58.encode(new byte[] {(byte) (seq % 251), (byte) i, 9}));
    }
    sessionsOf.put(h.coValueId(), sessions);
    return h;
  }

  private static String agent(int i) {
    return "sealer_z" + Base58.encode(new byte[] {1, (byte) i, 2}) + "/signer_z" + Base58.encode(new byte[] {3, (byte) i, 4});
  }

  private String randomId() {
    byte[] b = new byte[19];
    r.nextBytes(b);
    return "co_z" + Base58.encode(b);
  }

  private List<Op> build(int n) {
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(100);
      if (model.isEmpty() || k < 12) storeNew();
      else if (k < 34) append(false);
      else if (k < 42) append(allowBig && bigChars < MAX_BIG_CHARS_PER_SEQUENCE);
      else if (k < 52) duplicate();
      else if (k < 64) gap();
      else if (k < 70) headerless();
      else if (k < 76) delete();
      else if (k < 80) erase();
      else if (k < 84) ops.add(new Op("unmount", null, null, headers.get(r.nextInt(headers.size())).coValueId(), null));
      else if (k < 86) ops.add(new Op("reopen", null, null, null, null));
      else if (k < 89) emptySession();
      else check();
    }
    check();
    return ops;
  }

  // ---- operations ----

  private void storeNew() {
    List<CoValueHeader> fresh = headers.stream().filter(h -> !model.containsKey(h.coValueId())).toList();
    if (fresh.isEmpty()) {
      append(false);
      return;
    }
    CoValueHeader h = fresh.get(r.nextInt(fresh.size()));
    Map<String, SessionNewContent> sessions = new LinkedHashMap<>();
    // sometimes the header alone
    if (r.nextInt(6) != 0) for (String s : pick(h.coValueId())) sessions.put(s, grow(h.coValueId(), s, 0, 1 + r.nextInt(4), false));
    store(new ContentMessage(h.coValueId(), h, h.priority(), sessions, null), null);
  }

  private void append(boolean big) {
    String id = storedId();
    Map<String, SessionNewContent> sessions = new LinkedHashMap<>();
    for (String s : pick(id)) {
      long after = count(id, s);
      sessions.put(s, grow(id, s, after, big ? 1 + r.nextInt(3) : 1 + r.nextInt(5), big));
    }
    store(message(id, r.nextInt(4) == 0, sessions), null);
  }

  private void duplicate() {
    String id = storedId();
    Map<String, SessionNewContent> sessions = new LinkedHashMap<>();
    for (String s : pick(id)) {
      long c = count(id, s);
      if (c == 0) continue;
      long after = r.nextInt((int) c);
      long end = Math.min(c + r.nextInt(3), after + 1 + r.nextInt((int) (c - after) + 2));
      sessions.put(s, range(id, s, after, Math.max(end, after + 1)));
    }
    if (sessions.isEmpty()) {
      append(false);
      return;
    }
    store(message(id, r.nextInt(3) == 0, sessions), null);
  }

  /** A session entry without transactions: after at, below or one past what storage holds. */
  private void emptySession() {
    String id = storedId();
    String s = pick(id).get(0);
    long c = count(id, s);
    long after = Math.max(0, c - 1 + r.nextInt(3));
    Map<String, SessionNewContent> sessions = Map.of(s, new SessionNewContent(after, List.of(), sig(id, s, after)));
    store(message(id, r.nextBoolean(), sessions), after > c ? correction(id, s, c, after) : null);
  }

  private void gap() {
    String id = storedId();
    List<String> ss = pick(id);
    Map<String, SessionNewContent> sessions = new LinkedHashMap<>();
    String gapSession = ss.get(0);
    long c = count(id, gapSession);
    long after = c + 1 + r.nextInt(3);
    long end = after + 1 + r.nextInt(3);
    sessions.put(gapSession, range(id, gapSession, after, end));
    for (String s : ss.subList(1, ss.size())) sessions.put(s, grow(id, s, count(id, s), 1 + r.nextInt(2), false));
    store(message(id, r.nextInt(4) == 0, sessions), correction(id, gapSession, c, end));
  }

  private void headerless() {
    List<CoValueHeader> missing = headers.stream().filter(h -> !model.containsKey(h.coValueId())).toList();
    if (missing.isEmpty() || r.nextInt(4) == 0) {
      // an ID no header hashes to: only a correction can answer, and it has no header either
      Map<String, SessionNewContent> sessions = Map.of(agent(9) + "_session_zQ", new SessionNewContent(0, List.of(tx(0, 30, false)), sig(unknownId, "q", 1)));
      List<ContentMessage> c = r.nextBoolean() ? null : List.of();
      store(new ContentMessage(unknownId, null, CoValueHeader.PRIORITY_MEDIUM, sessions, null), c);
      return;
    }
    CoValueHeader h = missing.get(r.nextInt(missing.size()));
    String s = sessionsOf.get(h.coValueId()).get(0);
    Map<String, SessionNewContent> sessions = Map.of(s, range(h.coValueId(), s, 0, 1 + r.nextInt(3)));
    int mode = r.nextInt(3);
    List<ContentMessage> correction = mode == 0 ? null : mode == 1 ? List.of()
        : List.of(new ContentMessage(h.coValueId(), h, h.priority(), sessions, null));
    store(new ContentMessage(h.coValueId(), null, h.priority(), sessions, null), correction);
  }

  private void delete() {
    String id = storedId();
    if (r.nextInt(4) != 0) {
      ops.add(new Op("markDelete", null, null, id, null));
      markedDeleted.add(id);
    }
    String ds = agent(5) + "_session_d" + Base58.encode(new byte[] {(byte) (seq % 251), 5}) + "$";
    long after = count(id, ds);
    List<Transaction> txs = log.computeIfAbsent(id, k -> new HashMap<>()).computeIfAbsent(ds, k -> new ArrayList<>());
    while (txs.size() <= after) {
      txs.add(Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":" + (MADE_AT + txs.size()) + ",\"changes\":\"[]\",\"meta\":"
          + JsonStringify.string("{\"deleted\":\"" + id + "\"}") + "}"));
    }
    store(message(id, r.nextBoolean(), Map.of(ds, range(id, ds, after, after + 1))), null);
  }

  private void erase() {
    ops.add(new Op("erase", null, null, null, null));
    for (String id : pendingErase) {
      model.get(id).keySet().removeIf(s -> !s.endsWith("$"));
      erased.add(id);
    }
    pendingErase.clear();
    // cojson keeps the erased counts in its cached known state (see docs/cojson-storage.md); both
    // sides forget the cache here so later operations compare like with like
    for (CoValueHeader h : headers) ops.add(new Op("unmount", null, null, h.coValueId(), null));
  }

  private void check() {
    List<String> ids = new ArrayList<>();
    for (CoValueHeader h : headers) ids.add(h.coValueId());
    java.util.Collections.shuffle(ids, r);
    ids.add(unknownId);
    ops.add(new Op("check", null, null, null, ids));
  }

  // ---- the model ----

  private void store(ContentMessage msg, List<ContentMessage> correction) {
    ops.add(new Op("store", msg, correction, null, null));
    if (!apply(msg) && correction != null) {
      for (ContentMessage m : correction) if (!apply(m)) break;
    }
  }

  /** What storage does with {@code msg} (as far as generation needs to know); false when something was missing. */
  private boolean apply(ContentMessage msg) {
    String id = msg.id();
    if (!model.containsKey(id)) {
      if (msg.header() == null) return false;
      model.put(id, new LinkedHashMap<>());
    }
    boolean ok = true;
    Map<String, Long> counts = model.get(id);
    for (Map.Entry<String, SessionNewContent> e : msg.sessions().entrySet()) {
      long c = counts.getOrDefault(e.getKey(), 0L);
      if (markedDeleted.contains(id) && e.getKey().endsWith("$") && !erased.contains(id)) pendingErase.add(id);
      if (c < e.getValue().after()) {
        ok = false;
      } else if (e.getValue().end() > c) {
        counts.put(e.getKey(), e.getValue().end());
      }
    }
    return ok;
  }

  private List<ContentMessage> correction(String id, String session, long from, long end) {
    int mode = r.nextInt(20);
    if (mode < 5) return null;
    if (mode < 8) return List.of();
    if (mode < 11) return List.of(message(id, false, Map.of(session, range(id, session, from + 1, end)))); // a gap again
    return List.of(message(id, !model.containsKey(id), Map.of(session, range(id, session, from, end))));
  }

  private String storedId() {
    List<String> ids = new ArrayList<>(model.keySet());
    return ids.get(r.nextInt(ids.size()));
  }

  private long count(String id, String s) {
    return model.getOrDefault(id, Map.of()).getOrDefault(s, 0L);
  }

  private List<String> pick(String id) {
    List<String> all = new ArrayList<>(sessionsOf.get(id));
    java.util.Collections.shuffle(all, r);
    return all.subList(0, 1 + r.nextInt(all.size()));
  }

  private ContentMessage message(String id, boolean withHeader, Map<String, SessionNewContent> sessions) {
    CoValueHeader h = byId.get(id);
    return new ContentMessage(id, withHeader ? h : null, h.priority(), sessions, null);
  }

  /** {@code n} transactions of {@code s} from {@code after}, made as needed. */
  private SessionNewContent grow(String id, String s, long after, int n, boolean big) {
    List<Transaction> txs = log.computeIfAbsent(id, k -> new HashMap<>()).computeIfAbsent(s, k -> new ArrayList<>());
    while (txs.size() < after + n) {
      int chars = big ? 20_000 + r.nextInt(50_000) : 5 + r.nextInt(400);
      if (big) bigChars += chars;
      txs.add(tx(txs.size(), chars, r.nextInt(4) == 0));
    }
    return range(id, s, after, after + n);
  }

  /** Transactions [from, end) of {@code s}, made as needed, signed at their end. */
  private SessionNewContent range(String id, String s, long from, long end) {
    List<Transaction> txs = log.computeIfAbsent(id, k -> new HashMap<>()).computeIfAbsent(s, k -> new ArrayList<>());
    while (txs.size() < end) txs.add(tx(txs.size(), 5 + r.nextInt(300), r.nextInt(4) == 0));
    return new SessionNewContent(from, txs.subList((int) from, (int) end), sig(id, s, end));
  }

  /** The signature of a session's first {@code end} transactions: unique per value, session and end. */
  private String sig(String id, String s, long end) {
    return "signature_z" + Base58.encode(java.math.BigInteger.valueOf((id + s).hashCode() & 0xffffffL).toByteArray()) + "x"
        + Base58.encode(java.math.BigInteger.valueOf(end + 1000).toByteArray());
  }

  /** A transaction with about {@code chars} UTF-16 units of changes; multi-unit characters when {@code wide}, private sometimes. */
  private Transaction tx(long idx, int chars, boolean wide) {
    String unit = wide ? "é😀x" : "abc";
    StringBuilder changes = new StringBuilder("[{\"op\":\"set\",\"key\":\"k").append(idx).append("\",\"value\":\"");
    while (changes.length() < chars) changes.append(unit);
    changes.append("\"}]");
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(6) == 0) {
      sb.append("{\"privacy\":\"private\",\"madeAt\":").append(MADE_AT + idx).append(",\"keyUsed\":\"key_z").append(Base58.encode(new byte[] {5, 6}))
          .append("\",\"encryptedChanges\":");
      JsonStringify.appendString(sb, "encrypted_U" + changes.toString().replace("\"", ""));
    } else {
      sb.append("{\"privacy\":\"trusting\",\"madeAt\":").append(MADE_AT + idx).append(",\"changes\":");
      JsonStringify.appendString(sb, changes.toString());
    }
    return Transaction.parse(sb.append('}').toString());
  }
}
