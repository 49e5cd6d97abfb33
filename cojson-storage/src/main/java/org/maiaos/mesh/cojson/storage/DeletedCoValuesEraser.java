package org.maiaos.mesh.cojson.storage;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. {@code DeletedCoValuesEraserScheduler}: a startup drain after 1 s, a throttled run
 * 60 s after a new delete when idle, follow-ups every 1 s while work remains. Runs on the
 * caller's executor; starts no thread of its own.
 */
final class DeletedCoValuesEraser {
  private static final Logger LOG = LoggerFactory.getLogger(DeletedCoValuesEraser.class);
  static final Duration STARTUP_DELAY = Duration.ofSeconds(1);
  static final Duration THROTTLE = Duration.ofSeconds(60);
  static final Duration FOLLOW_UP_DELAY = Duration.ofSeconds(1);

  private final ScheduledExecutorService executor;
  private final BooleanSupplier runOnce; // true when more work remains
  private ScheduledFuture<?> scheduled;
  private boolean running;
  private boolean disposed;

  DeletedCoValuesEraser(ScheduledExecutorService executor, BooleanSupplier runOnce) {
    this.executor = executor;
    this.runOnce = runOnce;
  }

  synchronized void scheduleStartupDrain() {
    if (idle()) schedule(STARTUP_DELAY);
  }

  synchronized void onEnqueue() {
    if (idle()) schedule(THROTTLE);
  }

  synchronized void dispose() {
    disposed = true;
    if (scheduled != null) scheduled.cancel(false);
    scheduled = null;
  }

  private boolean idle() {
    return !disposed && !running && scheduled == null;
  }

  private void schedule(Duration delay) {
    try {
      scheduled = executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.warn("erasure not scheduled: the executor is shut down");
    }
  }

  private void run() {
    synchronized (this) {
      if (disposed) return;
      scheduled = null;
      running = true;
    }
    boolean more = false;
    try {
      more = runOnce.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("erasing deleted CoValues failed: {}", e.getMessage());
    } finally {
      synchronized (this) {
        running = false;
        if (more && !disposed) schedule(FOLLOW_UP_DELAY);
      }
    }
  }
}
