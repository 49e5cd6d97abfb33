package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.maiaos.mesh.cojson.storage.StorageError;

/**
 * The sync protocol's {@code content} message ({@code sync.ts NewContentMessage}), the unit of
 * {@code store} and {@code load}: an optional header, then per session a contiguous slice of
 * transactions with the signature of its end. Header and transactions keep their raw JSON text, so
 * {@link #toJson()} writes them back byte for byte.
 */
public final class ContentMessage {
  private final String id;
  private final CoValueHeader header;
  private final int priority;
  private final Map<String, SessionNewContent> sessions;
  private final Map<String, Long> expectContentUntil;

  /**
   * @param header             null when the sender assumes the receiver has it
   * @param sessions           session ID to its new content, in message order
   * @param expectContentUntil null unless the value arrives in several pieces
   */
  public ContentMessage(String id, CoValueHeader header, int priority, Map<String, SessionNewContent> sessions,
      Map<String, Long> expectContentUntil) {
    this.id = Objects.requireNonNull(id);
    if (!CoValueIds.isWellFormed(id, Limits.DEFAULT.maxIdChars())) throw StorageError.MALFORMED_CONTENT.error("id is not a CoValue ID");
    if (header != null && !header.coValueId().equals(id)) {
      throw StorageError.MALFORMED_CONTENT.error("header hashes to %s, not to the message id %s", header.coValueId(), id);
    }
    this.header = header;
    this.priority = priority;
    this.sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
    this.expectContentUntil = expectContentUntil == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(expectContentUntil));
  }

  /** Decodes and checks a message against {@link Limits#DEFAULT}; MALFORMED_CONTENT when it is not valid content. */
  public static ContentMessage parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
  }

  /** Decodes and checks a message; MALFORMED_CONTENT when it is not valid content or breaks {@code limits}. */
  public static ContentMessage parse(byte[] json, Limits limits) {
    return ContentMessageDecoder.decode(json, limits);
  }

  public String id() {
    return id;
  }

  /** The header, or null when the message has none. */
  public CoValueHeader header() {
    return header;
  }

  public int priority() {
    return priority;
  }

  /** Session ID to its new content, unmodifiable, in message order. */
  public Map<String, SessionNewContent> sessions() {
    return sessions;
  }

  /** The expected final counts of a value sent in several pieces, or null. */
  public Map<String, Long> expectContentUntil() {
    return expectContentUntil;
  }

  /**
   * Total {@link Transaction#size()} of all transactions ({@code getContentMessageSize}); for
   * transactions read back from storage (size not measured) the length of their JSON text, an upper bound.
   */
  public long contentSize() {
    long n = 0;
    for (SessionNewContent s : sessions.values()) for (Transaction t : s.newTransactions()) n += t.size() >= 0 ? t.size() : t.raw().length();
    return n;
  }

  /** The message as JSON text; header and transactions are written exactly as they were received. */
  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("action", "content");
      g.writeStringField("id", id);
      if (header != null) {
        g.writeFieldName("header");
        g.writeRawValue(header.raw());
      }
      g.writeNumberField("priority", priority);
      g.writeObjectFieldStart("new");
      for (Map.Entry<String, SessionNewContent> e : sessions.entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeNumberField("after", e.getValue().after());
        g.writeArrayFieldStart("newTransactions");
        for (Transaction t : e.getValue().newTransactions()) g.writeRawValue(t.raw());
        g.writeEndArray();
        g.writeStringField("lastSignature", e.getValue().lastSignature());
        g.writeEndObject();
      }
      g.writeEndObject();
      if (expectContentUntil != null) {
        g.writeObjectFieldStart("expectContentUntil");
        for (Map.Entry<String, Long> e : expectContentUntil.entrySet()) g.writeNumberField(e.getKey(), e.getValue());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentMessage m && m.id.equals(id) && Objects.equals(m.header, header) && m.priority == priority
        && m.sessions.equals(sessions) && Objects.equals(m.expectContentUntil, expectContentUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, header, sessions);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("content ").append(id).append(header != null ? " +header" : "");
    sessions.forEach((k, v) -> sb.append(' ').append(k).append(" after ").append(v.after()).append(" +").append(v.newTransactions().size()));
    return sb.toString();
  }
}
