package org.maiaos.mesh.hypercore.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real JS reference: a Node script from {@code interop/} in a child process. The script
 * reads one JSON document on stdin and prints one JSON document on stdout; stderr is passed
 * through to the test log. Installs the locked packages on first use.
 */
public final class NodeScript {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 300;
  private static boolean installed;

  private NodeScript() {}

  /** The interop directory: {@code -Dinterop.dir}, else found by walking up from the working dir. */
  public static Path interopDir() {
    String prop = System.getProperty("interop.dir");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Paths.get(prop))) return Paths.get(prop);
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("interop/package.json"))) return p.resolve("interop");
    }
    throw new IllegalStateException("interop/ not found; set -Dinterop.dir");
  }

  /** Installs the locked packages in interop/ unless they are there (see .ci/run for why not {@code npm ci}). */
  public static synchronized void ensureInstalled() {
    if (installed) return;
    Path dir = interopDir();
    if (!allInstalled(dir)) run(dir, List.of("npm", "install", "--no-audit", "--no-fund"), null);
    installed = true;
  }

  /** True when every dependency package.json names is in node_modules. */
  private static boolean allInstalled(Path dir) {
    try {
      JsonNode deps = JSON.readTree(dir.resolve("package.json").toFile()).path("dependencies");
      for (var it = deps.fieldNames(); it.hasNext(); ) {
        if (!Files.isRegularFile(dir.resolve("node_modules").resolve(it.next()).resolve("package.json"))) return false;
      }
      return true;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read interop/package.json", e);
    }
  }

  /** Runs {@code node interop/<script> args...} with {@code input} as JSON on stdin; returns stdout as JSON. */
  public static JsonNode call(String script, Object input, String... args) {
    ensureInstalled();
    Path dir = interopDir();
    List<String> cmd = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
    cmd.addAll(List.of(args));
    try {
      byte[] in = input == null ? new byte[0] : JSON.writeValueAsBytes(input);
      String out = run(dir, cmd, in);
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new IllegalStateException("bad JSON from " + script, e);
    }
  }

  /** Starts a long-running script (a server); the caller owns the process. */
  public static Process start(String script, String... args) throws IOException {
    ensureInstalled();
    Path dir = interopDir();
    List<String> cmd = new ArrayList<>(List.of("node", dir.resolve(script).toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String run(Path dir, List<String> cmd, byte[] stdin) {
    return run(dir, cmd, stdin, TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Runs {@code cmd} and returns its stdout. The timeout is a deadline for the whole run: stdout is
   * drained on its own thread, so a child that never closes its stdout (or never exits) is killed
   * when the deadline passes instead of blocking the read forever.
   */
  static String run(Path dir, List<String> cmd, byte[] stdin, long timeout, TimeUnit unit) {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    }
    Thread writer = new Thread(() -> {
      try (OutputStream os = p.getOutputStream()) {
        if (stdin != null) os.write(stdin);
      } catch (IOException ignored) {
        // the process died; its exit code says why
      }
    }, "interop-stdin");
    java.util.concurrent.CompletableFuture<byte[]> out = new java.util.concurrent.CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (InputStream is = p.getInputStream()) {
        out.complete(is.readAllBytes());
      } catch (IOException e) {
        out.completeExceptionally(e);
      }
    }, "interop-stdout");
    writer.setDaemon(true);
    reader.setDaemon(true);
    writer.start();
    reader.start();
    try {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      if (!p.waitFor(timeout, unit)) throw new IllegalStateException("timed out after " + timeout + " " + unit + ": " + cmd);
      // the child exited; a grandchild may still hold stdout open, so the read has the same deadline
      byte[] bytes = out.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + cmd);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after " + timeout + " " + unit + " reading the output of: " + cmd, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot read the output of " + cmd, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + cmd, e);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
