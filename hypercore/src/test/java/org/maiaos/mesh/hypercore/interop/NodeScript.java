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
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Thread writer = new Thread(() -> {
        try (OutputStream os = p.getOutputStream()) {
          if (stdin != null) os.write(stdin);
        } catch (IOException ignored) {
          // the process died; its exit code says why
        }
      }, "interop-stdin");
      writer.start();
      byte[] out;
      try (InputStream is = p.getInputStream()) {
        out = is.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      writer.join();
      if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + cmd);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + cmd, e);
    }
  }
}
