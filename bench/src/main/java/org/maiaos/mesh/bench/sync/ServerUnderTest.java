package org.maiaos.mesh.bench.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A sync server in a child process (ours: {@code bin/mesh sync}; the reference: {@code interop/sync-ref-server.js}), restartable on its data. */
final class ServerUnderTest implements AutoCloseable {
  enum Kind { JAVA, JS }

  /** Seconds the last start took, from the process start to its {@code listening} line (ours warms up before it). */
  double startSeconds;
  /** False for one {@link #restartCold()}. */
  private boolean warmUp = true;

  final Kind kind;
  private final Path dir;
  private final Path interop;
  private Process process;
  /** Held open: the reference server exits when its stdin closes (so a dead benchmark never leaves it running). */
  private java.io.OutputStream stdin;
  String url;
  private int starts;

  ServerUnderTest(Kind kind, Path dir, Path interop) {
    this.kind = kind;
    this.dir = dir;
    this.interop = interop;
  }

  String name() {
    return kind == Kind.JAVA ? "Java mesh sync (hyperbee)" : "JS reference (cojson 0.20.19 + SQLite)";
  }

  void start() throws Exception {
    Files.createDirectories(dir);
    // Ours through the shipped launcher, bin/mesh, so it runs with the JVM flags a user gets (only
    // the heap bound and -Dsync.server.jvmArgs are set, as MESH_JAVA_OPTS); the launcher execs the
    // JVM, so the pid is the JVM's.
    List<String> cmd = kind == Kind.JAVA ? javaCommand()
        : List.of("node", interop.resolve("sync-ref-server.js").toString(), "--host", "127.0.0.1", "--port", "0",
            "--db", dir.resolve("storage.db").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(interop.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
    if (kind == Kind.JAVA) pb.environment().put("MESH_JAVA_OPTS", javaOptions());
    long t0 = System.nanoTime();
    process = pb.start();
    stdin = process.getOutputStream();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        String l = out.readLine();
        // the JVM's own log lines (unified logging, e.g. a flight recording asked for in -Dsync.server.jvmArgs) come first
        while (l != null && l.startsWith("[")) l = out.readLine();
        return l;
      } catch (IOException e) {
        return null;
      }
    });
    String line = first.get(120, TimeUnit.SECONDS);
    if (line == null || !line.startsWith("listening ws://")) throw new IllegalStateException(name() + " printed " + line + "; see " + dir.resolve("server.log"));
    url = line.substring("listening ".length()).trim();
    startSeconds = (System.nanoTime() - t0) / 1e9;
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe empty
        }
      } catch (IOException ignored) {
        // gone
      }
    }, "bench-server-stdout");
    drain.setDaemon(true);
    drain.start();
  }

  /** Our server's command line: the launcher, as a user runs it, plus {@code -Dsync.server.args} (space separated, e.g. {@code --warm-up-ms 0}). */
  private List<String> javaCommand() {
    List<String> cmd = new java.util.ArrayList<>(List.of(interop.toAbsolutePath().getParent().resolve("bin").resolve("mesh").toString(), "sync",
        "--listen", "127.0.0.1:0", "--dir", dir.toString()));
    String extra = System.getProperty("sync.server.args", "").trim();
    if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
    if (!warmUp) cmd.addAll(List.of("--warm-up-ms", "0"));
    return cmd;
  }

  /**
   * Our server's {@code MESH_JAVA_OPTS}: the heap bound, and {@code -Dsync.server.jvmArgs} (space
   * separated, e.g. a flight recording: {@code -XX:StartFlightRecording=filename=/tmp/s.jfr});
   * {@code %n} in them becomes the how-many-th start this is, so a restart does not overwrite the
   * first recording.
   */
  private String javaOptions() {
    starts++;
    StringBuilder opts = new StringBuilder("-Xmx" + System.getProperty("sync.server.heap", "1g"));
    String extra = System.getProperty("sync.server.jvmArgs", "").trim();
    if (!extra.isEmpty()) opts.append(' ').append(extra.replace("%n", String.valueOf(starts)));
    return opts.toString();
  }

  /** SIGTERM and wait, then start again on the same data (a cold server). */
  void restart() throws Exception {
    stop();
    start();
  }

  /**
   * As {@link #restart()}, ours without its warm-up ({@code --warm-up-ms 0}): for the idle
   * scenario, whose figure is RSS growth per connection; the warm-up's own heap and compiled code,
   * resident before the first connection, would otherwise hide part of what connections cost.
   */
  void restartCold() throws Exception {
    warmUp = false;
    try {
      restart();
    } finally {
      warmUp = true;
    }
  }

  void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    process = null;
  }

  /** CPU time (user + system) the server process has used so far, in seconds, from /proc (Linux). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
  }

  /**
   * CPU seconds per group of the server's threads so far (threads named alike, e.g. the two
   * {@code sync-read-N}, summed), from /proc (Linux); threads that ended are not counted.
   */
  java.util.Map<String, Double> threadCpuSeconds() {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[-#]?\\d+$", "");
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The server process's resident set size, from /proc. */
  long rssBytes() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
