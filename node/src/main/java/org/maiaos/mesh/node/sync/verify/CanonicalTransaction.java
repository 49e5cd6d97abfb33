package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * The exact text cojson's Rust core hashes for one transaction. The reference node
 * {@code JSON.parse}s the wire message, {@code JSON.stringify}s the transactions
 * ({@code verifiedState.ts tryAddTransactions}) and the core parses them with serde into its
 * {@code Transaction} enum and writes them back ({@code crates/cojson-core/src/core/session_log.rs},
 * {@code session_map.rs add_transactions}). What that pipeline does, and so what this class does:
 *
 * <ul>
 *   <li>The variant is chosen by shape, not by {@code privacy}: an object with string
 *       {@code encryptedChanges} and {@code keyUsed} is private, else one with a string
 *       {@code changes} is trusting. {@code privacy} must be present as a string, but its value is
 *       rewritten to {@code "private"} / {@code "trusting"} (so {@code "privacy":"x"} with
 *       {@code changes} hashes as trusting).
 *   <li>Fields are written in alphabetical order: private
 *       {@code {"encryptedChanges","keyUsed","madeAt","meta"?,"privacy"}}, trusting
 *       {@code {"changes","madeAt","meta"?,"privacy"}}; every other field is dropped.
 *   <li>{@code meta} may be absent, null (both leave it out) or a string; anything else fails.
 *   <li>{@code madeAt} is read as a JavaScript number and written as {@code JSON.stringify}
 *       writes it; it must then be an unsigned 64-bit integer, so {@code 5.0} and {@code 1e3} pass
 *       (as {@code 5}, {@code 1000}), {@code 5.5}, negatives, {@code 1e20} and anything that is
 *       not a number fail, and integers above 2^53 are rounded as JavaScript rounds them.
 *   <li>Strings are escaped as serde_json does (the same as {@code JSON.stringify} for
 *       well-formed text); a lone surrogate anywhere in the object, even in a dropped field or a
 *       key, fails, because serde buffers the whole object before picking the variant.
 * </ul>
 *
 * Input that the Rust core rejects gives INVALID_TRANSACTION.
 */
public final class CanonicalTransaction {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private CanonicalTransaction() {}

  /** The canonical text of a transaction as received (its raw JSON). */
  public static String of(Transaction tx) {
    return of(tx.raw());
  }

  /** The canonical text of one transaction's JSON text. */
  public static String of(String txJson) {
    JsonNode tree;
    try {
      tree = StrictJson.parse(txJson);
    } catch (JsonProcessingException e) {
      throw SyncError.INVALID_TRANSACTION.error("transaction is not JSON: %s", e.getOriginalMessage());
    }
    return of(tree);
  }

  /** The canonical text of a parsed transaction. */
  public static String of(JsonNode tx) {
    if (tx == null || !tx.isObject()) throw SyncError.INVALID_TRANSACTION.error("transaction is not an object");
    checkNoLoneSurrogates(tx);
    JsonNode privacy = tx.get("privacy");
    JsonNode madeAt = tx.get("madeAt");
    JsonNode meta = tx.get("meta");
    boolean common = privacy != null && privacy.isTextual() && madeAt != null && isFiniteNumber(madeAt)
        && (meta == null || meta.isNull() || meta.isTextual());
    if (!common) throw SyncError.INVALID_TRANSACTION.error("transaction has no string privacy, number madeAt and string-or-null meta");
    JsonNode enc = tx.get("encryptedChanges");
    JsonNode key = tx.get("keyUsed");
    JsonNode changes = tx.get("changes");
    StringBuilder sb = new StringBuilder(256);
    if (enc != null && enc.isTextual() && key != null && key.isTextual()) {
      String made = madeAt(madeAt); // checked after the variant is chosen, as add_transactions does
      sb.append("{\"encryptedChanges\":");
      JsonStringify.appendString(sb, enc.textValue());
      sb.append(",\"keyUsed\":");
      JsonStringify.appendString(sb, key.textValue());
      sb.append(",\"madeAt\":").append(made);
      appendMeta(sb, meta);
      sb.append(",\"privacy\":\"private\"}");
    } else if (changes != null && changes.isTextual()) {
      String made = madeAt(madeAt);
      sb.append("{\"changes\":");
      JsonStringify.appendString(sb, changes.textValue());
      sb.append(",\"madeAt\":").append(made);
      appendMeta(sb, meta);
      sb.append(",\"privacy\":\"trusting\"}");
    } else {
      throw SyncError.INVALID_TRANSACTION.error("transaction is neither private (encryptedChanges + keyUsed) nor trusting (changes)");
    }
    return sb.toString();
  }

  /** {@link #of(String)} as UTF-8, the bytes the session hash takes. */
  public static byte[] utf8(String txJson) {
    return of(txJson).getBytes(StandardCharsets.UTF_8);
  }

  private static void appendMeta(StringBuilder sb, JsonNode meta) {
    if (meta == null || meta.isNull()) return; // Option::None is skipped
    sb.append(",\"meta\":");
    JsonStringify.appendString(sb, meta.textValue());
  }

  private static boolean isFiniteNumber(JsonNode n) {
    // JSON.stringify turns an infinite number (1e400 on the wire) into null, which is no number
    return n.isNumber() && Double.isFinite(n.doubleValue());
  }

  /** madeAt as JSON.stringify writes the JavaScript number, if that is a u64 (serde Number::as_u64). */
  static String madeAt(JsonNode n) {
    String js = JsonStringify.number(n.doubleValue());
    if (js.indexOf('.') >= 0 || js.indexOf('e') >= 0 || js.startsWith("-")) {
      throw SyncError.INVALID_TRANSACTION.error("madeAt %s is not a non-negative integer", js);
    }
    if (new BigInteger(js).compareTo(U64_MAX) > 0) throw SyncError.INVALID_TRANSACTION.error("madeAt %s does not fit 64 bits", js);
    return js;
  }

  private static void checkNoLoneSurrogates(JsonNode node) {
    if (node.isTextual()) {
      checkString(node.textValue());
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        checkString(e.getKey());
        checkNoLoneSurrogates(e.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode c : node) checkNoLoneSurrogates(c);
    }
  }

  static void checkString(String s) {
    int i = RustJson.loneSurrogateAt(s);
    if (i >= 0) throw SyncError.INVALID_TRANSACTION.error("lone surrogate at character %d of a string (serde_json rejects it)", i);
  }
}
