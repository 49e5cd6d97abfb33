package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * The running verification state of one session of one CoValue, as the Rust core keeps it
 * ({@code session_log.rs SessionLogInternal}): the transaction count and a BLAKE3 hasher over the
 * canonical texts ({@link CanonicalTransaction}) of every transaction from index 0, with no
 * separators. A piece that brings the session to {@code n} transactions carries
 * {@code lastSignature} = Ed25519 by the session's signer over the UTF-8 of the JSON string
 * literal {@code "hash_z<base58(H_n)>"}, quotes included.
 *
 * <p>{@link #append} checks a piece against a copy of the hasher and only then takes the copy, so a
 * piece that fails changes nothing (the core's {@code commit_transactions} is atomic in the same
 * way). Not thread-safe: one owner (the engine's executor for that CoValue) at a time.
 */
public final class SessionLog {
  public static final String HASH_PREFIX = "hash_z";
  public static final String SIGNATURE_PREFIX = "signature_z";

  private final String sessionId;
  private final Key32 signer;
  private Blake3Digest hasher;
  private long count;
  private String lastSignature;

  private SessionLog(String sessionId, Key32 signer, Blake3Digest hasher, long count, String lastSignature) {
    this.sessionId = sessionId;
    this.signer = signer;
    this.hasher = hasher;
    this.count = count;
    this.lastSignature = lastSignature;
  }

  /** An empty session ({@code count() == 0}) whose pieces must be signed by {@code signer}. */
  public static SessionLog empty(String sessionId, Key32 signer) {
    if (sessionId == null || signer == null) throw SyncError.BAD_ARGUMENT.error("session ID and signer are required");
    return new SessionLog(sessionId, signer, new Blake3Digest(), 0, null);
  }

  /**
   * A session rebuilt from transactions we stored before (and so verified before): they are hashed
   * without signature checks. When {@code storedLastSignature} is not null it must sign the whole
   * prefix (INVALID_SIGNATURE otherwise), which catches a store whose transactions were altered.
   */
  public static SessionLog replay(String sessionId, Key32 signer, List<Transaction> stored, String storedLastSignature) {
    SessionLog log = empty(sessionId, signer);
    Blake3Digest h = log.hasher;
    for (Transaction tx : stored) update(h, CanonicalTransaction.of(tx));
    if (storedLastSignature != null) log.checkSignature(h, storedLastSignature, stored.size());
    log.count = stored.size();
    log.lastSignature = storedLastSignature;
    return log;
  }

  public String sessionId() {
    return sessionId;
  }

  public Key32 signer() {
    return signer;
  }

  /** Transactions verified so far: the index the next piece must start at. */
  public long count() {
    return count;
  }

  /** The signature of the last piece taken (or the stored one after {@link #replay}); null when empty. */
  public String lastSignature() {
    return lastSignature;
  }

  /** {@code hash_z<base58(H_count)>}, the hash the next signature over the current prefix would sign. */
  public String hash() {
    return ZEncoded.encode(HASH_PREFIX, digestOf(hasher));
  }

  /**
   * Verifies a piece that starts at index {@code after} and, only if it verifies, takes it: the
   * count grows by {@code txs.size()} and {@code lastSignature} becomes the piece's. WRONG_COUNT
   * when {@code after != count()} (the engine slices off what it already holds first, as
   * {@code getNewTransactionsFromContentMessage} does, and asks for a correction on a gap);
   * INVALID_TRANSACTION for a transaction the core would not parse; INVALID_SIGNATURE when the
   * signature is malformed or does not sign the new prefix. An empty piece is a no-op, as in
   * cojson (nothing new, nothing to verify).
   */
  public void append(long after, List<Transaction> txs, String lastSignature) {
    Objects.requireNonNull(txs, "txs");
    if (after != count) throw SyncError.WRONG_COUNT.error("%s: piece starts at %d, the session holds %d", sessionId, after, count);
    if (txs.isEmpty()) return;
    List<String> canonical = new ArrayList<>(txs.size());
    for (Transaction tx : txs) canonical.add(CanonicalTransaction.of(tx));
    appendCanonical(canonical, lastSignature);
  }

  /** {@link #append(long, List, String)} for one session's part of a {@code content} message (already sliced to start at {@link #count()}). */
  public void append(SessionNewContent piece) {
    append(piece.after(), piece.newTransactions(), piece.lastSignature());
  }

  /** {@link #append} for transactions already in canonical form (from {@link CanonicalTransaction}). */
  void appendCanonical(List<String> canonical, String signature) {
    Blake3Digest next = new Blake3Digest(hasher);
    for (String c : canonical) update(next, c);
    long newCount = count + canonical.size();
    checkSignature(next, signature, newCount);
    hasher = next;
    count = newCount;
    lastSignature = signature;
  }

  private void checkSignature(Blake3Digest state, String signature, long n) {
    byte[] sig = ZEncoded.decode(signature, SIGNATURE_PREFIX, Ed25519.SIGNATURE_BYTES, SyncError.INVALID_SIGNATURE, sessionId + " lastSignature");
    byte[] message = signedMessage(digestOf(state));
    if (!Ed25519.verify(message, sig, signer)) {
      throw SyncError.INVALID_SIGNATURE.error("%s: signature does not sign the first %d transactions for %s", sessionId, n, AgentIds.signerId(signer));
    }
  }

  /** The bytes a session signature signs for a 32-byte BLAKE3 hash: UTF-8 of {@code "hash_z…"} with the quotes. */
  public static byte[] signedMessage(byte[] hash) {
    return ("\"" + ZEncoded.encode(HASH_PREFIX, hash) + "\"").getBytes(StandardCharsets.UTF_8);
  }

  /** The digest of {@code state} without consuming it (Blake3Digest.doFinal resets, so finalise a copy). */
  private static byte[] digestOf(Blake3Digest state) {
    Blake3Digest copy = new Blake3Digest(state);
    byte[] out = new byte[32];
    copy.doFinal(out, 0);
    return out;
  }

  private static void update(Blake3Digest h, String canonical) {
    byte[] b = canonical.getBytes(StandardCharsets.UTF_8);
    h.update(b, 0, b.length);
  }

  @Override
  public String toString() {
    return "SessionLog " + sessionId + " count " + count;
  }
}
