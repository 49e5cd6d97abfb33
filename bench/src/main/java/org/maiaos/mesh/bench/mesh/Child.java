package org.maiaos.mesh.bench.mesh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the mesh benchmark: stdout read line by line into a queue (each {@link #line}
 * waits a bounded time), stderr appended to a log file, stdin held open (the JS server, the agents
 * and the switch end when it closes). {@link #close} closes stdin, then SIGTERM, then SIGKILL, each
 * after a bounded wait.
 */
final class Child implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  /** Every child not closed yet, so that an interrupted benchmark can stop them ({@link #closeAll}). */
  private static final java.util.Set<Child> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final String name;
  final Path log;
  private final Process process;
  private final Writer in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** Whether the process ends by itself when its stdin closes (else {@link #close} sends SIGTERM at once). */
  private final boolean endsOnEof;

  private Child(String name, Path log, Process process, boolean endsOnEof) {
    this.name = name;
    this.endsOnEof = endsOnEof;
    this.log = log;
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) if (!l.isBlank()) lines.add(l);
      } catch (IOException e) {
        // the process is gone
      } finally {
        lines.add(EOF);
      }
    }, "bench-child-" + name);
    t.setDaemon(true);
    t.start();
  }

  static Child start(String name, List<String> cmd, Map<String, String> env, Path dir, Path log, boolean endsOnEof) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    Child c = new Child(name, log, pb.start(), endsOnEof);
    RUNNING.add(c);
    return c;
  }

  /** Closes every child still running but {@code except}, all at once (each close is bounded). */
  static void closeAll(Child except) {
    List<Thread> closing = new java.util.ArrayList<>();
    for (Child c : RUNNING) {
      if (c == except) continue;
      Thread t = new Thread(c::close, "bench-child-close");
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The next non-blank stdout line; fails when the process ends first or {@code timeout} passes. */
  String line(Duration timeout) throws IOException, InterruptedException {
    String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (l == null) throw new IOException(name + ": no output within " + timeout + "; see " + log);
    if (l == EOF) {
      lines.add(EOF);
      throw new IOException(name + " ended (exit " + (process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1) + "); see " + log);
    }
    return l;
  }

  /** {@link #line}, which must start with {@code prefix}; returns the rest. */
  String expect(String prefix, Duration timeout) throws IOException, InterruptedException {
    String l = line(timeout);
    if (!l.startsWith(prefix)) throw new IOException(name + ": expected '" + prefix + "...', got '" + l + "'; see " + log);
    return l.substring(prefix.length());
  }

  void write(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    RUNNING.remove(this);
    try {
      in.close();
    } catch (IOException e) {
      // gone already
    }
    try {
      if (endsOnEof && process.waitFor(10, TimeUnit.SECONDS)) return;
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
