package org.maiaos.mesh.node.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.node.sync.client.SyncClient;

/**
 * One sync server a differential case runs against, started fresh for the case: {@code mesh sync}
 * in a child JVM on hyperbee or sqlite storage, or the JS reference server on SQLite. A restart
 * (SIGTERM, then a new process on the same storage) empties its memory and keeps what it stored.
 */
abstract class SyncTarget implements AutoCloseable {
  final String name;
  protected final Path dir;
  private int connections;
  private int starts;

  private SyncTarget(String name, Path dir) {
    this.name = name;
    this.dir = dir;
  }

  static SyncTarget java(String storage, Path dir) throws IOException, InterruptedException {
    JavaTarget t = new JavaTarget(storage, dir);
    t.start();
    return t;
  }

  static SyncTarget js(Path dir) throws IOException, InterruptedException {
    JsTarget t = new JsTarget(dir);
    t.start();
    return t;
  }

  boolean isJava() {
    return this instanceof JavaTarget;
  }

  abstract String url();

  /** A new connection; {@code label} names it in failures. */
  SyncClient connect(String label) {
    return SyncClient.connect(name + " " + label + "#" + (++connections), url());
  }

  /** Stops the server with SIGTERM (it drains to storage) and starts it again on the same storage. */
  void restart() throws IOException, InterruptedException {
    int code = stop();
    if (code != 0) throw new AssertionError(name + " exited " + code + " on SIGTERM");
    start();
  }

  protected Path log() {
    return dir.resolve("server-" + (++starts) + ".log");
  }

  /** The log of every start so far (stderr of each server process). */
  List<Path> logs() {
    List<Path> out = new ArrayList<>();
    for (int i = 1; i <= starts; i++) out.add(dir.resolve("server-" + i + ".log"));
    return out;
  }

  protected abstract void start() throws IOException, InterruptedException;

  protected abstract int stop() throws InterruptedException;

  /** Kills the server if it still runs. */
  @Override
  public abstract void close() throws InterruptedException;

  private static final class JavaTarget extends SyncTarget {
    private final String storage;
    private SyncServerProcess server;

    JavaTarget(String storage, Path dir) throws IOException {
      super("java/" + storage, Files.createDirectories(dir));
      this.storage = storage;
    }

    @Override
    String url() {
      return server.url;
    }

    @Override
    protected void start() throws IOException, InterruptedException {
      server = SyncServerProcess.start(dir.resolve("data"), storage, 0, log(), false);
    }

    @Override
    protected int stop() throws InterruptedException {
      return server.terminate();
    }

    @Override
    public void close() throws InterruptedException {
      if (server != null) server.close();
    }
  }

  private static final class JsTarget extends SyncTarget {
    private RefSyncServerProcess server;

    JsTarget(Path dir) throws IOException {
      super("js/sqlite", Files.createDirectories(dir));
    }

    @Override
    String url() {
      return server.url;
    }

    @Override
    protected void start() throws IOException, InterruptedException {
      server = RefSyncServerProcess.start(dir.resolve("storage.db"), log());
    }

    @Override
    protected int stop() throws InterruptedException {
      return server.terminate();
    }

    @Override
    public void close() throws InterruptedException {
      if (server != null) server.close();
    }
  }
}
