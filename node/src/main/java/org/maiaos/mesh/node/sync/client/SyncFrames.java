package org.maiaos.mesh.node.sync.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.maiaos.mesh.node.sync.verify.SessionsHash;

/**
 * The small sync messages a client sends ({@code packages/cojson/src/sync.ts}: load, known,
 * done, reconcile), in the field order cojson writes them, and predicates over the replies.
 */
public final class SyncFrames {
  private SyncFrames() {}

  /** A named predicate over received messages: what a step waits for. */
  public record Until(String description, Predicate<JsonNode> test) {
    @Override
    public String toString() {
      return description;
    }
  }

  /** {@code load} of a value the client does not have. */
  public static String load(String id) {
    return load(notFound(id));
  }

  /** {@code load} with the client's known state {@code {"id","header","sessions"}}. */
  public static String load(ObjectNode knownState) {
    return message("load", false, knownState);
  }

  public static String known(ObjectNode knownState) {
    return message("known", false, knownState);
  }

  public static String knownCorrection(ObjectNode knownState) {
    return message("known", true, knownState);
  }

  public static String done(String id) {
    ObjectNode m = SyncClient.JSON.createObjectNode();
    m.put("action", "done");
    m.put("id", id);
    return m.toString();
  }

  /** {@code reconcile}: batch id and {@code [coValueID, sessionsHash]} pairs (given as id, hash, id, hash…). */
  public static String reconcile(String batchId, String... idHashPairs) {
    ObjectNode m = SyncClient.JSON.createObjectNode();
    m.put("action", "reconcile");
    m.put("id", batchId);
    ArrayNode values = m.putArray("values");
    for (int i = 0; i + 1 < idHashPairs.length; i += 2) values.addArray().add(idHashPairs[i]).add(idHashPairs[i + 1]);
    return m.toString();
  }

  /** The sessions hash a client sends in {@code reconcile} for what {@code value} holds. */
  public static String sessionsHash(CoValueDraft value) {
    Map<String, Long> sessions = new LinkedHashMap<>();
    value.knownState().get("sessions").fields().forEachRemaining(e -> sessions.put(e.getKey(), e.getValue().asLong()));
    return SessionsHash.of(sessions);
  }

  /** {@code {"id":id,"header":false,"sessions":{}}}. */
  public static ObjectNode notFound(String id) {
    ObjectNode k = SyncClient.JSON.createObjectNode();
    k.put("id", id);
    k.put("header", false);
    k.putObject("sessions");
    return k;
  }

  private static String message(String action, boolean correction, ObjectNode knownState) {
    ObjectNode m = SyncClient.JSON.createObjectNode();
    m.put("action", action);
    if (correction) m.put("isCorrection", true);
    m.setAll(knownState.deepCopy());
    return m.toString();
  }

  public static Until action(String action, String id) {
    return new Until(action + " " + id, m -> action.equals(m.path("action").asText()) && id.equals(m.path("id").asText()));
  }

  public static Until known(String id) {
    return action("known", id);
  }

  /** A content message of {@code id}. */
  public static Until content(String id) {
    return action("content", id);
  }

  /** The {@code known} that acknowledges all of {@code value} (every session at its count): it is stored. */
  public static Until acknowledges(CoValueDraft value) {
    JsonNode sessions = value.knownState().path("sessions");
    String id = value.id();
    return new Until("known " + id + " " + sessions, m -> "known".equals(m.path("action").asText()) && id.equals(m.path("id").asText())
        && sessions.equals(m.path("sessions")));
  }

  /** What ends the reply to a load: content or known of {@code id}. */
  public static Until contentOrKnown(String id) {
    return new Until("content or known " + id, m -> id.equals(m.path("id").asText())
        && ("content".equals(m.path("action").asText()) || "known".equals(m.path("action").asText())));
  }
}
