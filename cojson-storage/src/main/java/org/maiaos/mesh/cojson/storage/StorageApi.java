package org.maiaos.mesh.cojson.storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * cojson's {@code StorageAPI} (cojson 0.20.19, {@code packages/cojson/src/storage/types.ts}) for the
 * JVM, with the semantics of its synchronous implementation ({@code storageSync.ts}): every call
 * runs on the caller's thread and returns when the disk work is done; callbacks fire before the
 * call returns. Implementations serialise calls internally, so any thread may call (a backend whose
 * reads are safe beside a write, the Hyperbee, lets reads of stored content run concurrently).
 *
 * <p>Errors are {@link org.maiaos.mesh.hypercore.HypercoreException}s with a {@link StorageError}
 * code. See {@code docs/cojson-storage.md} for how cojson's older interface maps onto this one.
 */
public interface StorageApi extends AutoCloseable {

  /** {@code CorrectionCallback}: given what storage holds, returns the content it lacks (or null if the caller cannot). */
  @FunctionalInterface
  interface CorrectionHandler {
    List<ContentMessage> correct(KnownState storageKnownState);
  }

  /** One {@code trackCoValuesSyncState} entry: {@code synced=false} records "not yet acknowledged by peerId". */
  record SyncStateUpdate(String id, String peerId, boolean synced) {}

  /** {@code StorageReconciliationAcquireResult}: acquired with the offset to resume from, or refused with a reason. */
  record LockResult(boolean acquired, long lastProcessedOffset, String reason) {
    public static LockResult acquired(long offset) {
      return new LockResult(true, offset, null);
    }

    public static LockResult refused(String reason) {
      return new LockResult(false, 0, reason);
    }
  }

  /**
   * Emits the stored CoValue {@code id} as content messages: dependencies not yet loaded first (the
   * owning group, {@code meta.source}, the accounts of its sessions, a group's parents and members),
   * then the value itself, in pieces cut exactly at stored signatures. The first piece carries the
   * header, every session's first slice, and {@code expectContentUntil} when more pieces follow.
   * The later pieces come after all first pieces, high priority values' first (cojson's streaming
   * queue, drained before this returns): a group's later pieces follow the first piece of the value
   * that needed it. Then {@code done(true)}, or just {@code done(false)} when {@code id} is not stored.
   *
   * @param done may be null
   */
  void load(String id, Consumer<ContentMessage> callback, Consumer<Boolean> done);

  /**
   * Stores {@code msg}, keeping only what is new per session. A session whose {@code after} is past
   * what storage holds is skipped and {@code handleCorrection} is asked for the missing prefix
   * (answers are stored; an empty answer counts as success, as in cojson; a second correction is
   * refused). Every call is one atomic write.
   * {@code done} runs once the content is durably written, never when it was dropped.
   *
   * @return false when a correction was needed and could not be completed (done is then not called)
   * @throws org.maiaos.mesh.hypercore.HypercoreException UNKNOWN_COVALUE when {@code id} is not stored,
   *     {@code msg} has no header and no correction supplied one (nothing is written)
   */
  boolean store(ContentMessage msg, CorrectionHandler handleCorrection, Runnable done);

  /**
   * Decodes {@code json} as a content message (checked whole against {@link Limits#DEFAULT}) and
   * stores it. MALFORMED_CONTENT when it is not valid content; nothing is written then.
   */
  default boolean store(byte[] json, CorrectionHandler handleCorrection, Runnable done) {
    return store(ContentMessage.parse(json, Limits.DEFAULT), handleCorrection, done);
  }

  /** A stored value's header and known state, read without its transactions. */
  record StoredHead(CoValueHeader header, KnownState knownState) {}

  /** The header and known state of {@code id}, read from disk without its transactions; empty when not stored. */
  Optional<StoredHead> loadHead(String id);

  /**
   * Emits what a holder of {@code peerKnows} lacks of {@code id} as content messages, for a sync
   * server answering one peer: first, recursively, every dependency (as {@link #load} names them)
   * of which the peer lacks something, then the value's pieces from the peer's counters on, cut
   * exactly at stored signatures. The header goes in the value's first piece only when the peer
   * lacks it; the first piece carries {@code expectContentUntil} (the counts of the sessions
   * sent) when more pieces follow. Emits nothing for a value the peer already has whole. Marks
   * nothing as loaded (unlike {@link #load}).
   *
   * @param peerKnows what the peer holds of a CoValue; null or an empty state when nothing
   * @return false when {@code id} is not stored
   */
  boolean loadSince(String id, java.util.function.Function<String, KnownState> peerKnows, Consumer<ContentMessage> out);

