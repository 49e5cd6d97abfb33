package org.maiaos.mesh.cojson.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.CoValueIds;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * Content made in Java for the cases real fixtures do not reach (hundreds of sessions, gaps,
 * malformed input, concurrency). Storage checks no signatures, so the signatures here are
 * well-formed strings that encode their session and end index, which lets tests check that a
 * piece ends exactly where a stored signature does.
 */
public final class Synthetic {
  public static final String GROUP = "co_zGroupGroupGroupGroupGroup1";
  private static final String ACCOUNT = "co_zAccountAccountAccountAcc1";

  private Synthetic() {}

  /** A CoMap header owned by {@link #GROUP}, unique per {@code uniqueness}. */
  public static CoValueHeader header(String uniqueness) {
    String raw = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + GROUP
        + "\"},\"meta\":null,\"createdAt\":\"2026-11-23T22:57:03.701Z\",\"uniqueness\":" + quote(uniqueness) + "}";
    return CoValueHeader.parse(raw);
  }

  /** A header of a binary stream (low priority). */
  public static CoValueHeader binaryHeader(String uniqueness) {
    String raw = "{\"type\":\"costream\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + GROUP
        + "\"},\"meta\":{\"type\":\"binary\"},\"createdAt\":null,\"uniqueness\":" + quote(uniqueness) + "}";
    return CoValueHeader.parse(raw);
  }

  public static String session(int n) {
    return ACCOUNT + "_session_z" + base58ish(n);
  }

  public static String deleteSession(int n) {
    return ACCOUNT + "_session_d" + base58ish(n) + "$";
  }

  /** A trusting transaction whose changes text is {@code changesChars} long and names its position. */
  public static Transaction tx(String session, long idx, int changesChars) {
    StringBuilder changes = new StringBuilder("[{\"op\":\"set\",\"key\":\"k").append(idx).append("\",\"value\":\"");
    String tag = session.substring(session.length() - 4) + "#" + idx + ":";
    while (changes.length() < changesChars - 3) changes.append(tag);
    changes.setLength(Math.max(changes.length(), 0));
    changes.append("\"}]");
    StringBuilder sb = new StringBuilder("{\"privacy\":\"trusting\",\"madeAt\":").append(1795474623702L + idx).append(",\"changes\":");
    JsonStringify.appendString(sb, changes.toString());
    sb.append('}');
    return Transaction.parse(sb.toString());
  }

  /** The delete marker transaction for {@code id}. */
  public static Transaction deleteTx(String id) {
    return Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":1795474623702,\"changes\":\"[]\",\"meta\":\"{\\\"deleted\\\":\\\"" + id + "\\\"}\"}");
  }

  /** A signature that names the session and the index it signs up to. */
  public static String signature(String session, long lastIdx) {
    return "signature_z" + base58ish(Math.abs(session.hashCode() % 100000)) + "x" + base58ish((int) lastIdx);
  }

  /** txs [after, after+count) of {@code session} as one session entry. */
  public static SessionNewContent slice(String session, long after, int count, int changesChars) {
    List<Transaction> txs = new ArrayList<>();
    for (long i = after; i < after + count; i++) txs.add(tx(session, i, changesChars));
    return new SessionNewContent(after, txs, signature(session, after + count - 1));
  }

  /** A content message; header included when {@code withHeader}. */
  public static ContentMessage content(CoValueHeader header, boolean withHeader, Map<String, SessionNewContent> sessions) {
    return new ContentMessage(header.coValueId(), withHeader ? header : null, header.priority(), sessions, null);
  }

  public static ContentMessage content(CoValueHeader header, boolean withHeader, String session, SessionNewContent s) {
    Map<String, SessionNewContent> m = new LinkedHashMap<>();
    m.put(session, s);
    return content(header, withHeader, m);
  }

  /** A random well-formed CoValue ID that no header hashes to. */
  public static String randomId(Random r) {
    byte[] b = new byte[19];
    r.nextBytes(b);
    return CoValueIds.PREFIX + org.maiaos.mesh.cojson.storage.model.Base58.encode(b);
  }

  private static String base58ish(int n) {
    return org.maiaos.mesh.cojson.storage.model.Base58.encode(java.math.BigInteger.valueOf(n + 1000003L).toByteArray());
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    JsonStringify.appendString(sb, s);
    return sb.toString();
  }
}
