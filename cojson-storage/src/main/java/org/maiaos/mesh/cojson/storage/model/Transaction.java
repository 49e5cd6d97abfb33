package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.maiaos.mesh.cojson.storage.StorageError;

/**
 * One transaction of a session ({@code verifiedState.ts Transaction}), kept as the JSON text it
 * arrived as: the session signature covers its canonical form, so storage never rewrites it.
 *
 * <p>Trusting: {@code {"privacy":"trusting","madeAt":N,"changes":"<json>","meta"?:"<json>"}}; private:
 * {@code {"privacy":"private","madeAt":N,"keyUsed":"key_z…","encryptedChanges":"encrypted_U…","meta"?:…}}.
 *
 * @param raw      the JSON text as received
 * @param trusting whether {@code privacy} is {@code "trusting"}
 * @param madeAt   milliseconds since the epoch, non-negative
 * @param size     {@code getTransactionSize}: UTF-16 length of {@code changes} or {@code encryptedChanges}
 * @param changes  the {@code changes} text of a trusting transaction, else null
 */
public record Transaction(String raw, boolean trusting, long madeAt, long size, String changes) {

  /** Parses and checks one transaction's JSON text. */
  public static Transaction parse(String raw) {
    try {
      return of(raw, Json.MAPPER.readTree(raw));
    } catch (JsonProcessingException e) {
      throw StorageError.MALFORMED_CONTENT.error("transaction is not JSON: %s", e.getOriginalMessage());
    }
  }

  /** A transaction from its raw text and the tree parsed from it; MALFORMED_CONTENT if fields are missing. */
  static Transaction of(String raw, JsonNode tx) {
    if (tx == null || !tx.isObject()) throw StorageError.MALFORMED_CONTENT.error("transaction is not an object");
    JsonNode privacy = tx.get("privacy");
    JsonNode madeAt = tx.get("madeAt");
    if (madeAt == null || !madeAt.isIntegralNumber() || !madeAt.canConvertToLong() || madeAt.longValue() < 0) {
      throw StorageError.MALFORMED_CONTENT.error("transaction.madeAt missing or not a non-negative integer");
    }
    JsonNode meta = tx.get("meta");
    if (meta != null && !meta.isTextual() && !meta.isNull()) throw StorageError.MALFORMED_CONTENT.error("transaction.meta is not a string");
    if (privacy != null && "trusting".equals(privacy.textValue())) {
      JsonNode changes = tx.get("changes");
      if (changes == null || !changes.isTextual()) throw StorageError.MALFORMED_CONTENT.error("trusting transaction without a changes string");
      return new Transaction(raw, true, madeAt.longValue(), changes.textValue().length(), changes.textValue());
    }
    if (privacy != null && "private".equals(privacy.textValue())) {
      JsonNode enc = tx.get("encryptedChanges");
      JsonNode key = tx.get("keyUsed");
      if (enc == null || !enc.isTextual()) throw StorageError.MALFORMED_CONTENT.error("private transaction without encryptedChanges");
      if (key == null || !key.isTextual()) throw StorageError.MALFORMED_CONTENT.error("private transaction without keyUsed");
      return new Transaction(raw, false, madeAt.longValue(), enc.textValue().length(), null);
    }
    throw StorageError.MALFORMED_CONTENT.error("transaction.privacy is neither \"trusting\" nor \"private\"");
  }

  /**
   * A transaction read back from our own storage, which checked it on the way in: only {@link
   * #raw()} is kept; {@code size} is -1 (not measured) and {@code changes} null, so a load does not
   * parse every transaction again. {@link #parse} gives the full view when needed.
   */
  public static Transaction stored(String raw) {
    return new Transaction(raw, false, 0, -1, null);
  }

  /** Two transactions are the same when their stored text is. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t && t.raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return raw.length() <= 200 ? raw : raw.substring(0, 200) + "…(" + raw.length() + " chars)";
  }
}
