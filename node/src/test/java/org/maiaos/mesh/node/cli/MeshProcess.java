package org.maiaos.mesh.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code mesh} CLI in a child JVM, for the ITs of commands that run until killed or
 * talk to other processes: stdout is read line by line on a thread of its own, so every wait for
 * a line has a timeout that fires; stderr goes to a file. Closing kills the child (SIGTERM, then
 * SIGKILL after 10 s).
 */
final class MeshProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private MeshProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) lines.add(l);
      } catch (IOException e) {
        // the child died: EOF below
      }
      lines.add(EOF);
    }, "test-mesh-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mesh args...} with its stderr in {@code stderr}. */
  static MeshProcess start(Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName()));
    cmd.addAll(List.of(args));
    return new MeshProcess(new ProcessBuilder(cmd).redirectError(stderr.toFile()).start(), stderr);
  }

  /** The child's stdin. */
  java.io.OutputStream stdin() {
    return process.getOutputStream();
  }

  /** What one run of a command that ends gave. */
  record Result(int code, List<String> out, String err) {}

  /** Runs {@code mesh args...} to its end, killed (and the test failed) if it takes over {@code limit}. */
  static Result run(Path stderr, Duration limit, String... args) throws Exception {
    try (MeshProcess p = start(stderr, args)) {
      if (!p.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("mesh " + String.join(" ", args) + " still ran after " + limit + "; stderr: " + p.err());
      }
      List<String> out = new ArrayList<>();
      for (String l; !EOF.equals(l = p.lines.poll(10, TimeUnit.SECONDS)); ) {
        if (l == null) throw new AssertionError("stdout of an ended child did not close");
        out.add(l);
      }
      return new Result(p.process.exitValue(), out, p.err());
    }
  }

  /** The next stdout line, failing the test if none comes within {@code limit} or stdout ends. */
  String line(Duration limit) throws InterruptedException {
    String l = lines.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (l == null) throw new AssertionError("no line within " + limit + "; stderr: " + err());
    if (EOF.equals(l)) throw new AssertionError("the child ended (exit " + exitCode() + "); stderr: " + err());
    return l;
  }

  /** Waits for the next line, which must start with {@code prefix}, and returns the rest. */
  String expect(String prefix, Duration limit) throws InterruptedException {
    String l = line(limit);
    if (!l.startsWith(prefix)) throw new AssertionError("expected '" + prefix + "...', got '" + l + "'; stderr: " + err());
    return l.substring(prefix.length());
  }

  String err() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  private String exitCode() {
    return process.isAlive() ? "none yet" : String.valueOf(process.exitValue());
  }

  /** Sends SIGTERM and returns the exit code; fails (and kills the child) if it is still running after {@code limit}. */
  int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("still running " + limit + " after SIGTERM; killed. stderr: " + err());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
