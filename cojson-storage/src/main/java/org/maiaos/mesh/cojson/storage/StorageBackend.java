package org.maiaos.mesh.cojson.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * Internal. What a backend gives {@link StorageEngine}: cojson's {@code DBClientInterfaceSync}
 * reshaped so that one {@code store} is one atomic {@link #write} and one {@code load} is one
 * {@link #read}. Not thread-safe: the engine calls it under its lock.
 */
interface StorageBackend extends AutoCloseable {

  /** A session row: {@code lastIdx} is the transaction count (cojson's name). */
  record SessionRow(String sessionId, long lastIdx, String lastSignature, long bytesSinceLastSignature) {}

  /** A signature saved at a chunk boundary: it signs the session prefix {@code [0..idx]}. */
  record SignatureAfter(long idx, String signature) {}

  /** A reconciliation lock row ({@code storageReconciliationLocks}). */
  record LockRow(String key, String holderSessionId, long acquiredAt, Long releasedAt, long lastProcessedOffset) {}

  /** A stored CoValue as one read sees it. */
  interface StoredCoValue {
    String headerJson();

    /** Sessions in a stable order. */
    List<SessionRow> sessions();

    /** Saved signatures of {@code sessionId}, ascending by index. */
    List<SignatureAfter> signatures(String sessionId);

    /** Raw transactions {@code fromIdx..toIdx} (inclusive) of {@code sessionId}; STORAGE_CORRUPT if any is missing. */
    List<String> transactions(String sessionId, long fromIdx, long toIdx);
  }

  /** The writes of one atomic unit; reads inside it see its own writes. */
  interface WriteTx {
    boolean hasCoValue(String id);

    void insertCoValue(String id, String headerJson);

    Optional<SessionRow> session(String id, String sessionId);

    /** Upserts the session row. */
    void putSession(String id, SessionRow row);

    /** Appends {@code txs} at {@code firstIdx, firstIdx+1, …}; {@code endsAtSignature} when a signatureAfter is saved at their end. */
    void addTransactions(String id, String sessionId, long firstIdx, List<String> txs, boolean endsAtSignature);

    void addSignatureAfter(String id, String sessionId, SignatureAfter sig);

    /** Queues {@code id} for erasure (Pending) unless it already has a status. */
    void markCoValueAsDeleted(String id);
  }

  Optional<StoredCoValue> read(String id);

  /**
   * Whether {@link #read}, {@link #chunks}, {@link #knownState} and {@link #headerJson} may run on
   * other threads while one call (a write included) runs; false unless the backend says so.
   */
  default boolean concurrentReads() {
    return false;
  }

  /**
   * The chunks of a session from the one holding {@code fromIdx} on, ascending, read lazily (a
   * big session is never held whole). A chunk ends at a signature: {@code sealed} when it was
   * saved as a load cut, else it is the session's last chunk. The iterator reads a snapshot: writes
   * after this call do not show.
   */
  java.util.Iterator<org.maiaos.mesh.cojson.storage.keys.SessionChunk> chunks(String id, String sessionId, long fromIdx);

  Optional<KnownState> knownState(String id);

  /**
   * {@link #knownState}, maybe from a cache: for decisions that tolerate a state as old as a read
   * that began just before the latest write (whether a peer lacks something of a dependency), not
   * for cutting content, which needs the state of the version it reads.
   */
  default Optional<KnownState> knownStateForCheck(String id) {
    return knownState(id);
  }

  /** One stored value as one version holds it: what a piece stream starts from. */
  interface ValueView {
    String headerJson();

    /** Sessions in record order; no sessions when the value has none stored. */
    KnownState knownState();

    /** {@link StorageBackend#chunks} of this view's version; each session's chunks are read at most once per view. */
    java.util.Iterator<org.maiaos.mesh.cojson.storage.keys.SessionChunk> chunks(String sessionId, long fromIdx);
  }

  /** The header, known state and chunk cursors of {@code id} from one version; empty when no header is stored. */
  default Optional<ValueView> openValue(String id) {
    Optional<String> header = headerJson(id);
    if (header.isEmpty()) return Optional.empty();
    KnownState known = knownState(id).orElse(new KnownState(id, true, java.util.Map.of()));
    return Optional.of(new ValueView() {
      @Override
      public String headerJson() {
        return header.get();
      }

      @Override
      public KnownState knownState() {
        return known;
      }

      @Override
      public java.util.Iterator<org.maiaos.mesh.cojson.storage.keys.SessionChunk> chunks(String sessionId, long fromIdx) {
        return StorageBackend.this.chunks(id, sessionId, fromIdx);
      }
    });
  }

  /** The header JSON of {@code id} as received, without reading its transactions; empty when not stored. */
  Optional<String> headerJson(String id);

  /** Runs {@code work} as one atomic unit: all of its writes land, durably, or none do. */
  <T> T write(Function<WriteTx, T> work);

  List<String> coValuesWaitingForDelete();

  /** Atomically removes every non-delete session of {@code id} with its transactions and signatures; status Done. */
  void eraseCoValueButKeepTombstone(String id);

  void trackCoValuesSyncState(List<StorageApi.SyncStateUpdate> updates);

  List<String> unsyncedCoValueIds();

  void stopTrackingSyncState(String id);

  List<String> coValueIds(int limit, long offset);

  long coValueCount();

  Optional<LockRow> lock(String key);

  void putLock(LockRow row);

  @Override
  void close();
}
