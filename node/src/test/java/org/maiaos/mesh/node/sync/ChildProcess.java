package org.maiaos.mesh.node.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose stdout lines are read on a thread of their own, so every wait for a
 * line, and for the exit, has a timeout that fires even when the child hangs or prints nothing.
 */
final class ChildProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String name;

  ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) lines.add(l);
      } catch (IOException ignored) {
        // the child went away; EOF below tells the waiter
      }
      lines.add(EOF);
    }, "child-stdout-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** The next stdout line; fails after {@code timeout} or at end of output. */
  String nextLine(Duration timeout) throws InterruptedException {
    String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (l == null) throw new AssertionError(name + ": no output line within " + timeout);
    if (l.equals(EOF)) {
      lines.add(EOF);
      throw new AssertionError(name + ": ended (exit " + exitOrRunning() + ") before printing a line");
    }
    return l;
  }

  /** Waits for the exit; kills the child and fails after {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(name + ": still running after " + timeout + "; killed");
    }
    return process.exitValue();
  }

  private String exitOrRunning() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  /**
   * Kills the child and, first, what it started (a browser a Node script launched would otherwise
   * outlive a SIGKILL of its parent).
   */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) return;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
