package org.maiaos.mesh.hyperswarm.dht.rpc;

/**
 * The single owner of a node's mutable state: tasks run one at a time, in order, and timers are
 * read from the same clock. {@link ExecutorScheduler} is the real one; tests drive a manual one, so
 * retries, token rotation and ticks are tested without sleeping.
 */
public interface Scheduler {
  /** Milliseconds on this scheduler's clock (monotonic; only differences matter). */
  long nowMillis();

  /** Runs {@code task} later on the owner thread. */
  void execute(Runnable task);

  /** Runs {@code task} on the owner thread after {@code delayMillis}; the handle cancels it. */
  Cancellable schedule(long delayMillis, Runnable task);

  /** A scheduled task that can still be called off. */
  interface Cancellable {
    void cancel();
  }
}
