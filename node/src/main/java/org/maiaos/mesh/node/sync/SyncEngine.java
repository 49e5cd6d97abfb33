package org.maiaos.mesh.node.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.node.sync.protocol.ContentSyncMessage;
import org.maiaos.mesh.node.sync.protocol.KnownMessage;
import org.maiaos.mesh.node.sync.protocol.LoadMessage;
import org.maiaos.mesh.node.sync.protocol.ReconcileAckMessage;
import org.maiaos.mesh.node.sync.protocol.ReconcileMessage;
import org.maiaos.mesh.node.sync.protocol.SyncMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. The sync server's {@code SyncManager}: one thread owns every peer's and every
 * CoValue's state, so the protocol logic needs no locks. Disk work goes to the {@link
 * StorageWorker}; its completions come back here. Content is verified here before it is queued
 * for storage, and acknowledged ({@code known}) and forwarded to subscribers only once durable.
 */
final class SyncEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

  private final ScheduledExecutorService loop;
  private final StorageWorker worker;
  private final Verification verification;
  private final Duration dependencyTimeout;
  private final Map<String, CoValueEntry> values = new HashMap<>();
  private final Set<PeerState> peers = new LinkedHashSet<>();
  private final Subscribers subscribers = new Subscribers();
  /**
   * The values the reference node would hold in memory: stored through the engine, or read from
   * storage for a client (with their dependencies, as storageSync.ts loads them). Decides, as in
   * sync.ts, whether a load gets a trailing {@code known} and whether a {@code known} from a client
   * is answered with content.
   */
  private final Set<String> inMemory = new java.util.HashSet<>();
  private final ContentFlow content;
  private final ReconcileFlow reconcile;
  private final OtherRegions regions;
  /**
   * CoValues read from the other regions since start, the {@link #MAX_FOLLOWED} most recently
   * loaded. Their changes there come as {@link #regionChanged} hints and are read again, so a
   * later load of one needs no remote read.
   */
  private final Map<String, Boolean> followed = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    // the least recently loaded goes first: a later load of it reads the regions again, so
    // dropping one costs a remote read, never staleness
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_FOLLOWED;
    }
  };

  /** CoValues followed at most (each costs a re-read when a region reconnects). */
  static final int MAX_FOLLOWED = 100_000;
  /** Remote reads under way, by CoValue; a load during one waits for it. */
  private final Map<String, CompletableFuture<Void>> reading = new HashMap<>();
  /** Followed CoValues that changed elsewhere while a read of them ran: read once more after it. */
  private final Set<String> readAgain = new java.util.HashSet<>();
  /** Followed CoValues to read again because a region (re)connected, taken {@link #MAX_REREADS} at a time. */
  private final java.util.LinkedHashSet<String> rereads = new java.util.LinkedHashSet<>();
  private int rereading;

  /** Reads of followed CoValues after a region (re)connected that run at once, at most. */
  static final int MAX_REREADS = 32;

  /** A remote read ends by then at the latest (the load is then answered from what is here). */
  static final Duration REGION_READ_TIMEOUT = Duration.ofSeconds(15);
  /** Content from another region waits this long at most for a dependency that is in no region. */
  static final Duration REGION_DEPENDENCY_WAIT = Duration.ofSeconds(5);

  SyncEngine(StorageApi storage, Duration dependencyTimeout, int storageQueue) {
    this(storage, dependencyTimeout, storageQueue, OtherRegions.NONE);
  }

  SyncEngine(StorageApi storage, Duration dependencyTimeout, int storageQueue, OtherRegions regions) {
    this.regions = regions;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sync-engine-0");
      t.setDaemon(true);
      return t;
    });
    this.worker = new StorageWorker(storage, loop, storageQueue);
    this.verification = new Verification();
    this.dependencyTimeout = dependencyTimeout;
    this.content = new ContentFlow(this);
    this.reconcile = new ReconcileFlow(this);
  }

  // ---- entry points (any thread) ----

  void disconnected(PeerState p) {
    loop.execute(() -> {
      p.closed = true;
      peers.remove(p);
      subscribers.removeAll(p);
      content.disconnected(p);
      reconcile.disconnected(p);
    });
  }

  /** Hands one decoded message to the engine; {@code p.connection.ended()} runs when it is processed. */
  void receive(PeerState p, SyncMessage m) {
    p.connection.began();
    loop.execute(() -> {
      // A client joins the peers that pushes and forwards walk with its first message: until it
      // has sent one it follows nothing, so an idle connection costs the engine no task and no entry.
      if (p.engine == null) {
        p.engine = this;
        peers.add(p);
      }
      try {
        dispatch(p, m);
      } catch (RuntimeException e) {
        LOG.error("{}: processing {} failed", p, m.getClass().getSimpleName(), e);
        p.connection.ended();
      }
    });
  }

  // ---- dispatch (engine thread) ----

  private void dispatch(PeerState p, SyncMessage m) {
    if (m instanceof ReconcileMessage r) {
      reconcile.onReconcile(p, r);
      p.connection.ended();
    } else if (m instanceof ReconcileAckMessage || p.errored(m.id())) {
      p.connection.ended(); // sync.ts: nothing from a peer about a value errored for it is processed
    } else if (m instanceof LoadMessage l) {
      onLoad(p, l);
    } else if (m instanceof KnownMessage k) {
      onKnown(p, k);
    } else if (m instanceof ContentSyncMessage c) {
      content.onContent(p, c.content()); // ends the message itself, maybe later
    } else {
      p.connection.ended(); // done, and objects the reference ignores
    }
  }

  private void onLoad(PeerState p, LoadMessage m) {
    p.replace(m.known());
    afterRegionsRead(m.id(), () -> {
      if (!values.containsKey(m.id()) && p.sending().add(m.id())) {
        // a cold load: the entry is activated by the read that cuts the first batch
        CoValueEntry fresh = new CoValueEntry(m.id());
        values.put(fresh.id, fresh);
        new ContentSend(this, p, fresh.id, true).startActivating(fresh, p.connection::ended);
        return;
      }
      CoValueEntry e = entry(m.id(), p);
      e.whenLoaded(() -> e.afterStores(() -> {
        if (e.found()) sendNewContent(p, e.id, true);
        else send(p, new KnownMessage(KnownState.empty(e.id), false));
        p.connection.ended();
      }));
    });
  }

  // ---- other regions (engine thread) ----

  /** Runs {@code next} once what the other regions hold of {@code id} is taken in; at once if followed already. */
  private void afterRegionsRead(String id, Runnable next) {
    if (regions == OtherRegions.NONE || (followed.get(id) != null && !reading.containsKey(id))) {
      next.run();
      return;
    }
    readRegions(id, false).whenComplete((v, ex) -> loop.execute(next));
  }

  /** Reads {@code id} in every other region and takes in what is new, verified as a client's content. */
  private CompletableFuture<Void> readRegions(String id, boolean changed) {
    CompletableFuture<Void> running = reading.get(id);
    if (running != null) return running;
    followed.put(id, Boolean.TRUE);
    CompletableFuture<Void> done = new CompletableFuture<>();
    reading.put(id, done);
    CompletableFuture<List<ContentMessage>> read;
    try {
      java.util.function.Function<String, KnownState> have = dep -> worker.storage().loadKnownState(dep).orElse(null);
      read = changed ? regions.readChanged(id, have) : regions.read(id, have);
    } catch (RuntimeException ex) {
      read = CompletableFuture.failedFuture(ex);
    }
    read.orTimeout(REGION_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((msgs, ex) -> loop.execute(() -> {
      if (ex != null) LOG.warn("reading {} in the other regions failed: {}", id, ex.toString());
      importFromRegions(msgs == null ? List.of() : msgs, () -> {
        reading.remove(id);
        regions.taken(id);
        done.complete(null);
        if (readAgain.remove(id)) readRegions(id, true);
      });
    }));
    return done;
  }

  /**
   * Content read from other regions goes the way of a client's ({@link ContentFlow}): verified,
   * stored, pushed to subscribed clients. Its source is a detached peer that hears nothing back;
   * {@code then} runs once every message is processed.
   */
  private void importFromRegions(List<ContentMessage> msgs, Runnable then) {
    if (msgs.isEmpty()) {
      then.run();
      return;
    }
    int[] left = {msgs.size()};
    PeerState source = new PeerState("other regions", SyncConnection.detached(() -> {
      if (--left[0] == 0) then.run();
    }));
    for (ContentMessage msg : msgs) {
      followed.put(msg.id(), Boolean.TRUE); // dependencies too: clients hold them, so their changes matter
      content.onContent(source, msg, REGION_DEPENDENCY_WAIT);
    }
  }

  /**
   * A peer region connected (again): what it stored while it was away was never announced to us,
   * so every followed CoValue is read again, {@link #MAX_REREADS} at a time. Any thread.
   */
  void regionConnected() {
    loop.execute(() -> {
      rereads.addAll(followed.keySet());
      nextRereads();
    });
  }

  private void nextRereads() {
    while (rereading < MAX_REREADS && !rereads.isEmpty()) {
      String id = rereads.iterator().next();
      rereads.remove(id);
      rereading++;
      readRegions(id, false).whenComplete((v, e) -> loop.execute(() -> {
        rereading--;
        nextRereads();
      }));
    }
  }

  /** Another region stored content of {@code id}: read it again if we follow it. Any thread. */
  void regionChanged(String id) {
    loop.execute(() -> {
      if (!followed.containsKey(id)) return;
      if (reading.containsKey(id)) readAgain.add(id);
      else readRegions(id, true);
    });
  }

  /** Content of {@code id} from {@code p} is durable: the other regions hear of it if a client sent it. */
  void stored(PeerState p, String id) {
    if (!p.fromOtherRegions()) regions.stored(id);
  }

  /** sync.ts handleKnownState: merge (or replace), then send what the client lacks of a value held in memory. */
  private void onKnown(PeerState p, KnownMessage m) {
    if (m.isCorrection()) p.replace(m.known());
    else p.merge(m.known());
    content.peerAnswered(p, m.known());
    CoValueEntry e = entry(m.id(), p);
    e.whenLoaded(() -> {
      if (e.found() && inMemory(e.id)) e.afterStores(() -> sendNewContent(p, e.id, false));
      if (!m.isCorrection()) reconcile.heard(p, m.id());
      p.connection.ended();
    });
  }

  /** The client answered content we were waiting for in a reconcile batch. */
  void reconciled(PeerState p, String id) {
    reconcile.heard(p, id);
  }

  // ---- shared by the flows ----

  /** The entry of {@code id}, activated from storage (header and known state only) on first use. */
  CoValueEntry entry(String id) {
    return entry(id, null);
  }

  /** {@link #entry(String)}; an activation goes on {@code by}'s lane of reads (null: a lane of its own). */
  CoValueEntry entry(String id, PeerState by) {
    CoValueEntry e = values.get(id);
    if (e != null) return e;
    CoValueEntry fresh = new CoValueEntry(id);
    values.put(id, fresh);
    worker.read(by == null ? new StorageReaders.Lane() : by.reads(), () -> {
      Optional<StorageApi.StoredHead> head = worker.storage().loadHead(id);
      loop.execute(() -> fresh.loaded(head.map(StorageApi.StoredHead::header).orElse(null),
          head.map(StorageApi.StoredHead::knownState).orElse(null)));
    });
    return fresh;
  }

  /**
   * {@code sendNewContent}: what {@code p} lacks of {@code id} (dependencies first), cut from
   * storage; with {@code forceReply} a {@code known} when nothing was missing.
   */
  void sendNewContent(PeerState p, String id, boolean forceReply) {
    if (p.closed) return;
    if (!p.sending().add(id)) {
      if (forceReply) p.forceAgain().add(id);
      else p.sendAgain().add(id);
      return;
    }
    CoValueEntry e = values.get(id);
    if (e != null && e.found() && !forceReply && !lacksAnything(p, e)) {
      p.sending().remove(id); // nothing to cut: spare the storage read
      return;
    }
    new ContentSend(this, p, id, forceReply).start();
  }

  boolean inMemory(String id) {
    return inMemory.contains(id);
  }

  /** {@code id} and the values it depends on directly are now held in memory, in the reference's sense. */
  void markInMemory(CoValueEntry e) {
    inMemory.add(e.id);
    if (e.header != null) inMemory.addAll(directDependencies(e));
  }

  void markInMemory(String id) {
    inMemory.add(id);
  }

  /** The owning group, meta.source and the accounts of the value's sessions (not the value itself). */
  static Set<String> directDependencies(CoValueEntry e) {
    Set<String> deps = new LinkedHashSet<>(e.header.dependencies());
    for (String sid : e.durable.sessions().keySet()) {
      String account = SessionIds.authorAccount(sid);
      if (account != null) deps.add(account);
    }
    deps.remove(e.id);
    return deps;
  }

  /** The entry of {@code id} if it was ever activated, else null. */
  CoValueEntry existing(String id) {
    return values.get(id);
  }

  /**
   * Whether {@code p} lacks anything we would send it for {@code e}: the header, a durable
   * transaction, or the same of a direct dependency (a dependency we have no state of counts as
   * lacking, so storage decides). Cheap: known states only.
   */
  private boolean lacksAnything(PeerState p, CoValueEntry e) {
    if (lacks(p, e)) return true;
    for (String dep : directDependencies(e)) {
      CoValueEntry d = values.get(dep);
      if (d == null || d.status == CoValueEntry.Status.LOADING || (d.found() && lacks(p, d))) return true;
    }
    return !p.told().contains(e.id);
  }

  private static boolean lacks(PeerState p, CoValueEntry e) {
    KnownState k = p.known(e.id);
    if (k == null || !k.header()) return true;
    for (Map.Entry<String, Long> s : e.durable.sessions().entrySet()) if (k.count(s.getKey()) < s.getValue()) return true;
    return false;
  }


  void send(PeerState p, SyncMessage m) {
    if (p.closed) return;
    int priority = m instanceof ContentSyncMessage c ? c.content().priority() : OutgoingQueue.HIGH;
    p.connection.send(m.toJson(), priority);
  }

  /** {@link #send} of a content message encoded already ({@code ContentSyncMessage.toJson}). */
  void sendEncoded(PeerState p, String contentJson, int priority) {
    if (p.closed) return;
    p.connection.send(contentJson, priority);
  }

  /**
   * Verified content of {@code e}, queued for storage: every other subscribed, non-errored client
   * that holds exactly what it continues gets it as it is now, encoded once for all of them. The
   * rest waits for {@link #forward}, once it is durable. Pushing before the write is what the
   * reference does; what we acknowledge is still durable first (a crash before the write loses
   * nothing the sender was told is stored: it sends it again, and a client that got the push
   * offers it back).
   */
  void push(CoValueEntry e, PeerState from, ContentMessage verified) {
    String json = null;
    for (PeerState q : subscribers.of(e.id)) {
      if (q == from || q.closed || q.errored(e.id) || !canSendDirectly(q, verified)) continue;
      q.holds(verified);
      q.told().add(e.id);
      if (json == null) json = verified.toJson();
      q.connection.send(json, verified.priority());
    }
  }

  /**
   * New durable content of {@code e} ({@code sync.ts}, end of handleNewContent): every subscribed,
   * non-errored client gets what it still lacks, cut from storage, the sender included (it usually
   * lacks nothing, as do the clients {@link #push} reached).
   */
  void forward(CoValueEntry e) {
    for (PeerState q : subscribers.of(e.id)) {
      if (!q.closed && !q.errored(e.id)) sendNewContent(q, e.id, false);
    }
  }

  /** The slice continues exactly what {@code q} holds, header included, so it can go as it is (its dependencies it already has). */
  private static boolean canSendDirectly(PeerState q, ContentMessage m) {
    KnownState k = q.known(m.id());
    if (!k.header()) return false;
    for (Map.Entry<String, SessionNewContent> s : m.sessions().entrySet()) {
      if (k.count(s.getKey()) != s.getValue().after()) return false;
      if (SessionIds.authorAccount(s.getKey()) != null && s.getValue().after() == 0) return false; // a new writer: its account may be missing
    }
    return true;
  }

  StorageWorker worker() {
    return worker;
  }

  Verification verification() {
    return verification;
  }

  Duration dependencyTimeout() {
    return dependencyTimeout;
  }

  ScheduledExecutorService loop() {
    return loop;
  }

  Set<PeerState> peers() {
    return peers;
  }

  /** Who follows which CoValue: kept by {@link PeerState} as clients subscribe, emptied as they go. */
  Subscribers subscribers() {
    return subscribers;
  }

  /** Completes once every store queued so far is durable and every completion has run. */
  CompletableFuture<Void> drain() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    loop.execute(() -> worker.afterQueuedStores(() -> loop.execute(() -> f.complete(null))));
    return f;
  }

  @Override
  public void close() {
    try {
      drain().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("engine did not drain within 30 s: {}", e.toString());
    }
    worker.close();
    loop.shutdown();
    try {
      if (!loop.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("engine thread still busy after 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, Long> ends(ContentMessage m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.sessions().forEach((sid, s) -> out.put(sid, s.end()));
    return out;
  }

  static boolean isAccountSession(String sid) {
    return SessionIds.authorAccount(sid) != null;
  }

  static List<Transaction> tail(SessionNewContent s, long have) {
    int skip = (int) Math.min(Math.max(have - s.after(), 0), s.newTransactions().size());
    return s.newTransactions().subList(skip, s.newTransactions().size());
  }
}
