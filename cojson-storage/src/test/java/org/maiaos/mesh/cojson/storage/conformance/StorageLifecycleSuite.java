package org.maiaos.mesh.cojson.storage.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.StorageApi.SyncStateUpdate;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.interop.CojsonFixtures;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionIds;

/** The rest of the contract: sync-state tracking, deletion and erasure, reconciliation listing and locks, concurrent stores. */
public abstract class StorageLifecycleSuite extends StorageConformanceSuite {

  @Test
  void syncTrackingRecordsUnsyncedPairsAndSurvivesARestart() {
    AtomicInteger done = new AtomicInteger();
    storage.trackCoValuesSyncState(List.of(new SyncStateUpdate("co_zA", "p1", false), new SyncStateUpdate("co_zA", "p2", false),
        new SyncStateUpdate("co_zB", "any", false), new SyncStateUpdate("co_zB", "any", false)), done::incrementAndGet);
    assertEquals(1, done.get());
    assertEquals(Set.of("co_zA", "co_zB"), Set.copyOf(storage.getUnsyncedCoValueIDs()));
    assertEquals(2, storage.getUnsyncedCoValueIDs().size(), "each id once");
    storage.trackCoValuesSyncState(List.of(new SyncStateUpdate("co_zA", "p1", true)), null);
    assertEquals(Set.of("co_zA", "co_zB"), Set.copyOf(storage.getUnsyncedCoValueIDs()));
    reopen();
    storage.trackCoValuesSyncState(List.of(new SyncStateUpdate("co_zA", "p2", true)), null);
    assertEquals(List.of("co_zB"), storage.getUnsyncedCoValueIDs());
    storage.stopTrackingSyncState("co_zB");
    assertEquals(List.of(), storage.getUnsyncedCoValueIDs());
  }

  @Test
  void aValidDeleteIsErasedLeavingHeaderAndDeleteSessionAsTombstone() {
    CojsonFixtures.Value del = fx.value("deleted");
    storage.markDeleteAsValid(del.id());
    storeAll(del.incrementalMessages());
    KnownState before = storage.loadKnownState(del.id()).orElseThrow();
    assertTrue(before.sessions().keySet().stream().anyMatch(s -> !SessionIds.isDeleteSession(s)), "history has normal sessions");
    long count = storage.getCoValueCount();
    storage.eraseAllDeletedCoValues();
    reopen();
    KnownState after = storage.loadKnownState(del.id()).orElseThrow();
    assertTrue(after.header());
    assertEquals(del.knownState().sessions(), after.sessions(), "only the delete session is left");
    Loaded l = Loaded.of(storage, del.id());
    l.assertFound();
    assertEquals(del.headerJson(), l.piecesOf(del.id()).get(0).header().raw());
    assertEquals(Expected.of(del.fullMessages()).txs, l.transactionsOf(del.id()));
    assertEquals(count, storage.getCoValueCount(), "the tombstone still counts");
    storage.eraseAllDeletedCoValues(); // nothing pending: a no-op
    assertEquals(after, storage.loadKnownState(del.id()).orElseThrow());
  }

  @Test
  void aDeleteSessionWithoutMarkDeleteAsValidIsStoredButNotErased() {
    CojsonFixtures.Value del = fx.value("deleted");
    storeAll(del.incrementalMessages());
    KnownState before = storage.loadKnownState(del.id()).orElseThrow();
    storage.eraseAllDeletedCoValues();
    assertEquals(before, storage.loadKnownState(del.id()).orElseThrow());
  }

