package org.maiaos.mesh.cojson.storage.model;

/**
 * Bounds checked before anything read from a peer or from disk is allocated or stored.
 *
 * @param maxMessageBytes        one content message as JSON (default 64 MiB; cojson allows one transaction
 *                               up to 1 MiB and pieces of ~100 KiB, a peer may still batch many)
 * @param maxHeaderBytes         a header's JSON text (default 256 KiB)
 * @param maxTransactionBytes    one transaction's JSON text (default 4 MiB; cojson's own cap is 1 MiB of changes)
 * @param maxSessionsPerMessage  sessions in one message (default 10,000)
 * @param maxTransactionsPerSession transactions of one session in one message (default 1,000,000)
 * @param maxSessionLength       the largest transaction count a session may reach (default 2^31 - 1, so every
 *                               index fits an {@code int} and a SQLite {@code INTEGER})
 * @param maxIdChars             a CoValue ID (default 128; real ones are 31-32)
 * @param maxSessionIdChars      a session ID (default 512; real ones are under 200)
 * @param maxSignatureChars      a signature string (default 256; real ones are ~100)
 */
public record Limits(
    int maxMessageBytes,
    int maxHeaderBytes,
    int maxTransactionBytes,
    int maxSessionsPerMessage,
    int maxTransactionsPerSession,
    long maxSessionLength,
    int maxIdChars,
    int maxSessionIdChars,
    int maxSignatureChars) {

  public static final Limits DEFAULT =
      new Limits(64 << 20, 256 << 10, 4 << 20, 10_000, 1_000_000, Integer.MAX_VALUE, 128, 512, 256);
}
