package org.maiaos.mesh.cojson.storage.model;

/** Session ID helpers ({@code cojson/src/ids.ts}): {@code <AccountID|AgentID>_session_z…}, delete sessions end in {@code $}. */
public final class SessionIds {
  private static final String SESSION = "_session";

  private SessionIds() {}

  /** A delete session ({@code …_session_d…$}) survives erasure as part of the tombstone. */
  public static boolean isDeleteSession(String sessionId) {
    return !sessionId.isEmpty() && sessionId.charAt(sessionId.length() - 1) == '$';
  }

  /** The account or agent that writes the session: the text before {@code _session}. */
  public static String author(String sessionId) {
    int at = sessionId.indexOf(SESSION);
    return at < 0 ? sessionId : sessionId.substring(0, at);
  }

  /** The author when it is an account (a CoValue, so a load dependency); null for an agent. */
  public static String authorAccount(String sessionId) {
    String a = author(sessionId);
    return a.startsWith("co_") ? a : null;
  }

  /** Shape check only: non-empty, has {@code _session_}, no control characters, within {@code maxChars}. */
  public static boolean isWellFormed(String sessionId, int maxChars) {
    if (sessionId.isEmpty() || sessionId.length() > maxChars) return false;
    int at = sessionId.indexOf(SESSION + "_");
    if (at <= 0) return false;
    for (int i = 0; i < sessionId.length(); i++) if (sessionId.charAt(i) < 0x20) return false;
    return true;
  }
}
