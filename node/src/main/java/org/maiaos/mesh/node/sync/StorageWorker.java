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
 * Internal. The one thread that talks to storage, so disk work never runs on the engine or on an
 * event loop. Tasks run in submission order; consecutive stores are taken together and written
 * as one durable {@link StorageApi#storeAll} (group commit: stores that arrive while a sync is in
 * progress share the next one). Completions are handed to {@code engine}, the engine's executor.
 */
final class StorageWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageWorker.class);
  /** Stores written in one group commit at most. */
  static final int MAX_GROUP = 1024;

  private sealed interface Task permits Store, Read {}

  private record Store(ContentMessage msg, Consumer<KnownState> done, Consumer<RuntimeException> failed) implements Task {}

  private record Read(Runnable work) implements Task {}

  private final StorageApi storage;
  private final Executor engine;
  private final BlockingQueue<Task> queue;
  private final Thread thread;
  private volatile boolean stopping;
  private long groupCommits;
  private long stores;

  StorageWorker(StorageApi storage, Executor engine, int capacity) {
    this.storage = storage;
    this.engine = engine;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "sync-storage-0");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  StorageApi storage() {
    return storage;
  }

  /** Queues a store; {@code done} gets the value's known state once it is durable, on the engine. */
  void store(ContentMessage msg, Consumer<KnownState> done, Consumer<RuntimeException> failed) {
    put(new Store(msg, done, failed));
  }

  /** Runs {@code work} on the storage thread after every task queued before it. */
  void read(Runnable work) {
    put(new Read(work));
  }

  private void put(Task t) {
    try {
      // the engine bounds what each peer may have in flight, so a full queue is brief
      if (!queue.offer(t, 30, TimeUnit.SECONDS)) throw SyncError.SERVER_CLOSED.error("storage queue stayed full for 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SyncError.SERVER_CLOSED.error("interrupted while queueing for storage");
    }
  }

  private void run() {
    List<Task> batch = new ArrayList<>();
    while (!stopping || !queue.isEmpty()) {
      Task t;
      try {
        t = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue; // close() ends the loop through `stopping`; no disk call is ever interrupted
      }
      if (t == null) continue;
      if (t instanceof Read r) {
        runRead(r);
        continue;
      }
      batch.clear();
      batch.add(t);
      while (batch.size() < MAX_GROUP && queue.peek() instanceof Store) batch.add(queue.poll());
      commit(batch);
    }
  }

  private void runRead(Read r) {
    try {
      r.work.run();
    } catch (RuntimeException e) {
      LOG.error("storage read failed", e);
    }
  }

  private void commit(List<Task> batch) {
    List<ContentMessage> msgs = new ArrayList<>(batch.size());
    for (Task t : batch) msgs.add(((Store) t).msg);
    List<KnownState> states;
    try {
      states = storage.storeAll(msgs);
    } catch (RuntimeException e) {
      LOG.error("group commit of {} stores failed; none is acknowledged", msgs.size(), e);
      for (Task t : batch) engine.execute(() -> ((Store) t).failed.accept(e));
      return;
    }
    groupCommits++;
    stores += msgs.size();
    for (int i = 0; i < batch.size(); i++) {
      Store s = (Store) batch.get(i);
      KnownState k = states.get(i);
      engine.execute(() -> s.done.accept(k));
    }
  }

  /** Stores per group commit so far (for logs and benchmarks). */
  double storesPerCommit() {
    return groupCommits == 0 ? 0 : (double) stores / groupCommits;
  }

  /** Runs every queued task, then stops the thread; waits at most {@code timeout}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  void close(Duration timeout) {
    stopping = true;
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) LOG.warn("storage thread still busy after {} ms", timeout.toMillis());
  }
}
