package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * What the CLI fetch ITs share: a core made with {@code mesh core create} and {@code core append},
 * and {@code mesh core serve} on it in a child JVM listening on 127.0.0.1. Closing destroys the
 * child.
 */
final class CoreServeProcess implements AutoCloseable {
  private final Process process;
  private final String endpoint;

  private CoreServeProcess(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Creates a core at {@code dir} from {@code seed}, appends {@code lines} (a block per line), and returns its key. */
  static String createCore(Path dir, String seed, String lines) throws IOException {
    CoreCommandsTest.mesh(null, "core", "create", dir.toString(), "--seed", seed);
    CoreCommandsTest.mesh(lines, "core", "append", dir.toString());
    return NodeScript.JSON.readTree(CoreCommandsTest.mesh(null, "core", "info", dir.toString(), "--json").outText()).get("key").asText();
  }

  /** Starts {@code mesh core serve dir} with its stderr in {@code stderr}, and waits for its {@code listening} line. */
  static CoreServeProcess start(Path dir, Path stderr) throws IOException {
    Process serve = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName(), "core", "serve", dir.toString(), "--listen", "127.0.0.1:0"))
        .redirectError(stderr.toFile()).start();
    try {
      String first = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(first != null && first.startsWith("listening 127.0.0.1:"), "serve printed: " + first);
      return new CoreServeProcess(serve, first.substring("listening ".length()));
    } catch (IOException | RuntimeException | Error e) {
      destroy(serve);
      throw e;
    }
  }

  /** {@code 127.0.0.1:port}, as {@code --connect} takes it. */
  String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    destroy(process);
  }

  private static void destroy(Process serve) {
    serve.destroyForcibly();
    try {
      serve.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
