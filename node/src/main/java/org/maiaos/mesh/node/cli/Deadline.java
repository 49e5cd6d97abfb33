package org.maiaos.mesh.node.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.maiaos.mesh.hypercore.HypercoreException;

/** One {@code --timeout} shared by the waits of a command: each wait gets what is left of it. */
final class Deadline {
  private final Duration total;
  private final long endNanos;

  private Deadline(Duration total) {
    this.total = total;
    this.endNanos = System.nanoTime() + total.toNanos();
  }

  /** {@code --timeout SECONDS}, starting now; BAD_ARGUMENT unless positive. */
  static Deadline ofSeconds(long seconds) {
    return new Deadline(RemoteReplica.timeout(seconds));
  }

  Duration total() {
    return total;
  }

  /** {@code within N s (--timeout)}, the end of every timeout message. */
  String within() {
    return "within " + total.toSeconds() + " s (--timeout)";
  }

  /**
   * The value of {@code f} once it completes; its HypercoreException or CliException as it is if it
   * fails; a CliException with {@code onTimeout}'s message when the deadline passes first.
   */
  <T> T await(CompletableFuture<T> f, Supplier<String> onTimeout) throws InterruptedException {
    try {
      return f.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CliException(onTimeout.get());
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof HypercoreException he) throw he;
      if (c instanceof CliException ce) throw ce;
      if (c instanceof RuntimeException re) throw re;
      throw new IllegalStateException(c);
    }
  }
}
