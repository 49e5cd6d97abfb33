package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a holder has of a CoValue ({@code knownState.ts}): whether it has the header, and per
 * session the number of transactions held (a count, i.e. the index of the next one). Immutable.
 */
public final class KnownState {
  private final String id;
  private final boolean header;
  private final Map<String, Long> sessions;

  public KnownState(String id, boolean header, Map<String, Long> sessions) {
    this.id = Objects.requireNonNull(id);
    this.header = header;
    this.sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
  }

  /** {@code emptyKnownState}: no header, no sessions. */
  public static KnownState empty(String id) {
    return new KnownState(id, false, Map.of());
  }

  public String id() {
    return id;
  }

  public boolean header() {
    return header;
  }

  /** Session ID to transaction count, in insertion order; unmodifiable. */
  public Map<String, Long> sessions() {
    return sessions;
  }

  /** The count held for {@code sessionId} (0 when absent). */
  public long count(String sessionId) {
    return sessions.getOrDefault(sessionId, 0L);
  }

  public KnownState withHeader(boolean h) {
    return h == header ? this : new KnownState(id, h, sessions);
  }

  /** This state with {@code sessionId} set to {@code count} ({@code setSessionCounter}). */
  public KnownState withSession(String sessionId, long count) {
    Map<String, Long> m = new LinkedHashMap<>(sessions);
    m.put(sessionId, count);
    return new KnownState(id, header, m);
  }

  /** {@code areCurrentSessionsInSyncWith}: every session of either side has the same count (missing = 0). */
  public boolean sessionsInSyncWith(KnownState other) {
    for (Map.Entry<String, Long> e : sessions.entrySet()) if (other.count(e.getKey()) != e.getValue()) return false;
    for (Map.Entry<String, Long> e : other.sessions.entrySet()) if (count(e.getKey()) != e.getValue()) return false;
    return true;
  }

  /** {@code {"id":…,"header":…,"sessions":{…}}}, as a {@code known} message carries it. */
  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeBooleanField("header", header);
      g.writeObjectFieldStart("sessions");
      for (Map.Entry<String, Long> e : sessions.entrySet()) g.writeNumberField(e.getKey(), e.getValue());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Equal when id, header and the session counts are (session order does not matter). */
  @Override
  public boolean equals(Object o) {
    return o instanceof KnownState k && k.id.equals(id) && k.header == header && k.sessions.equals(sessions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, header, sessions);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
