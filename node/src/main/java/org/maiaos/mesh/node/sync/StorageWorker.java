package org.maiaos.mesh.node.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. Storage work off the engine and the event loops. One thread writes: consecutive stores
 * go together as one durable {@link StorageApi#storeAll} (group commit: the stores that arrive
 * while one sync runs share the next). Reads run on {@link #READERS} reader threads beside it
 * ({@link StorageReaders}), so a load never waits for a commit's {@code fsync} nor for stores
 * queued before it; on a backend whose reads cannot run beside a write (SQLite) the storage
 * serialises them again. That is safe because the engine issues a read only once the stores it
 * must see are durable (it waits for a value's stores before cutting content from it, and
 * activates a value, the one read without such a wait, before anything of it can be stored).
 * Completions go to {@code engine}, the engine's executor.
 */
final class StorageWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageWorker.class);
  /** Stores written in one group commit at most. */
  static final int MAX_GROUP = 1024;
  /** Reader threads: loads of different clients read at once (the Hyperbee's reads take no lock). */
  static final int READERS = 2;

  private record Store(ContentMessage msg, Consumer<KnownState> done, Consumer<RuntimeException> failed, Runnable barrier) {}

  private final StorageApi storage;
  private final Executor engine;
  private final StorageReaders readers;
  private final BlockingQueue<Store> stores;
  private final Object signal = new Object();
  private final Thread thread;
  private volatile boolean stopping;
  private long groupCommits;
  private long stored;
  private long commitNanos;

  StorageWorker(StorageApi storage, Executor engine, int capacity) {
    this.storage = storage;
    this.engine = engine;
    this.readers = new StorageReaders(READERS, capacity);
    this.stores = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "sync-storage-0");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  StorageApi storage() {
    return storage;
  }

  /** Queues a store; {@code done} gets the value's known state once it is durable, on the engine. */
  void store(ContentMessage msg, Consumer<KnownState> done, Consumer<RuntimeException> failed) {
    put(stores, new Store(msg, done, failed, null));
  }

  /** Runs {@code work} on a reader thread, not waiting for stores (see the class comment). */
  void read(Runnable work) {
    readers.read(work);
  }

  /** Runs {@code work} on a reader thread after the reads queued before it on {@code lane}. */
  void read(StorageReaders.Lane lane, Runnable work) {
    readers.read(lane, work);
  }

  /** Runs {@code r} on the storage thread once every store queued before it is durable. */
  void afterQueuedStores(Runnable r) {
    put(stores, new Store(null, null, null, r));
  }

  private <T> void put(BlockingQueue<T> q, T t) {
    try {
      // the engine bounds what each peer may have in flight, so a full queue is brief
      if (!q.offer(t, 30, TimeUnit.SECONDS)) throw SyncError.SERVER_CLOSED.error("storage queue stayed full for 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SyncError.SERVER_CLOSED.error("interrupted while queueing for storage");
    }
    synchronized (signal) {
      signal.notify();
    }
  }

  private void run() {
    List<Store> batch = new ArrayList<>();
    while (!stopping || !stores.isEmpty()) {
      Store first = stores.poll();
      if (first == null) {
        synchronized (signal) {
          if (stores.isEmpty() && !stopping) {
            try {
              signal.wait(100);
            } catch (InterruptedException e) {
              // close() ends the loop through `stopping`; no disk call is ever interrupted
            }
          }
        }
        continue;
      }
      if (first.barrier != null) {
        runBarrier(first.barrier);
        continue;
      }
      batch.clear();
      batch.add(first);
      while (batch.size() < MAX_GROUP && stores.peek() != null && stores.peek().barrier == null) batch.add(stores.poll());
      commit(batch);
    }
  }

  private void runBarrier(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("storage task failed", e);
    }
  }

  private void commit(List<Store> batch) {
    List<ContentMessage> msgs = new ArrayList<>(batch.size());
    for (Store s : batch) msgs.add(s.msg);
    List<KnownState> states;
    long t0 = System.nanoTime();
    try {
      states = storage.storeAll(msgs);
    } catch (RuntimeException e) {
      LOG.error("group commit of {} stores failed; none is acknowledged", msgs.size(), e);
      for (Store s : batch) engine.execute(() -> s.failed.accept(e));
      return;
    }
    commitNanos += System.nanoTime() - t0;
    groupCommits++;
    stored += msgs.size();
    for (int i = 0; i < batch.size(); i++) {
      Store s = batch.get(i);
      KnownState k = states.get(i);
      engine.execute(() -> s.done.accept(k));
    }
  }

  /** One line for the log: stores, group commits, stores per commit, mean commit time. */
  String stats() {
    return String.format("%d stores in %d group commits (%.1f per commit, %.2f ms per commit)", stored, groupCommits,
        groupCommits == 0 ? 0.0 : (double) stored / groupCommits, groupCommits == 0 ? 0.0 : commitNanos / 1e6 / groupCommits);
  }

  /** Runs every queued task, then stops the thread; waits at most {@code timeout}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  void close(Duration timeout) {
    stopping = true;
    synchronized (signal) {
      signal.notify();
    }
    readers.close(timeout);
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) LOG.warn("storage thread still busy after {} ms", timeout.toMillis());
    else LOG.info("storage: {}", stats());
  }
}
