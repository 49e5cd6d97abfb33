package org.maiaos.mesh.node.sync.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.CoValueIds;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.Json;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.node.sync.SyncError;

/**
 * Decodes one line of a frame into a {@link SyncMessage}. A first streaming pass finds the
 * {@code action} (skipping everything else without building it); {@code content} then goes to the
 * storage model's decoder, which keeps header and transaction texts exactly, and the small
 * messages are read field by field against {@link Limits}. Throws MALFORMED_MESSAGE for anything
 * that is not a JSON object or breaks a bound; returns an {@link IgnoredMessage} for objects the
 * reference drops (pings, unknown actions, ids that are not CoValue IDs).
 */
public final class SyncMessageCodec {
  private SyncMessageCodec() {}

  public static SyncMessage decode(byte[] line, Limits limits) {
    if (line.length > limits.maxMessageBytes()) {
      throw SyncError.MALFORMED_MESSAGE.error("message of %d bytes is over the limit of %d", line.length, limits.maxMessageBytes());
    }
    String action;
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      action = findAction(p);
    } catch (JsonProcessingException e) {
      throw SyncError.MALFORMED_MESSAGE.error("not JSON: %s", e.getOriginalMessage());
    } catch (IOException e) {
      throw SyncError.MALFORMED_MESSAGE.error(e, "unreadable: %s", e.getMessage());
    }
    if (action == null) return new IgnoredMessage("", "no action (a ping or a stray object)");
    try (JsonParser p = Json.FACTORY.createParser(line)) {
      return switch (action) {
        case "content" -> content(line, limits);
        case "load", "known", "done" -> small(p, action, limits);
        case "reconcile", "reconcile-ack" -> reconcile(p, action, limits);
        default -> new IgnoredMessage("", "unknown action " + abbreviate(action));
      };
    } catch (JsonProcessingException e) {
      throw SyncError.MALFORMED_MESSAGE.error("not JSON: %s", e.getOriginalMessage());
    } catch (IOException e) {
      throw SyncError.MALFORMED_MESSAGE.error(e, "unreadable: %s", e.getMessage());
    }
  }

  /** The top-level {@code action} string, or null; checks that the line is one JSON object and nothing more. */
  private static String findAction(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) throw bad("message is not a JSON object");
    String action = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (f.equals("action") && t == JsonToken.VALUE_STRING && p.getTextLength() <= 64) action = p.getText();
      else p.skipChildren();
    }
    if (p.nextToken() != null) throw bad("trailing data after the message");
    return action;
  }

  private static SyncMessage content(byte[] line, Limits limits) {
    try {
      ContentMessage m = ContentMessage.parse(line, limits);
      return new ContentSyncMessage(m);
    } catch (HypercoreException e) {
      String msg = e.getMessage();
      if (msg.contains("id is not a CoValue ID")) return new IgnoredMessage("", "id is not a CoValue ID");
      throw SyncError.MALFORMED_MESSAGE.error("content: %s", msg.substring(e.code().name().length() + 2));
    }
  }

  private static SyncMessage small(JsonParser p, String action, Limits limits) throws IOException {
    p.nextToken();
    String id = null;
    Boolean header = null;
    Map<String, Long> sessions = null;
    boolean correction = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "id" -> id = string(p, t, "id", limits.maxIdChars());
        case "header" -> {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) throw bad("header is not a boolean");
          header = t == JsonToken.VALUE_TRUE;
        }
        case "sessions" -> sessions = sessions(p, t, limits);
        case "isCorrection" -> correction = t == JsonToken.VALUE_TRUE;
        default -> p.skipChildren();
      }
    }
    if (id == null) throw bad(action + ": id missing");
    if (!CoValueIds.isWellFormed(id, limits.maxIdChars())) return new IgnoredMessage(id, "id is not a CoValue ID");
    if (action.equals("done")) return new DoneMessage(id);
    if (header == null) throw bad(action + ": header missing");
    if (sessions == null) throw bad(action + ": sessions missing");
    KnownState k = new KnownState(id, header, sessions);
    return action.equals("load") ? new LoadMessage(k) : new KnownMessage(k, correction);
  }

  private static Map<String, Long> sessions(JsonParser p, JsonToken t, Limits limits) throws IOException {
    if (t != JsonToken.START_OBJECT) throw bad("sessions is not an object");
    Map<String, Long> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String sid = p.currentName();
      if (!SessionIds.isWellFormed(sid, limits.maxSessionIdChars())) throw bad("session ID " + abbreviate(sid) + " is malformed");
      if (out.size() >= limits.maxSessionsPerMessage()) throw bad("more than " + limits.maxSessionsPerMessage() + " sessions");
      JsonToken v = p.nextToken();
      if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw bad("sessions." + abbreviate(sid) + " is not an integer");
      long n = p.getLongValue();
      if (n < 0 || n > limits.maxSessionLength()) throw bad("sessions." + abbreviate(sid) + " = " + n + " is out of range");
      out.put(sid, n);
    }
    return out;
  }

  private static SyncMessage reconcile(JsonParser p, String action, Limits limits) throws IOException {
    p.nextToken();
    String id = null;
    List<ReconcileMessage.Entry> values = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "id" -> id = string(p, t, "id", limits.maxIdChars());
        case "values" -> values = values(p, t, limits);
        default -> p.skipChildren();
      }
    }
    if (id == null) throw bad(action + ": id missing");
    if (action.equals("reconcile-ack")) return new ReconcileAckMessage(id);
    if (values == null) throw bad("reconcile: values missing");
    return new ReconcileMessage(id, values);
  }

  private static List<ReconcileMessage.Entry> values(JsonParser p, JsonToken t, Limits limits) throws IOException {
    if (t != JsonToken.START_ARRAY) throw bad("reconcile: values is not an array");
    List<ReconcileMessage.Entry> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_ARRAY) {
      if (out.size() >= limits.maxSessionsPerMessage()) throw bad("reconcile: more than " + limits.maxSessionsPerMessage() + " values");
      String coId = string(p, p.nextToken(), "reconcile: value id", limits.maxIdChars());
      String hash = string(p, p.nextToken(), "reconcile: value hash", limits.maxSignatureChars());
      if (p.nextToken() != JsonToken.END_ARRAY) throw bad("reconcile: a value is not an [id, hash] pair");
      out.add(new ReconcileMessage.Entry(coId, hash));
    }
    if (p.currentToken() != JsonToken.END_ARRAY) throw bad("reconcile: a value is not an [id, hash] pair");
    return out;
  }

  private static String string(JsonParser p, JsonToken t, String what, int maxChars) throws IOException {
    if (t != JsonToken.VALUE_STRING) throw bad(what + " is not a string");
    if (p.getTextLength() > maxChars) throw bad(what + " is longer than " + maxChars + " characters");
    return p.getText();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "…\"";
  }

  private static HypercoreException bad(String detail) {
    return SyncError.MALFORMED_MESSAGE.error("%s", detail);
  }
}
