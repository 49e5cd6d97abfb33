package org.maiaos.mesh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the JS half of a side-by-side benchmark ({@code node interop/<script>}) and reads its JSON line. */
final class JsSide {
  private final Path interop;

  JsSide(Path interop) {
    this.interop = interop;
  }

  String run(String script, String... args) throws IOException, InterruptedException {
    if (!Files.isDirectory(interop.resolve("node_modules/hypercore"))) {
      exec(List.of("npm", "install", "--no-audit", "--no-fund"));
    }
    List<String> cmd = new ArrayList<>(List.of("node", interop.resolve(script).toString()));
    cmd.addAll(List.of(args));
    return exec(cmd).trim();
  }

  /** Starts {@code node interop/<script>} for a dialogue: JSON lines both ways (see {@link Dialogue}). */
  Dialogue start(String script, String... args) throws IOException, InterruptedException {
    if (!Files.isDirectory(interop.resolve("node_modules/hypercore"))) {
      exec(List.of("npm", "install", "--no-audit", "--no-fund"));
    }
    List<String> cmd = new ArrayList<>(List.of("node", interop.resolve(script).toString()));
    cmd.addAll(List.of(args));
    return new Dialogue(new ProcessBuilder(cmd).directory(interop.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  /** A JS half that waits for input: each {@link #read} waits a bounded time for its next stdout line. */
  static final class Dialogue implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private Dialogue(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** The next non-blank line; fails if the process ends first or {@code timeout} passes. */
    String read(Duration timeout) throws IOException, InterruptedException {
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          for (String l; (l = out.readLine()) != null; ) if (!l.isBlank()) return l;
          return null;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try {
        String l = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) throw new IOException("the JS half ended without output (exit " + process.waitFor() + ")");
        return l;
      } catch (ExecutionException e) {
        throw new IOException(e.getCause());
      } catch (TimeoutException e) {
        throw new IOException("no line from the JS half within " + timeout);
      }
    }

    void write(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }

    /** Closes stdin, then waits 10 s for the process to exit before killing it. */
    @Override
    public void close() throws IOException, InterruptedException {
      try {
        in.close();
      } catch (IOException e) {
        // already gone
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(interop.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("failed: " + cmd);
    return out;
  }

  /** Reads a numeric field from a flat JSON object line. */
  static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return Long.parseLong(m.group(1));
  }

  /** Reads a string field from a flat JSON object line. */
  static String text(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1);
  }

  /** Reads an array of non-negative integers from a flat JSON object line. */
  static long[] numbers(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\\[([\\d,]*)\\]").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1).isEmpty() ? new long[0] : java.util.Arrays.stream(m.group(1).split(",")).mapToLong(Long::parseLong).toArray();
  }
}
