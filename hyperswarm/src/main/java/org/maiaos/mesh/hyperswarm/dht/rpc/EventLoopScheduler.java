package org.maiaos.mesh.hyperswarm.dht.rpc;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on a Netty event loop: the DHT then runs on the thread that reads and writes
 * its UDP socket, as JS runs dht-rpc and udx on one loop. A datagram is handled where it was read
 * and an answer written where it is sent, with no hand-over to another thread on either side
 * (each hand-over costs a thread wake-up, which shows in lookup and connect latency).
 *
 * <p>Bind the node's sockets on a group whose loop this is (a group of one thread, say); nothing
 * run on it may block. Closing the group stops it.
 */
public final class EventLoopScheduler implements Scheduler {
  private final EventLoop loop;

  public EventLoopScheduler(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public void execute(Runnable task) {
    if (loop.isShuttingDown()) return;
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the loop stopped between the check and the call: as a closed ExecutorScheduler, drop it
    }
  }

  @Override
  public Cancellable schedule(long delayMillis, Runnable task) {
    if (loop.isShuttingDown()) return () -> { };
    try {
      ScheduledFuture<?> f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
      return () -> f.cancel(false);
    } catch (RejectedExecutionException e) {
      return () -> { };
    }
  }
}
