package org.maiaos.mesh.cojson.storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * A region node's {@code --storage hybrid}: SQLite is the local primary (every read, the sync state,
 * the reconciliation lock), and every write is carried into the region bee too, so that the other
 * regions can read it. After each write, the bee is brought up to what SQLite holds of each value
 * written, dependencies included: SQLite's {@code loadSince} from the bee's known state, so only
 * the delta goes in, as one atomic bee append. A bee that fell behind (a crash between the two
 * commits) so catches up at the value's next write. A write returns, and {@code done} runs, once
 * both are durable.
 */
public final class HybridStorage implements StorageApi {
  private final StorageApi primary;
  private final HyperbeeStorage bee;
  /** A delete was verified: the bee erases it once the delete session is carried over. */
  private volatile boolean deletesToErase;

  private HybridStorage(StorageApi primary, HyperbeeStorage bee) {
    this.primary = primary;
    this.bee = bee;
  }

  /** SQLite {@code primary} and the region {@code bee}, both owned (and closed) by the new storage. */
  public static HybridStorage of(SqliteStorage primary, HyperbeeStorage bee) {
    return new HybridStorage(primary, bee);
  }

  /** Brings the bee up to what SQLite holds of {@code ids} and their dependencies. */
  private void follow(Set<String> ids) {
    List<ContentMessage> delta = new ArrayList<>();
    for (String id : ids) primary.loadSince(id, k -> bee.loadKnownState(k).orElse(null), delta::add);
    if (!delta.isEmpty()) bee.storeAll(delta);
    if (deletesToErase) {
      // the bee erases a verified delete as it is carried over, not on a schedule of its own
      deletesToErase = false;
      bee.eraseAllDeletedCoValues();
    }
  }

  // ---- writes: SQLite, then the bee ----

  @Override
  public boolean store(ContentMessage msg, CorrectionHandler handleCorrection, Runnable done) {
    return primary.store(msg, handleCorrection, () -> {
      follow(Set.of(msg.id()));
      if (done != null) done.run();
    });
  }

  @Override
  public List<KnownState> storeAll(List<ContentMessage> msgs) {
    List<KnownState> states = primary.storeAll(msgs);
    Set<String> ids = new LinkedHashSet<>();
    for (ContentMessage m : msgs) ids.add(m.id());
    follow(ids);
    return states;
  }

  @Override
  public void markDeleteAsValid(String id) {
    primary.markDeleteAsValid(id);
    bee.markDeleteAsValid(id);
    deletesToErase = true;
  }

  /** SQLite's erasure runs on {@code executor}; the bee's runs when a delete is carried into it. */
  @Override
  public void enableDeletedCoValuesErasure(ScheduledExecutorService executor) {
    primary.enableDeletedCoValuesErasure(executor);
  }

  @Override
  public void eraseAllDeletedCoValues() {
    primary.eraseAllDeletedCoValues();
    bee.eraseAllDeletedCoValues();
  }

  // ---- everything else: SQLite ----

  @Override
  public void load(String id, Consumer<ContentMessage> callback, Consumer<Boolean> done) {
    primary.load(id, callback, done);
  }

  @Override
  public Optional<StoredHead> loadHead(String id) {
    return primary.loadHead(id);
  }

  @Override
  public boolean loadSince(String id, Function<String, KnownState> peerKnows, Consumer<ContentMessage> out) {
    return primary.loadSince(id, peerKnows, out);
  }

  @Override
  public Optional<PieceStream> openPieces(String id, Function<String, KnownState> peerKnows, boolean dependenciesWhenComplete) {
    return primary.openPieces(id, peerKnows, dependenciesWhenComplete);
  }

  @Override
  public List<Transaction> loadTransactions(String id, String sessionId, long fromIdx, long toIdx) {
    return primary.loadTransactions(id, sessionId, fromIdx, toIdx);
  }

  @Override
  public KnownState getKnownState(String id) {
    return primary.getKnownState(id);
  }

  @Override
  public Optional<KnownState> loadKnownState(String id) {
    return primary.loadKnownState(id);
  }

  @Override
  public CompletableFuture<Void> waitForSync(String id, KnownState nodeState) {
    return primary.waitForSync(id, nodeState);
  }

  @Override
  public void trackCoValuesSyncState(List<SyncStateUpdate> updates, Runnable done) {
    primary.trackCoValuesSyncState(updates, done);
  }

  @Override
  public List<String> getUnsyncedCoValueIDs() {
    return primary.getUnsyncedCoValueIDs();
  }

  @Override
  public void stopTrackingSyncState(String id) {
    primary.stopTrackingSyncState(id);
  }

  @Override
  public List<String> getCoValueIDs(int limit, long offset) {
    return primary.getCoValueIDs(limit, offset);
  }

  @Override
  public long getCoValueCount() {
    return primary.getCoValueCount();
  }

  @Override
  public LockResult tryAcquireStorageReconciliationLock(String sessionId, String peerId) {
    return primary.tryAcquireStorageReconciliationLock(sessionId, peerId);
  }

  @Override
  public void renewStorageReconciliationLock(String sessionId, String peerId, long offset) {
    primary.renewStorageReconciliationLock(sessionId, peerId, offset);
  }

  @Override
  public void releaseStorageReconciliationLock(String sessionId, String peerId) {
    primary.releaseStorageReconciliationLock(sessionId, peerId);
  }

  @Override
  public void onCoValueUnmounted(String id) {
    primary.onCoValueUnmounted(id);
  }

  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      bee.close();
    }
  }
}
