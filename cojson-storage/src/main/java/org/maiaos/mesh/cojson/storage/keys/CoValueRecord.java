package org.maiaos.mesh.cojson.storage.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-CoValue record (key {@code k 00 id}): its enumeration seq and one row per session
 * (what cojson's {@code sessions} table holds, plus where the session's last chunk starts so a
 * store can extend it). It is the known state, read with one get, and rewritten by every store.
 *
 * <p>Encoding: {@code u8 version=1, uvarint seq, uvarint n, n x (string session, uvarint lastIdx,
 * string lastSignature, uvarint bytesSinceLastSignature, uvarint lastChunkFirstIdx)}.
 */
public record CoValueRecord(long seq, Map<String, Session> sessions) {
  private static final int VERSION = 1;

  /** A session row; {@code lastIdx} is the transaction count. */
  public record Session(long lastIdx, String lastSignature, long bytesSinceLastSignature, long lastChunkFirstIdx) {}

  public CoValueRecord {
    sessions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
  }

  /** This record with {@code sessionId}'s row replaced. */
  public CoValueRecord with(String sessionId, Session row) {
    Map<String, Session> m = new LinkedHashMap<>(sessions);
    m.put(sessionId, row);
    return new CoValueRecord(seq, m);
  }

  public CoValueRecord without(List<String> sessionIds) {
    Map<String, Session> m = new LinkedHashMap<>(sessions);
    sessionIds.forEach(m::remove);
    return new CoValueRecord(seq, m);
  }

  public byte[] encode() {
    Bytes.Writer w = new Bytes.Writer().u8(VERSION).uvarint(seq).uvarint(sessions.size());
    for (Map.Entry<String, Session> e : sessions.entrySet()) {
      Session s = e.getValue();
      w.string(e.getKey()).uvarint(s.lastIdx()).string(s.lastSignature()).uvarint(s.bytesSinceLastSignature()).uvarint(s.lastChunkFirstIdx());
    }
    return w.toByteArray();
  }

  /** Decodes a record; STORAGE_CORRUPT when it is truncated or of another version. */
  public static CoValueRecord decode(byte[] value) {
    Bytes.Reader r = new Bytes.Reader(value, "CoValue record");
    if (r.u8() != VERSION) throw r.corrupt("unknown version");
    long seq = r.uvarint();
    int n = r.count();
    Map<String, Session> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String sid = r.string();
      m.put(sid, new Session(r.uvarint(), r.string(), r.uvarint(), r.uvarint()));
    }
    r.end();
    return new CoValueRecord(seq, m);
  }

  /** Session IDs in record order. */
  public List<String> sessionIds() {
    return new ArrayList<>(sessions.keySet());
  }
}
