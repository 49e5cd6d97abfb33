package org.maiaos.mesh.node.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. Before {@code mesh sync} listens, compiles its load and write paths: a throw-away
 * server on 127.0.0.1, over a throw-away Hyperbee store in a temporary directory (removed after),
 * holding {@link #VALUES} made-up CoMaps of one group, is loaded by {@link #CLIENTS} local
 * WebSocket clients (each value cold first, then again from memory; both go the same way through
 * storage, engine and sockets) while {@link #WRITERS} more write signed CoMaps as a Jazz client
 * does ({@link CojsonWriter}: every piece verified, stored durably and acknowledged), until the
 * budget is spent. Measured in the benchmark: a freshly started JVM ran its first seconds of loads
 * 3-5 times slower than later ones while the JIT compiled them, and its first 10 s of writes had
 * ack latencies up to 2.5 s against 0.3-0.45 s later; that set the p99 of clients that all
 * reconnect after a restart. Touches no user data and never fails the start (a failure is logged).
 * The budget is the time spent loading and writing; the setup before it (store, 64 values, server)
 * is small; past twice the budget, no client runs.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  static final int VALUES = 64;
  static final int CLIENTS = 4;
  /** Writers beside the loaders: a restarted server's first writes ran 3-5 times slower than later ones too. */
  static final int WRITERS = 4;
  static final int TXS_PER_MAP = 10;
  private static final String AGENT = "sealer_zWarmUp/signer_zWarmUp";
  private static final String SESSION = AGENT + "_session_zWarmUp";

  private WarmUp() {}

  /**
   * Loads and writes for about {@code budget}, after setting up (a throw-away store and server: a
   * fixed, small amount of work, given at most twice the budget, else no client runs); nothing
   * when it is zero. Returns what was answered.
   */
  static Done run(Duration budget) {
    if (budget.isZero() || budget.isNegative()) return new Done(0, 0, 0);
    long t0 = System.nanoTime();
    long setUpBy = t0 + 2 * budget.toNanos();
    Path dir = null;
    Thread cleanUp = null;
    Done done = new Done(0, 0, 0);
    try {
      // the client side's classes load meanwhile: they are no part of what is warmed
      java.util.concurrent.CompletableFuture<HttpClient> http = java.util.concurrent.CompletableFuture.supplyAsync(HttpClient::newHttpClient);
      dir = Files.createTempDirectory("mesh-sync-warm-up-");
      Path made = dir;
      cleanUp = new Thread(() -> delete(made), "sync-warm-up-clean-up"); // a SIGTERM during the warm-up
      Runtime.getRuntime().addShutdownHook(cleanUp);
      HyperbeeStorage storage = HyperbeeStorage.open(dir.resolve("bee"));
      List<String> ids;
      try {
        ids = fill(storage, setUpBy);
      } catch (RuntimeException e) {
        storage.close();
        throw e;
      }
      LOG.debug("warm-up: {} values stored in {} ms", ids.size(), (System.nanoTime() - t0) / 1_000_000);
      SyncServer server = SyncServer.start(SyncServerConfig.defaults().withAddress("127.0.0.1", 0), storage); // owns the storage
      try {
        // the budget is for loading, which is what compiles the path; a setup that took twice that (a
        // machine busy with other work) skips the loads rather than adding more to the wait
        long now = System.nanoTime();
        if (now < setUpBy) done = exercise(http.get(), server.url(), ids, now + budget.toNanos());
      } finally {
        server.close();
      }
    } catch (Exception e) {
      LOG.debug("warming up the load path failed (the first requests compile it instead)", e);
    } finally {
      if (dir != null) delete(dir);
      if (cleanUp != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanUp);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
    }
    LOG.info("warmed up the load, write and push paths in {} ms ({} loads, {} acknowledged transactions, {} pushes of a throw-away store)",
        (System.nanoTime() - t0) / 1_000_000, done.loads, done.writes, done.pushes);
    return done;
  }

  /** What the warm-up's clients got: loads answered, transactions acknowledged, pushes received. */
  record Done(int loads, int writes, int pushes) {}

  /** A group and {@link #VALUES} CoMaps owned by it, one transaction each, stored directly (nothing verifies them). */
  private static List<String> fill(HyperbeeStorage storage, long deadline) {
    String groupHeader = "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + AGENT
        + "\"},\"meta\":{\"type\":\"group\"},\"createdAt\":null,\"uniqueness\":\"warm-up\"}";
    CoValueHeader group = CoValueHeader.parse(groupHeader);
    storage.storeAll(List.of(content(group, "{\"op\":\"set\",\"key\":\"" + AGENT + "\",\"value\":\"admin\"}")));
    List<String> ids = new ArrayList<>();
    List<ContentMessage> batch = new ArrayList<>();
    for (int i = 0; i < VALUES && System.nanoTime() < deadline; i++) {
      CoValueHeader h = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + group.coValueId()
          + "\"},\"meta\":null,\"createdAt\":null,\"uniqueness\":\"warm-up-" + i + "\"}");
      batch.add(content(h, "{\"op\":\"set\",\"key\":\"n\",\"value\":" + i + "}"));
      ids.add(h.coValueId());
      if (batch.size() == 500) {
        storage.storeAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) storage.storeAll(batch);
    return ids;
  }

  private static ContentMessage content(CoValueHeader header, String change) {
    String tx = "{\"privacy\":\"trusting\",\"madeAt\":0,\"changes\":\"[" + change.replace("\"", "\\\"") + "]\"}";
    SessionNewContent s = new SessionNewContent(0, List.of(Transaction.parse(tx)), "signature_zWarmUp");
    return new ContentMessage(header.coValueId(), header, header.priority(), Map.of(SESSION, s), null);
  }

  /**
   * {@link #CLIENTS} clients load the values (each its share, one at a time: cold once, then again
   * and again from memory) while {@link #WRITERS} write, until the deadline; the answers counted.
   */
  private static Done exercise(HttpClient http, String url, List<String> ids, long deadline) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();
    AtomicInteger pushes = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < CLIENTS + WRITERS; c++) {
      boolean writer = c >= CLIENTS;
      List<String> mine = writer ? List.of() : ids.subList(ids.size() * c / CLIENTS, ids.size() * (c + 1) / CLIENTS);
      Thread t = new Thread(() -> {
        Lines lines = new Lines(deadline);
        Lines watched = new Lines(deadline);
        WebSocket ws = null;
        WebSocket watcher = null;
        try {
          ws = connect(http, url, lines, deadline);
          if (writer) {
            watcher = connect(http, url, watched, deadline);
            write(new Client(ws, lines), new Client(watcher, watched), writes, pushes, deadline);
          } else {
            for (int i = 0; System.nanoTime() < deadline; i++) {
              String id = mine.get(i % mine.size());
              ws.sendText("{\"action\":\"load\",\"id\":\"" + id + "\",\"header\":false,\"sessions\":{}}", true).join();
              if (!lines.awaitContent(id)) break;
              loads.incrementAndGet();
            }
          }
        } catch (Exception e) {
          LOG.debug("a warm-up client stopped: {}", e.toString());
        } finally {
          if (ws != null) ws.abort();
          if (watcher != null) watcher.abort();
        }
      }, "sync-warm-up-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 1_000);
    return new Done(loads.get(), writes.get(), pushes.get());
  }

  private static WebSocket connect(HttpClient http, String url, Lines lines, long deadline) throws Exception {
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url), lines)
        .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
  }

  /** A warm-up client's socket and what it receives. */
  private record Client(WebSocket ws, Lines lines) {
    void send(String line) {
      ws.sendText(line, true).join();
    }
  }

  /**
   * One writer: a new account (a real Ed25519 agent, so the server verifies every piece as a
   * client's), its group, then CoMaps of {@link #TXS_PER_MAP} transactions, each sent as its own
   * signed piece as a client sends edits, each CoMap's last acknowledgement awaited. After the
   * first piece, a second client ({@code watcher}) loads the CoMap, so the other nine reach it as
   * pushes (the path a subscriber's updates take). Counts the acknowledged transactions and the
   * pushes that arrived.
   */
  private static void write(Client writer, Client watcher, AtomicInteger writes, AtomicInteger pushes, long deadline)
      throws InterruptedException {
    CojsonWriter w = CojsonWriter.newAccount();
    String session = w.session();
    CoValueDraft account = w.account();
    writer.send(account.full());
    if (!writer.lines.awaitKnown(account.id(), w.agentSession(), account.count(w.agentSession()))) return;
    CoValueDraft group = w.newGroup();
    writer.send(group.full());
    if (!writer.lines.awaitKnown(group.id(), session, group.count(session))) return;
    while (System.nanoTime() < deadline) {
      CoValueDraft map = w.newMap(group);
      for (int t = 0; t < TXS_PER_MAP; t++) {
        w.set(map, "k" + t, "v" + t);
        writer.send(map.content(t == 0, session, map.piece(session, t, t + 1)));
        if (t == 0) {
          if (!writer.lines.awaitKnown(map.id(), session, 1)) return;
          watcher.send("{\"action\":\"load\",\"id\":\"" + map.id() + "\",\"header\":false,\"sessions\":{}}");
          if (!watcher.lines.awaitContent(map.id())) return;
        }
      }
      if (!writer.lines.awaitKnown(map.id(), session, TXS_PER_MAP)) return;
      writes.addAndGet(TXS_PER_MAP);
      pushes.addAndGet(watcher.lines.drainContent(map.id()));
    }
  }

  /** The text messages of one client, split into lines (the server may join several with {@code \n}). */
  private static final class Lines implements WebSocket.Listener {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final long deadline;

    Lines(long deadline) {
      this.deadline = deadline;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        for (String line : partial.toString().split("\n")) lines.add(line);
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    /** Waits for the content of {@code id} (lines left over from an earlier answer are skipped). */
    boolean awaitContent(String id) throws InterruptedException {
      String start = "{\"action\":\"content\",\"id\":\"" + id + "\"";
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) return false;
        if (line.startsWith(start)) return true;
      }
    }

    /** Takes the lines that arrived already, without waiting; the number of them that were content of {@code id}. */
    int drainContent(String id) {
      String start = "{\"action\":\"content\",\"id\":\"" + id + "\"";
      int n = 0;
      for (String line; (line = lines.poll()) != null; ) {
        if (line.startsWith(start)) n++;
      }
      return n;
    }

    /** Waits for a {@code known} of {@code id} whose {@code session} holds at least {@code count} (other lines are skipped). */
    boolean awaitKnown(String id, String session, int count) throws InterruptedException {
      String start = "{\"action\":\"known\",\"id\":\"" + id + "\"";
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) return false;
        if (line.startsWith(start) && CoValueDraft.parse(line).path("sessions").path(session).asInt(0) >= count) return true;
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      LOG.debug("could not remove {}: {}", dir, e.toString());
    }
  }
}
