package org.maiaos.mesh.node.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.node.cli.MeshCommand;

/** {@code mesh sync} in a child JVM, as outside scripts run it: started, killed with -9, or stopped with SIGTERM. */
final class SyncServerProcess implements AutoCloseable {
  private final ChildProcess child;
  final String url;

  private SyncServerProcess(ChildProcess child, String url) {
    this.child = child;
    this.url = url;
  }

  /** Starts {@code mesh sync --listen 127.0.0.1:PORT --dir DIR --storage S} and waits for its listening line. */
  static SyncServerProcess start(Path dir, String storage, int port, Path log) throws IOException, InterruptedException {
    return start(dir, storage, port, log, true);
  }

  /**
   * As above; {@code warmUp} false adds {@code --warm-up-ms 0}, for tests that restart servers many
   * times and test durability or wire behaviour, not start-up (the warm-up costs 2-3 s a start).
   */
  static SyncServerProcess start(Path dir, String storage, int port, Path log, boolean warmUp)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName(),
        "sync", "--listen", "127.0.0.1:" + port, "--dir", dir.toString(), "--storage", storage));
    if (!warmUp) cmd.addAll(List.of("--warm-up-ms", "0"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ChildProcess child = new ChildProcess("mesh sync", p);
    String first;
    try {
      first = child.nextLine(Duration.ofSeconds(60));
    } catch (AssertionError e) {
      child.close();
      throw e;
    }
    if (!first.startsWith("listening ws://")) {
      child.close();
      throw new AssertionError("mesh sync printed: " + first);
    }
    return new SyncServerProcess(child, first.substring("listening ".length()));
  }

  int port() {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /** SIGKILL, no chance to flush. */
  void kill() throws InterruptedException {
    child.process.destroyForcibly();
    child.waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM; returns the exit code. */
  int terminate() throws InterruptedException {
    child.process.destroy();
    return child.waitFor(Duration.ofSeconds(60));
  }

  @Override
  public void close() throws InterruptedException {
    child.close();
  }
}
