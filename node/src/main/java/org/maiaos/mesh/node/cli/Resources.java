package org.maiaos.mesh.node.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command opened, closed in reverse order, once: when the command ends, or when the JVM
 * is told to stop (SIGTERM, SIGINT) for a command that runs until killed. Every close is bounded
 * (the swarm 10 s, the DHT node 5 s), so stopping is too.
 */
final class Resources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private boolean closed;

  /** Takes {@code r} to close; refused (and {@code r} closed) once closing has begun. */
  synchronized <T extends AutoCloseable> T add(T r) {
    if (closed) {
      closeQuietly(r);
      throw new IllegalStateException("closed");
    }
    open.push(r);
    return r;
  }

  /**
   * Blocks until SIGTERM or SIGINT, then returns (the command closes everything and exits 0, as
   * {@code mesh sync} does; a JVM shutdown hook alone would exit 143). Any other way the JVM stops
   * still closes everything, from a shutdown hook.
   */
  void untilKilled() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "node-cli-stop"));
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    stop.await();
  }

  @Override
  public void close() {
    AutoCloseable[] all;
    synchronized (this) {
      if (closed) return;
      closed = true;
      all = open.toArray(new AutoCloseable[0]);
      open.clear();
    }
    for (AutoCloseable r : all) closeQuietly(r);
  }

  private static void closeQuietly(AutoCloseable r) {
    try {
      r.close();
    } catch (Exception e) {
      // the command has its answer or is stopping: a failed close changes neither
      LOG.debug("close of {} failed: {}", r, e.toString());
    }
  }
}
