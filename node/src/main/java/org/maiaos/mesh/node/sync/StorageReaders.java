package org.maiaos.mesh.node.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. The threads that read durable content for the engine ({@code sync-read-N}), beside the
 * storage thread's group commits. Reads come in {@linkplain Lane lanes}: one lane's reads run one
 * at a time in the order they were queued (a client's replies keep their order), different lanes
 * run at once, and a reader takes one read per turn of a lane, so a client with many reads queued
 * does not hold up another's first one. At most {@code capacity} reads wait; a producer waits
 * (at most 30 s) for room, as for the storage thread.
 */
final class StorageReaders {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReaders.class);

  /** A sequence of reads that run in order; lanes are cheap (one per client, one per lone read). */
  static final class Lane {
    /** Created with the first read, dropped once empty: an idle client's lane holds no array. */
    private ArrayDeque<Runnable> reads;
    /** True while the lane sits in the ready queue or a reader runs one of its reads. */
    private boolean scheduled;
  }

  /** Lanes with a read to run; bounded by {@link #room}, since each holds a permit per read. */
  private final BlockingQueue<Lane> ready = new LinkedBlockingQueue<>();
  private final Semaphore room;
  private final int capacity;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  StorageReaders(int threads, int capacity) {
    this.room = new Semaphore(capacity);
    this.capacity = capacity;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::run, "sync-read-" + i);
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  /** Queues {@code read} on its own lane. */
  void read(Runnable read) {
    read(new Lane(), read);
  }

  /** Queues {@code read} behind the reads of {@code lane} still waiting or running. */
  void read(Lane lane, Runnable read) {
    try {
      if (!room.tryAcquire(30, TimeUnit.SECONDS)) throw SyncError.SERVER_CLOSED.error("storage read queue stayed full for 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SyncError.SERVER_CLOSED.error("interrupted while queueing a storage read");
    }
    boolean schedule;
    synchronized (lane) {
      if (lane.reads == null) lane.reads = new ArrayDeque<>(4);
      lane.reads.addLast(read);
      schedule = !lane.scheduled;
      lane.scheduled = true;
    }
    if (schedule) ready.add(lane);
  }

  private void run() {
    while (true) {
      Lane lane;
      try {
        lane = ready.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (lane == null) {
        if (stopping && room.availablePermits() == capacity) return; // nothing waits or runs
        continue;
      }
      Runnable r;
      synchronized (lane) {
        r = lane.reads.pollFirst();
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.error("storage read failed", e);
      } finally {
        room.release();
      }
      boolean again;
      synchronized (lane) {
        again = !lane.reads.isEmpty();
        lane.scheduled = again;
        if (!again) lane.reads = null;
      }
      if (again) ready.add(lane); // to the back: other lanes get their turn first
    }
  }

  /** Runs every queued read, then stops the threads; waits at most {@code timeout}. */
  void close(Duration timeout) {
    stopping = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) LOG.warn("{} still busy after {} ms", t.getName(), timeout.toMillis());
    }
  }
}
