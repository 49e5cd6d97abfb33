package org.maiaos.mesh.node.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * The JS reference sync server ({@code interop/sync-ref-server.js}: cojson 0.20.19, as
 * {@code jazz-run sync} builds it) in a child process, on SQLite storage in a file: started,
 * stopped with SIGTERM (it drains pending storage writes), started again on the same file.
 */
final class RefSyncServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ChildProcess child;
  final String url;

  private RefSyncServerProcess(ChildProcess child, String url) {
    this.child = child;
    this.url = url;
  }

  /** Starts the server on {@code db} (created if absent) and waits for its listening line; stderr goes to {@code log}. */
  static RefSyncServerProcess start(Path db, Path log) throws IOException, InterruptedException {
    NodeScript.ensureInstalled();
    Path dir = NodeScript.interopDir();
    if (!Files.isDirectory(dir.resolve("sqlite-bench/node_modules/better-sqlite3"))) {
      throw new AssertionError("better-sqlite3 is not installed: run `npm ci` in interop/sqlite-bench (see .ci/run)");
    }
    Process p = new ProcessBuilder(List.of("node", dir.resolve("sync-ref-server.js").toString(),
        "--host", "127.0.0.1", "--port", "0", "--db", db.toString()))
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    // stdin stays open: the server exits when it closes, so it dies with this JVM
    ChildProcess child = new ChildProcess("sync-ref-server", p);
    String first;
    try {
      first = child.nextLine(START_TIMEOUT);
    } catch (AssertionError e) {
      child.close();
      throw new AssertionError(e.getMessage() + "; stderr: " + JsSyncClient.tail(log), e);
    }
    if (!first.startsWith("listening ws://")) {
      child.close();
      throw new AssertionError("sync-ref-server printed: " + first);
    }
    return new RefSyncServerProcess(child, first.substring("listening ".length()));
  }

  /** SIGTERM: the node drains its storage writes, then exits; returns the exit code. */
  int terminate() throws InterruptedException {
    child.process.destroy();
    return child.waitFor(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    child.close();
  }
}