  /** A value's pieces for one peer, read from storage a batch at a time, so a big value never sits whole in memory. */
  interface PieceStream extends AutoCloseable {
    /** The header and known state of the value as the stream read them when it was opened. */
    StoredHead head();

    /**
     * Emits the next pieces, each preceded by the dependencies the peer lacks (as {@link
     * #loadSince}), until about {@code maxBytes} of transaction text went out (at least one
     * piece); returns false once nothing remains.
     */
    boolean next(long maxBytes, Consumer<ContentMessage> out);

    @Override
    void close();
  }

  /**
   * What {@link #loadSince} emits, as a stream read from a snapshot of storage; empty when
   * {@code id} is not stored.
   */
  default Optional<PieceStream> openPieces(String id, java.util.function.Function<String, KnownState> peerKnows) {
    return openPieces(id, peerKnows, false);
  }

  /**
   * {@link #openPieces(String, java.util.function.Function)}; with {@code dependenciesWhenComplete}
   * the dependencies the peer lacks are sent even when it has the whole value (what cojson's
   * {@code sendNewContent} does for a value held in memory).
   */
  Optional<PieceStream> openPieces(String id, java.util.function.Function<String, KnownState> peerKnows, boolean dependenciesWhenComplete);

  /** Transactions {@code fromIdx} (inclusive) to {@code toIdx} (exclusive) of a stored session, as stored. */
  List<Transaction> loadTransactions(String id, String sessionId, long fromIdx, long toIdx);

  /**
   * Stores {@code msgs} in order as one atomic, durable write (group commit: one sync for all).
   * The caller has checked every session's {@code after} against what storage holds (a sync
   * server verifies before storing); a session whose {@code after} is past the stored count is
   * skipped and a value without header that is not stored is skipped whole. Returns the known
   * state of each message's value after the write, in order.
   */
  List<KnownState> storeAll(List<ContentMessage> msgs);

  /** The cached known state of what storage holds of {@code id} (an empty one is created if absent). */
  KnownState getKnownState(String id);

  /** Reads the known state of {@code id} from disk (no transactions are read); empty when not stored. */
  Optional<KnownState> loadKnownState(String id);

  /**
   * Completes once storage holds exactly {@code nodeState}'s session counts (and its header), the
   * {@code waitForSync} of cojson with the node's current known state passed in; completes at once
   * when already in sync, and also when {@link #onCoValueUnmounted} forgets the value.
   */
  CompletableFuture<Void> waitForSync(String id, KnownState nodeState);

  /** The node verified a delete of {@code id}: the next stored delete session ({@code …$}) queues it for erasure. */
  void markDeleteAsValid(String id);

  /**
   * Starts erasing queued deletes on {@code executor} (owned by the caller): a first drain after 1 s,
   * later ones at most every 60 s after a new delete, each run bounded to 100 ms of work.
   */
  void enableDeletedCoValuesErasure(ScheduledExecutorService executor);

  /** Erases every queued delete: all sessions but the delete sessions go; header and delete sessions stay as the tombstone. */
  void eraseAllDeletedCoValues();

  /** Records, per CoValue and peer, whether local content still waits for that peer's acknowledgement. */
  void trackCoValuesSyncState(List<SyncStateUpdate> updates, Runnable done);

  /** IDs with at least one unsynced peer, each once. */
  List<String> getUnsyncedCoValueIDs();

  /** Forgets every unsynced record of {@code id}. */
  void stopTrackingSyncState(String id);

  /**
   * Up to {@code limit} stored IDs in a stable order, after the first {@code offset} of them
   * (cojson's SQLite {@code rowID > offset}; rows are never removed, so both readings agree).
   */
  List<String> getCoValueIDs(int limit, long offset);

  /** The number of stored CoValues (tombstones included). */
  long getCoValueCount();

  /** Full-storage reconciliation lock for {@code peerId}: refused while another session holds it (1 day TTL) or a run finished under 30 days ago. */
  LockResult tryAcquireStorageReconciliationLock(String sessionId, String peerId);

  /** Records progress ({@code offset}) if {@code sessionId} holds the lock. */
  void renewStorageReconciliationLock(String sessionId, String peerId, long offset);

  /** Releases the lock if {@code sessionId} holds it, starting the 30-day interval. */
  void releaseStorageReconciliationLock(String sessionId, String peerId);

  /** The node dropped {@code id} from memory: forget its cached known state and that it was loaded. */
  void onCoValueUnmounted(String id);

  /** Stops erasure, clears caches, releases the database; idempotent. */
  @Override
  void close();
}
