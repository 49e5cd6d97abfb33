package org.maiaos.mesh.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.node.sync.SyncServer;
import org.maiaos.mesh.node.sync.SyncServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code mesh sync}: a cojson sync server for Jazz clients, as {@code jazz-run sync}, on our storage. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Run a cojson sync server that Jazz clients use (syncServer: \"ws://HOST:PORT\").",
        "Prints 'listening ws://HOST:PORT' once ready; SIGTERM drains, flushes and exits 0."},
    footer = {"", "Example:", "  mesh sync --listen 127.0.0.1:4200 --dir ./sync-data"})
final class SyncCommand implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:4200",
      description = "Address to listen on (default ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(names = "--dir", paramLabel = "DIR", description = "Directory the CoValues are stored in (created if missing).")
  Path dir;

  @Option(names = "--storage", paramLabel = "hyperbee|sqlite", defaultValue = "hyperbee",
      description = "Storage backend: hyperbee (default: a Hyperbee on a Hypercore in DIR/bee) or sqlite (DIR/storage.db, cojson's schema).")
  String storage;

  @Option(names = "--in-memory", description = "Keep nothing after exit: storage lives in a temporary directory removed at exit (DIR is not used).")
  boolean inMemory;

  @Option(names = "--dc", paramLabel = "NAME", defaultValue = "unknown", description = "Region name sent in pings (default ${DEFAULT-VALUE}).")
  String dc;

  @Option(names = "--warm-up-ms", paramLabel = "MS", defaultValue = "5000",
      description = "Before listening, compile the load and write paths: load and write a throw-away store for this long (default ${DEFAULT-VALUE}; 0: off).")
  long warmUpMs;

  @Override
  public Integer call() throws Exception {
    Endpoint at = Endpoint.parse(listen);
    if (!inMemory && dir == null) throw new CliException("BAD_ARGUMENT: --dir DIR is required (or --in-memory)");
    if (!storage.equals("hyperbee") && !storage.equals("sqlite")) {
      throw new CliException("BAD_ARGUMENT: --storage is hyperbee or sqlite, not '" + storage + "'");
    }
    if (warmUpMs < 0) throw new CliException("BAD_ARGUMENT: --warm-up-ms is 0 or more, not " + warmUpMs);
    SyncServer.warmUp(java.time.Duration.ofMillis(warmUpMs)); // before the storage opens: a SIGTERM meanwhile leaves no store half opened
    Path root = inMemory ? Files.createTempDirectory("mesh-sync-") : dir;
    if (Files.exists(root) && !Files.isDirectory(root)) throw new CliException("BAD_ARGUMENT: " + root + " is not a directory");
    Files.createDirectories(root);
    StorageApi store = storage.equals("sqlite") ? SqliteStorage.open(root.resolve("storage.db")) : HyperbeeStorage.open(root.resolve("bee"));
    SyncServer server;
    try {
      server = SyncServer.start(SyncServerConfig.defaults().withAddress(at.host(), at.port()).withDc(dc), store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    CountDownLatch stop = new CountDownLatch(1);
    // SIGTERM and SIGINT drain and exit 0 (a JVM shutdown hook alone would exit 143)
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    System.out.println("listening " + server.url());
    System.out.flush();
    stop.await();
    server.close();
    if (inMemory) TempDir.deleteTree(root);
    return 0;
  }
}
