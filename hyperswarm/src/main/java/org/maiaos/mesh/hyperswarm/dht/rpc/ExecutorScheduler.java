package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Scheduler} on one daemon thread named {@code hyperswarm-dht-<n>}; closing stops it. */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final ScheduledThreadPoolExecutor executor;

  public ExecutorScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hyperswarm-dht-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true); // cancelled retry timers must not pile up
  }

  @Override
  public long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public void execute(Runnable task) {
    if (!executor.isShutdown()) executor.execute(task);
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    if (executor.isShutdown()) return () -> { };
    ScheduledFuture<?> f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  ScheduledExecutorService executor() {
    return executor;
  }

  /** Stops the thread; waits at most 5 s for the running task. Idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
