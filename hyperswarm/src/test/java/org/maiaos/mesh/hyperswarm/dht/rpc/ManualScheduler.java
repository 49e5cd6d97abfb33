package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a virtual clock, driven by the test thread: nothing runs until the test
 * calls {@link #runUntilIdle} or {@link #advance}. Ties run in submission order.
 */
final class ManualScheduler implements Scheduler {
  private record Task(long at, long seq, Runnable run, boolean[] cancelled) { }

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at
      ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now = 1_000_000;
  private long seq;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(new Task(now, seq++, task, new boolean[1]));
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    boolean[] cancelled = new boolean[1];
    queue.add(new Task(now + delayMillis, seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task due now, including those they submit; bounded so a livelock fails the test. */
  void runUntilIdle() {
    for (int i = 0; i < 10_000_000; i++) {
      Task t = queue.peek();
      if (t == null || t.at > now) return;
      queue.poll();
      if (!t.cancelled[0]) t.run.run();
    }
    throw new AssertionError("scheduler never went idle");
  }

  /** Moves the clock forward by {@code millis}, running each task at its due time. */
  void advance(long millis) {
    long until = now + millis;
    runUntilIdle();
    for (;;) {
      Task t = queue.peek();
      while (t != null && t.cancelled[0]) {
        queue.poll();
        t = queue.peek();
      }
      if (t == null || t.at > until) break;
      now = t.at;
      runUntilIdle();
    }
    now = until;
    runUntilIdle();
  }

  /** Moves the clock without running what fell due in between (a machine that slept), then runs. */
  void jump(long millis) {
    now += millis;
    runUntilIdle();
  }
}
