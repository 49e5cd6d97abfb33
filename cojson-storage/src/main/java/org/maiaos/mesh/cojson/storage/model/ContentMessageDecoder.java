package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.StorageError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * Streams a {@code content} message and checks it whole before anyone may store it: sizes against
 * {@link Limits} before allocation, every field's type, indices non-negative and within
 * {@link Limits#maxSessionLength()}, and the header hashing to the id. Header and transactions are
 * cut out of the input by byte offsets, so their text is kept exactly.
 */
final class ContentMessageDecoder {
  private ContentMessageDecoder() {}

  static ContentMessage decode(byte[] json, Limits limits) {
    if (json.length > limits.maxMessageBytes()) {
      throw StorageError.MALFORMED_CONTENT.error("message of %d bytes is over the limit of %d", json.length, limits.maxMessageBytes());
    }
    try (JsonParser p = Json.FACTORY.createParser(json)) {
      return read(p, json, limits);
    } catch (JsonProcessingException e) {
      throw StorageError.MALFORMED_CONTENT.error("not JSON: %s", e.getOriginalMessage());
    } catch (IOException e) {
      throw StorageError.MALFORMED_CONTENT.error(e, "unreadable: %s", e.getMessage());
    }
  }

  private static ContentMessage read(JsonParser p, byte[] json, Limits limits) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) throw bad("message is not a JSON object");
    String action = null;
    String id = null;
    CoValueHeader header = null;
    Integer priority = null;
    Map<String, SessionNewContent> sessions = null;
    Map<String, Long> expect = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "action" -> action = string(p, t, "action", 64);
        case "id" -> id = string(p, t, "id", limits.maxIdChars());
        case "header" -> header = t == JsonToken.VALUE_NULL ? null : header(p, t, json, limits);
        case "priority" -> {
          if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) throw bad("priority is not a small integer");
          priority = p.getIntValue();
        }
        case "new" -> sessions = sessions(p, t, json, limits);
        case "expectContentUntil" -> expect = t == JsonToken.VALUE_NULL ? null : counts(p, t, "expectContentUntil", limits);
        default -> p.skipChildren(); // fields we do not use are not stored either
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) throw bad("message is not a JSON object");
    if (p.nextToken() != null) throw bad("trailing data after the message");
    if (!"content".equals(action)) throw bad("action is " + (action == null ? "missing" : "\"" + action + "\"") + ", not \"content\"");
    if (id == null) throw bad("id missing");
    if (!CoValueIds.isWellFormed(id, limits.maxIdChars())) throw bad("id is not a CoValue ID (co_z + base58)");
    if (sessions == null) throw bad("new missing");
    if (header != null && !header.coValueId().equals(id)) {
      throw bad("header hashes to " + header.coValueId() + ", not to the message id " + id);
    }
    int prio = priority != null ? priority : header != null ? header.priority() : CoValueHeader.PRIORITY_MEDIUM;
    return new ContentMessage(id, header, prio, sessions, expect);
  }

  private static CoValueHeader header(JsonParser p, JsonToken t, byte[] json, Limits limits) throws IOException {
    if (t != JsonToken.START_OBJECT) throw bad("header is not an object");
    long start = p.currentTokenLocation().getByteOffset();
    JsonNode tree = Json.MAPPER.readTree(p);
    long end = p.currentLocation().getByteOffset();
    if (end - start > limits.maxHeaderBytes()) throw bad("header of " + (end - start) + " bytes is over the limit of " + limits.maxHeaderBytes());
    return CoValueHeader.of(slice(json, start, end), tree);
  }

  private static Map<String, SessionNewContent> sessions(JsonParser p, JsonToken t, byte[] json, Limits limits) throws IOException {
    if (t != JsonToken.START_OBJECT) throw bad("new is not an object");
    Map<String, SessionNewContent> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String sid = p.currentName();
      if (!SessionIds.isWellFormed(sid, limits.maxSessionIdChars())) throw bad("session ID " + abbreviate(sid) + " is malformed");
      if (out.size() >= limits.maxSessionsPerMessage()) throw bad("more than " + limits.maxSessionsPerMessage() + " sessions");
      if (p.nextToken() != JsonToken.START_OBJECT) throw bad("new[" + sid + "] is not an object");
      Long after = null;
      List<Transaction> txs = null;
      String sig = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "after" -> after = index(p, v, sid + ".after", limits);
          case "newTransactions" -> txs = transactions(p, v, json, sid, limits);
          case "lastSignature" -> sig = string(p, v, sid + ".lastSignature", limits.maxSignatureChars());
          default -> p.skipChildren();
        }
      }
      if (after == null) throw bad(sid + ".after missing");
      if (txs == null) throw bad(sid + ".newTransactions missing");
      if (sig == null) throw bad(sid + ".lastSignature missing");
      if (!sig.startsWith("signature_z")) throw bad(sid + ".lastSignature is not a signature_z… string");
      if (after + txs.size() > limits.maxSessionLength()) {
        throw bad(sid + ": after " + after + " + " + txs.size() + " transactions overflows the session length limit " + limits.maxSessionLength());
      }
      if (out.put(sid, new SessionNewContent(after, txs, sig)) != null) throw bad("session " + sid + " appears twice");
    }
    return out;
  }

  private static List<Transaction> transactions(JsonParser p, JsonToken t, byte[] json, String sid, Limits limits) throws IOException {
    if (t != JsonToken.START_ARRAY) throw bad(sid + ".newTransactions is not an array");
    List<Transaction> txs = new ArrayList<>();
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (txs.size() >= limits.maxTransactionsPerSession()) throw bad(sid + ": more than " + limits.maxTransactionsPerSession() + " transactions");
      if (v != JsonToken.START_OBJECT) throw bad(sid + ".newTransactions[" + txs.size() + "] is not an object");
      long start = p.currentTokenLocation().getByteOffset();
      JsonNode tree = Json.MAPPER.readTree(p);
      long end = p.currentLocation().getByteOffset();
      if (end - start > limits.maxTransactionBytes()) {
        throw bad(sid + ".newTransactions[" + txs.size() + "] of " + (end - start) + " bytes is over the limit of " + limits.maxTransactionBytes());
      }
      try {
        txs.add(Transaction.of(slice(json, start, end), tree));
      } catch (HypercoreException e) {
        throw bad(sid + ".newTransactions[" + txs.size() + "]: " + e.getMessage().substring(e.code().name().length() + 2));
      }
    }
    return txs;
  }

  private static Map<String, Long> counts(JsonParser p, JsonToken t, String what, Limits limits) throws IOException {
    if (t != JsonToken.START_OBJECT) throw bad(what + " is not an object");
    Map<String, Long> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      if (out.size() >= limits.maxSessionsPerMessage()) throw bad(what + ": too many sessions");
      out.put(k, index(p, p.nextToken(), what + "." + abbreviate(k), limits));
    }
    return out;
  }

  private static long index(JsonParser p, JsonToken t, String what, Limits limits) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) throw bad(what + " is not an integer");
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw bad(what + " overflows");
    long v = p.getLongValue();
    if (v < 0) throw bad(what + " is negative (" + v + ")");
    if (v > limits.maxSessionLength()) throw bad(what + " = " + v + " is over the session length limit " + limits.maxSessionLength());
    return v;
  }

  private static String string(JsonParser p, JsonToken t, String what, int maxChars) throws IOException {
    if (t != JsonToken.VALUE_STRING) throw bad(what + " is not a string");
    if (p.getTextLength() > maxChars) throw bad(what + " is longer than " + maxChars + " characters");
    return p.getText();
  }

  private static String slice(byte[] json, long start, long end) {
    return new String(json, (int) start, (int) (end - start), StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "…\"";
  }

  private static HypercoreException bad(String detail) {
    return StorageError.MALFORMED_CONTENT.error("%s", detail);
  }
}