  @Test
  void erasureRunsOnTheCallersExecutorAfterTheStartupDelay() throws Exception {
    ManualScheduler scheduler = new ManualScheduler();
    try {
      CoValueHeader h = Synthetic.header("scheduled-delete");
      String normal = Synthetic.session(1);
      String del = Synthetic.deleteSession(1);
      storage.store(Synthetic.content(h, true, normal, Synthetic.slice(normal, 0, 3, 40)), NO_CORRECTION, null);
      storage.enableDeletedCoValuesErasure(scheduler);
      assertEquals(List.of(Duration.ofSeconds(1)), scheduler.delays(), "startup drain");
      scheduler.runAll(); // nothing queued yet
      storage.markDeleteAsValid(h.coValueId());
      assertEquals(List.of(Duration.ofSeconds(60)), scheduler.delays(), "throttled run after a new delete");
      storage.store(Synthetic.content(h, false, del, new org.maiaos.mesh.cojson.storage.model.SessionNewContent(0,
          List.of(Synthetic.deleteTx(h.coValueId())), Synthetic.signature(del, 0))), NO_CORRECTION, null);
      scheduler.runAll();
      assertEquals(Map.of(del, 1L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void reconciliationListsEveryIdOnceInAStableResumableOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 57; i++) {
      CoValueHeader h = Synthetic.header("listing-" + i);
      ids.add(h.coValueId());
      String s = Synthetic.session(i);
      storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 1, 10)), NO_CORRECTION, null);
    }
    assertEquals(57, storage.getCoValueCount());
    List<String> listed = page(10);
    assertEquals(ids, listed, "insertion order, each once");
    reopen();
    assertEquals(listed, page(7), "the same order after a restart and with another page size");
    assertEquals(List.of(), storage.getCoValueIDs(10, 57));
    assertEquals(ids.subList(50, 57), storage.getCoValueIDs(100, 50));
  }

  private List<String> page(int size) {
    List<String> out = new ArrayList<>();
    long offset = 0;
    for (List<String> batch; !(batch = storage.getCoValueIDs(size, offset)).isEmpty(); offset += batch.size()) out.addAll(batch);
    return out;
  }

  @Test
  void theReconciliationLockIsExclusiveResumableAndDueEveryThirtyDays() {
    StorageApi.LockResult a = storage.tryAcquireStorageReconciliationLock("s1", "peer");
    assertTrue(a.acquired());
    assertEquals(0, a.lastProcessedOffset());
    assertEquals("lock_held", storage.tryAcquireStorageReconciliationLock("s2", "peer").reason());
    assertTrue(storage.tryAcquireStorageReconciliationLock("s2", "other-peer").acquired(), "locks are per peer");
    storage.renewStorageReconciliationLock("s1", "peer", 300);
    storage.renewStorageReconciliationLock("s2", "peer", 999); // not the holder: ignored
    reopen();
    assertEquals(StorageApi.LockResult.acquired(300), storage.tryAcquireStorageReconciliationLock("s1", "peer"), "resumes from the offset");
    clock.addAndGet(Duration.ofDays(1).toMillis() + 1);
    assertEquals(StorageApi.LockResult.acquired(300), storage.tryAcquireStorageReconciliationLock("s2", "peer"), "an expired lock is taken over");
    storage.releaseStorageReconciliationLock("s1", "peer"); // not the holder: ignored
    storage.releaseStorageReconciliationLock("s2", "peer");
    assertEquals("not_due", storage.tryAcquireStorageReconciliationLock("s3", "peer").reason());
    clock.addAndGet(Duration.ofDays(30).toMillis());
    assertEquals(StorageApi.LockResult.acquired(0), storage.tryAcquireStorageReconciliationLock("s3", "peer"));
  }

  @Test
  void concurrentStoresFromManyThreadsAllLandWhole() throws Exception {
    int threads = 8;
    int perThread = 40;
    CoValueHeader shared = Synthetic.header("concurrent-shared");
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, "cojson-storage-test-" + r.hashCode()));
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int n = t;
        fs.add(pool.submit(() -> {
          try {
            start.await();
            String s = Synthetic.session(1000 + n);
            CoValueHeader own = Synthetic.header("concurrent-" + n);
            for (int i = 0; i < perThread; i++) {
              storage.store(Synthetic.content(shared, true, s, Synthetic.slice(s, i * 2L, 2, 30 + i)), NO_CORRECTION, done::incrementAndGet);
              storage.store(Synthetic.content(own, i == 0, s, Synthetic.slice(s, i, 1, 20)), NO_CORRECTION, done::incrementAndGet);
              if (i % 10 == 0) Loaded.of(storage, shared.coValueId());
            }
          } catch (Throwable e) {
            errors.add(e);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) f.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), errors);
    assertEquals(threads * perThread * 2, done.get());
    reopen();
    KnownState k = storage.loadKnownState(shared.coValueId()).orElseThrow();
    Set<String> sessions = new HashSet<>();
    for (int t = 0; t < threads; t++) {
      String s = Synthetic.session(1000 + t);
      sessions.add(s);
      assertEquals(perThread * 2L, k.count(s));
      assertEquals(Map.of(s, (long) perThread), storage.loadKnownState(Synthetic.header("concurrent-" + t).coValueId()).orElseThrow().sessions());
    }
    Map<String, List<String>> txs = Loaded.of(storage, shared.coValueId()).transactionsOf(shared.coValueId());
    assertEquals(sessions, txs.keySet());
    assertEquals(threads + 1, storage.getCoValueCount());
  }

  /** A scheduler whose tasks run only when the test says so: no sleeping, no timing. */
  static final class ManualScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    ManualScheduler() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      tasks.add(command);
      delays.add(Duration.ofMillis(unit.toMillis(delay)));
      return new ScheduledFuture<Object>() {
        @Override public long getDelay(TimeUnit u) { return 0; }
        @Override public int compareTo(Delayed o) { return 0; }
        @Override public boolean cancel(boolean b) { return tasks.remove(command); }
        @Override public boolean isCancelled() { return false; }
        @Override public boolean isDone() { return false; }
        @Override public Object get() { return null; }
        @Override public Object get(long t, TimeUnit u) { return null; }
      };
    }

    synchronized List<Duration> delays() {
      List<Duration> d = new ArrayList<>(delays);
      return d;
    }

    void runAll() {
      List<Runnable> now;
      synchronized (this) {
        now = new ArrayList<>(tasks);
        tasks.clear();
        delays.clear();
      }
      now.forEach(Runnable::run);
    }
  }
}
