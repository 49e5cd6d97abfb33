package org.maiaos.mesh.cojson.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.CoreError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. cojson's {@code StorageApiSync} algorithms ({@code storage/storageSync.ts}) over a
 * {@link StorageBackend}; the backends only decide how rows sit on disk. One lock owns all state:
 * calls are serialised, callbacks run on the caller's thread under it (re-entry is allowed).
 *
 * <p>Reads of stored content (heads, known states, piece streams, transactions) are the exception
 * when the backend's reads are {@linkplain StorageBackend#concurrentReads() safe beside a write}
 * (the Hyperbee: lock-free reads of a fixed version): they skip that lock, so a sync server's
 * readers serve loads while a group commit waits for its {@code fsync}. A read then sees every
 * write that returned before it began, maybe some that finished while it ran.
 *
 * <p>A read-only engine (another node's bee, read through a sparse replica) shares the lock
 * instead: its reads may wait on the network for a block, and one such wait must not hold up every
 * other call. Nothing writes through it, its bee's reads are lock-free, and its caches are
 * concurrent maps. (Two concurrent loads there may both see a shared dependency as in memory
 * before either has delivered it, so the second value can arrive before it.) Every lock wait is bounded
 * ({@link #LOCK_WAIT}, REQUEST_TIMEOUT).
 */
abstract class StorageEngine implements StorageApi {
  private static final Logger LOG = LoggerFactory.getLogger(StorageEngine.class);
  /** {@code TRANSACTION_CONFIG.MAX_RECOMMENDED_TX_SIZE}: a signature is saved once a session grows past this since the last one. */
  static final long MAX_RECOMMENDED_TX_SIZE = 100 * 1024;
  /** {@code STORAGE_RECONCILIATION_CONFIG}. */
  static final Duration LOCK_TTL = Duration.ofDays(1);
  static final Duration RECONCILIATION_INTERVAL = Duration.ofDays(30);
  static final Duration ERASE_BUDGET = Duration.ofMillis(100);
  /** How long a call waits for the lock before it fails with REQUEST_TIMEOUT. */
  static final Duration LOCK_WAIT = Duration.ofSeconds(60);

  private final StorageBackend db;
  private final LongSupplier clockMillis;
  /** Shared by every call, taken exclusively only by {@link #close}. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Serialises the calls (every one but the concurrent reads); unused by a read-only engine. */
  private final java.util.concurrent.locks.ReentrantLock serial = new java.util.concurrent.locks.ReentrantLock();
  private final boolean sharedReads; // a read-only engine: calls share the lock (see the class comment)
  private final boolean concurrentReads;
  private volatile Duration lockWait = LOCK_WAIT;
  private final Map<String, KnownState> knownStates = new ConcurrentHashMap<>();
  private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
  private final Set<String> inMemory = ConcurrentHashMap.newKeySet();
  private final Set<String> deletedValues = ConcurrentHashMap.newKeySet();
  /** What a peer that knows nothing of a dependency is sent for it, kept while storage holds the same. */
  private final DependencyCuts cuts = new DependencyCuts();
  private volatile boolean keepCuts = true;
  private DeletedCoValuesEraser eraser;
  private volatile boolean closed;

  private record Waiter(KnownState target, CompletableFuture<Void> future) {}

  StorageEngine(StorageBackend db, LongSupplier clockMillis) {
    this(db, clockMillis, false);
  }

  /** {@code readOnly}: nothing is written through this engine, so its calls share the lock. */
  StorageEngine(StorageBackend db, LongSupplier clockMillis, boolean readOnly) {
    this.db = db;
    this.clockMillis = clockMillis;
    this.sharedReads = readOnly;
    this.concurrentReads = readOnly || db.concurrentReads();
  }

  /** For tests: false reads every dependency afresh, as before cuts were kept. */
  void keepDependencyCuts(boolean keep) {
    this.keepCuts = keep;
  }

  /** For tests. */
  DependencyCuts dependencyCuts() {
    return cuts;
  }

  /** For tests: a shorter lock wait. */
  void lockWait(Duration wait) {
    this.lockWait = wait;
  }

  // ---- load ----

  @Override
  public void load(String id, Consumer<ContentMessage> callback, Consumer<Boolean> done) {
    locked(() -> {
      StreamingQueue later = new StreamingQueue();
      boolean found = loadCoValue(id, callback, later);
      // what cojson's sync manager does with the storage's streaming queue, right away
      for (Runnable next = later.pull(); next != null; next = later.pull()) next.run();
      if (done != null) done.accept(found);
      return null;
    });
  }

  /**
   * {@code StorageStreamingQueue}: the 2nd..nth pieces of the values a load emits, in priority order
   * (high, medium, low), first in first out within one; {@link #load} drains it after the first pieces.
   */
  private static final class StreamingQueue {
    private final List<java.util.ArrayDeque<Runnable>> queues =
        List.of(new java.util.ArrayDeque<>(), new java.util.ArrayDeque<>(), new java.util.ArrayDeque<>());

    void push(Runnable entry, int priority) {
      queues.get(priority == CoValueHeader.PRIORITY_HIGH ? 0 : priority == CoValueHeader.PRIORITY_LOW ? 2 : 1).add(entry);
    }

    Runnable pull() {
      for (java.util.ArrayDeque<Runnable> q : queues) if (!q.isEmpty()) return q.poll();
      return null;
    }
  }

  /**
   * {@code loadCoValue}: pieces cut at the saved signatures, dependencies pushed before each piece.
   * The first piece goes out now (after its dependencies' first pieces); the later ones go to
   * {@code later}, as cojson's {@code streamingQueue}, so a dependency's later pieces come after
   * the first piece of the value that needed it (and before that value's later pieces when the
   * dependency's priority is higher, as a group's is).
   */
  private boolean loadCoValue(String id, Consumer<ContentMessage> callback, StreamingQueue later) {
    Optional<StorageBackend.StoredCoValue> read = db.read(id);
    if (read.isEmpty()) return false;
    StorageBackend.StoredCoValue cv = read.get();
    CoValueHeader header = CoValueHeader.parseStored(cv.headerJson(), id);

    Map<String, List<StorageBackend.SignatureAfter>> cuts = new LinkedHashMap<>();
    boolean streaming = false;
    KnownState known = knownState(id).withHeader(true);
    for (StorageBackend.SessionRow s : cv.sessions()) {
      List<StorageBackend.SignatureAfter> sigs = new ArrayList<>(cv.signatures(s.sessionId()));
      if (!sigs.isEmpty()) streaming = true;
      if (sigs.isEmpty() || !sigs.get(sigs.size() - 1).signature().equals(s.lastSignature())) {
        sigs.add(new StorageBackend.SignatureAfter(s.lastIdx() - 1, s.lastSignature()));
      }
      cuts.put(s.sessionId(), sigs);
      known = known.withSession(s.sessionId(), s.lastIdx());
    }
    inMemory.add(id);

    Map<String, SessionNewContent> first = new LinkedHashMap<>();
    List<ContentMessage> rest = new ArrayList<>();
    for (StorageBackend.SessionRow s : cv.sessions()) {
      List<StorageBackend.SignatureAfter> sigs = cuts.get(s.sessionId());
      if (s.lastIdx() <= 0 || s.lastSignature() == null) continue;
      first.put(s.sessionId(), slice(cv, s.sessionId(), 0, sigs.get(0)));
      for (int i = 1; i < sigs.size(); i++) {
        long from = sigs.get(i - 1).idx() + 1;
        if (from > sigs.get(i).idx()) continue;
        rest.add(new ContentMessage(id, header, header.priority(), Map.of(s.sessionId(), slice(cv, s.sessionId(), from, sigs.get(i))), null));
      }
    }
    pushWithDependencies(header, new ContentMessage(id, header, header.priority(), first, streaming ? known.sessions() : null), callback, later);
    setKnownState(known);
    for (ContentMessage m : rest) later.push(() -> pushWithDependencies(header, m, callback, later), header.priority());
    return true;
  }

  @Override
  public Optional<StoredHead> loadHead(String id) {
    return reading(() -> db.headerJson(id).flatMap(h -> db.knownState(id).map(k -> new StoredHead(CoValueHeader.parseStored(h, id), k))));
  }

  @Override
  public List<Transaction> loadTransactions(String id, String sessionId, long fromIdx, long toIdx) {
    if (fromIdx < 0 || toIdx < fromIdx) throw StorageError.BAD_ARGUMENT.error("transactions %d..%d", fromIdx, toIdx);
    return reading(() -> {
      if (toIdx == fromIdx) return List.of();
      StorageBackend.StoredCoValue cv = db.read(id).orElseThrow(() -> StorageError.UNKNOWN_COVALUE.error("%s is not stored", id));
      List<Transaction> out = new ArrayList<>();
      for (String raw : cv.transactions(sessionId, fromIdx, toIdx - 1)) out.add(Transaction.stored(raw));
      return out;
    });
  }

  @Override
  public boolean loadSince(String id, java.util.function.Function<String, KnownState> peerKnows, Consumer<ContentMessage> out) {
    return reading(() -> sendSince(id, peerKnows, new HashSet<>(Set.of(id)), out));
  }

  static KnownState peerState(java.util.function.Function<String, KnownState> peerKnows, String id) {
    KnownState k = peerKnows.apply(id);
    return k == null ? KnownState.empty(id) : k;
  }

  /** Whether the peer lacks anything of what storage holds of {@code id} (cheap: the known state only). */
  private boolean peerLacks(String id, KnownState peer) {
    Optional<KnownState> stored = db.knownStateForCheck(id);
    if (stored.isEmpty()) return false;
    if (!peer.header()) return true;
    for (Map.Entry<String, Long> e : stored.get().sessions().entrySet()) if (peer.count(e.getKey()) < e.getValue()) return true;
    return false;
  }

  private boolean sendSince(String id, java.util.function.Function<String, KnownState> peerKnows, Set<String> visited,
      Consumer<ContentMessage> out) {
    Optional<StoredPieces> pieces = pieces(id, peerKnows, visited);
    if (pieces.isEmpty()) return false;
    while (pieces.get().next(Long.MAX_VALUE, out)) {
      // drain: loadSince hands over everything at once
    }
    return true;
  }

  private Optional<StoredPieces> pieces(String id, java.util.function.Function<String, KnownState> peerKnows, Set<String> visited) {
    Optional<StorageBackend.ValueView> view = db.openValue(id);
    if (view.isEmpty()) return Optional.empty();
    StorageBackend.ValueView v = view.get();
    return Optional.of(new StoredPieces(this, id, CoValueHeader.parseStored(v.headerJson(), id), v.knownState(), peerKnows, visited, v));
  }

  @Override
  public Optional<PieceStream> openPieces(String id, java.util.function.Function<String, KnownState> peerKnows,
      boolean dependenciesWhenComplete) {
    return reading(() -> pieces(id, peerKnows, new HashSet<>(Set.of(id))).map(p -> {
      p.dependenciesWhenComplete = dependenciesWhenComplete;
      return (PieceStream) p;
    }));
  }

  /** Runs a piece stream's read of stored content (see {@link #reading}). */
  <T> T withLock(java.util.function.Supplier<T> work) {
    return reading(work);
  }

  void sendDependencies(CoValueHeader header, ContentMessage msg, java.util.function.Function<String, KnownState> peerKnows,
      Set<String> visited, Consumer<ContentMessage> out) {
    for (String dep : Dependencies.of(header, msg)) {
      if (visited.add(dep)) sendDependency(dep, peerKnows, visited, out);
    }
  }
  /** The dependencies in {@code deps} the peer lacks something of, recursively, as {@link #sendDependencies}. */
  void sendDependencies(Set<String> deps, java.util.function.Function<String, KnownState> peerKnows, Set<String> visited,
      Consumer<ContentMessage> out) {
    for (String dep : deps) {
      if (visited.add(dep)) sendDependency(dep, peerKnows, visited, out);
    }
  }

  /**
   * One dependency (just added to {@code visited}) the peer lacks something of, with its own
   * dependencies first; from {@link #cuts} when the peer knows nothing of any value that involves.
   * Not for a read-only engine: its bee is written elsewhere, so a known state read now may be
   * newer than the snapshot a cut was read from.
   */
  private void sendDependency(String dep, java.util.function.Function<String, KnownState> peerKnows, Set<String> visited,
      Consumer<ContentMessage> out) {
    KnownState peer = peerState(peerKnows, dep);
    if (!peerLacks(dep, peer)) return;
    if (keepCuts && !sharedReads && knowsNothing(peer) && !RECORDING.get()) {
      DependencyCuts.Cut cut = cuts.get(dep);
      if (cut != null && cut.messages() != null && !fits(cut, dep, peerKnows, visited)) {
        sendSince(dep, peerKnows, visited, out); // it would not fit this peer even if cut again
        return;
      }
      if (cut == null || !current(cut)) {
        cut = record(dep);
        cuts.put(dep, cut);
      }
      if (cut.messages() != null && fits(cut, dep, peerKnows, visited)) {
        visited.addAll(cut.covers().keySet());
        cut.messages().forEach(out);
        cuts.countServed();
        return;
      }
    }
    sendSince(dep, peerKnows, visited, out);
  }

  /**
   * Set while this thread records a cut: the dependencies met inside it are read as they always
   * were, sharing the recording's visited set, so a cycle (two groups each the other's parent) ends
   * as a plain read does and no recording nests in another.
   */
  private static final ThreadLocal<Boolean> RECORDING = ThreadLocal.withInitial(() -> false);

  /** Thrown to stop a recording that passed {@link DependencyCuts#MAX_CUT_BYTES}: only reads are under way. */
  private static final class TooBig extends RuntimeException {
    TooBig() {
      super(null, null, false, false);
    }
  }

  /** What a peer that knows nothing is sent for {@code dep}, read now; a too-big marker past the bound. */
  private DependencyCuts.Cut record(String dep) {
    List<ContentMessage> sent = new ArrayList<>();
    Set<String> seen = new java.util.LinkedHashSet<>(Set.of(dep));
    long[] bytes = {0};
    RECORDING.set(true);
    try {
      sendSince(dep, id -> null, seen, m -> {
        bytes[0] += m.contentSize();
        if (bytes[0] > DependencyCuts.MAX_CUT_BYTES) throw new TooBig();
        sent.add(m);
      });
    } catch (TooBig e) {
      return DependencyCuts.tooBig(dep, db.knownState(dep).orElse(null));
    } finally {
      RECORDING.set(false);
    }
    return DependencyCuts.of(sent, seen);
  }

  /**
   * Whether storage holds exactly what {@code cut} was cut from now. Read afresh, not through the
   * known-state cache: that one may still hold a value's state from before a write that readers
   * already see, and a dependency must never be older than the value that needs it.
   */
  private boolean current(DependencyCuts.Cut cut) {
    for (Map.Entry<String, KnownState> c : cut.covers().entrySet()) {
      if (!DependencyCuts.sameState(db.knownState(c.getKey()).orElse(null), c.getValue())) return false;
    }
    return true;
  }

  /** Whether a fresh read for this peer would send what {@code cut} holds: it knows nothing of, and was sent nothing of, what it covers. */
  private static boolean fits(DependencyCuts.Cut cut, String dep, java.util.function.Function<String, KnownState> peerKnows,
      Set<String> visited) {
    for (String id : cut.covers().keySet()) {
      if (!id.equals(dep) && visited.contains(id)) return false;
      if (!knowsNothing(peerState(peerKnows, id))) return false;
    }
    return true;
  }

  private static boolean knowsNothing(KnownState k) {
    return !k.header() && k.sessions().isEmpty();
  }


  private static SessionNewContent slice(StorageBackend.StoredCoValue cv, String sessionId, long from, StorageBackend.SignatureAfter to) {
    List<Transaction> txs = new ArrayList<>();
    for (String raw : cv.transactions(sessionId, from, to.idx())) txs.add(Transaction.stored(raw));
    return new SessionNewContent(from, txs, to.signature());
  }

  private void pushWithDependencies(CoValueHeader header, ContentMessage msg, Consumer<ContentMessage> callback, StreamingQueue later) {
    for (String dep : Dependencies.of(header, msg)) {
      if (!inMemory.contains(dep)) loadCoValue(dep, callback, later);
    }
    callback.accept(msg);
  }

  // ---- store ----

  @Override
  public boolean store(ContentMessage msg, CorrectionHandler handleCorrection, Runnable done) {
    boolean ok = locked(() -> storeSingle(msg, handleCorrection, true));
    if (ok && done != null) done.run();
    return ok;
  }

  private boolean storeSingle(ContentMessage msg, CorrectionHandler correction, boolean firstRound) {
    String id = msg.id();
    final boolean[] invalidAssumption = {false};
    Map<String, Long> counts = db.write(tx -> writeInto(tx, msg, invalidAssumption));
    if (counts == null) {
      KnownState empty = KnownState.empty(id);
      setKnownState(empty);
      return correct(msg, empty, correction, firstRound, true);
    }
    KnownState known = afterWrite(id, counts);
    if (invalidAssumption[0]) return correct(msg, known, correction, firstRound, false);
    return true;
  }

  /** One message's writes: the new transactions per session; null when the value is unknown and the message has no header. */
  private Map<String, Long> writeInto(StorageBackend.WriteTx tx, ContentMessage msg, boolean[] invalidAssumption) {
    String id = msg.id();
    if (!tx.hasCoValue(id)) {
      if (msg.header() == null) return null;
      tx.insertCoValue(id, msg.header().raw());
    }
    Map<String, Long> seen = new LinkedHashMap<>();
    for (Map.Entry<String, SessionNewContent> e : msg.sessions().entrySet()) {
      String sid = e.getKey();
      SessionNewContent s = e.getValue();
      if (deletedValues.contains(id) && SessionIds.isDeleteSession(sid)) tx.markCoValueAsDeleted(id);
      Optional<StorageBackend.SessionRow> row = tx.session(id, sid);
      long stored = row.map(StorageBackend.SessionRow::lastIdx).orElse(0L);
      row.ifPresent(r -> seen.put(sid, r.lastIdx()));
      if (stored < s.after()) {
        invalidAssumption[0] = true;
        continue;
      }
      seen.put(sid, putNewTransactions(tx, id, sid, s, row.orElse(null), stored));
    }
    return seen;
  }

  private KnownState afterWrite(String id, Map<String, Long> counts) {
    KnownState known = knownState(id).withHeader(true);
    for (Map.Entry<String, Long> e : counts.entrySet()) known = known.withSession(e.getKey(), e.getValue());
    inMemory.add(id);
    setKnownState(known);
    return known;
  }

  @Override
  public List<KnownState> storeAll(List<ContentMessage> msgs) {
    return locked(() -> {
      List<Map<String, Long>> counts = db.write(tx -> {
        List<Map<String, Long>> out = new ArrayList<>(msgs.size());
        boolean[] ignored = {false};
        for (ContentMessage m : msgs) out.add(writeInto(tx, m, ignored));
        return out;
      });
      List<KnownState> states = new ArrayList<>(msgs.size());
      for (int i = 0; i < msgs.size(); i++) {
        String id = msgs.get(i).id();
        states.add(counts.get(i) == null ? knownState(id) : afterWrite(id, counts.get(i)));
      }
      return states;
    });
  }

  /** {@code putNewTxs}: the transactions past what is stored; a signature saved when the session grew past 100 KiB. */
  private static long putNewTransactions(StorageBackend.WriteTx tx, String id, String sid, SessionNewContent s,
      StorageBackend.SessionRow row, long stored) {
    List<Transaction> fresh = s.newTransactions().subList((int) Math.min(stored - s.after(), s.newTransactions().size()), s.newTransactions().size());
    if (fresh.isEmpty()) return stored;
    long bytes = row == null ? 0 : row.bytesSinceLastSignature();
    long size = 0;
    // a transaction read back from a storage (Transaction.stored) was not measured: measure it now
    for (Transaction t : fresh) size += t.size() >= 0 ? t.size() : Transaction.parse(t.raw()).size();
    boolean writeSignature = bytes + size > MAX_RECOMMENDED_TX_SIZE;
    bytes = writeSignature ? 0 : bytes + size;
    long newLastIdx = stored + fresh.size();
    tx.putSession(id, new StorageBackend.SessionRow(sid, newLastIdx, s.lastSignature(), bytes));
    if (writeSignature) tx.addSignatureAfter(id, sid, new StorageBackend.SignatureAfter(newLastIdx - 1, s.lastSignature()));
    List<String> raws = new ArrayList<>(fresh.size());
    for (Transaction t : fresh) raws.add(t.raw());
    tx.addTransactions(id, sid, stored, raws, writeSignature);
    return newLastIdx;
  }

  /** {@code handleCorrection}: ask for what storage lacks, store the answers; a second correction is refused. */
  private boolean correct(ContentMessage msg, KnownState storageState, CorrectionHandler correction, boolean firstRound, boolean unknown) {
    List<ContentMessage> answer = firstRound && correction != null ? correction.correct(storageState) : null;
    // an empty answer is "nothing more to store": cojson's handleCorrection stores none and reports success
    if (answer != null && answer.isEmpty()) return true;
    if (answer == null) {
      if (unknown) {
        throw StorageError.UNKNOWN_COVALUE.error("%s is not stored and the content has no header%s", msg.id(),
            firstRound ? "; no correction supplied one" : " (double correction)");
      }
      LOG.warn("correction for {} {}; the content was not fully stored", msg.id(), firstRound ? "returned nothing" : "requested twice");
      return false;
    }
    for (ContentMessage m : answer) {
      if (!storeSingle(m, null, false)) return false;
    }
    return true;
  }

  // ---- known state ----

  @Override
  public KnownState getKnownState(String id) {
    return knownState(id);
  }

  private KnownState knownState(String id) {
    return knownStates.computeIfAbsent(id, KnownState::empty);
  }

  private void setKnownState(KnownState k) {
    knownStates.put(k.id(), k);
    List<Waiter> list = waiters.get(k.id());
    if (list == null) return;
    synchronized (list) {
      list.removeIf(w -> {
        if (!isInSync(w.target, k)) return false;
        w.future.complete(null);
        return true;
      });
    }
  }

  private static boolean isInSync(KnownState node, KnownState storage) {
    if (!storage.header() && node.header()) return false;
    return node.sessionsInSyncWith(storage);
  }

  @Override
  public Optional<KnownState> loadKnownState(String id) {
    return reading(() -> db.knownState(id));
  }

  @Override
  public CompletableFuture<Void> waitForSync(String id, KnownState nodeState) {
    ensureOpen();
    if (isInSync(nodeState, knownState(id))) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> f = new CompletableFuture<>();
    List<Waiter> list = waiters.computeIfAbsent(id, k -> new ArrayList<>());
    synchronized (list) {
      list.add(new Waiter(nodeState, f));
    }
    if (isInSync(nodeState, knownState(id))) f.complete(null); // a store landed in between
    return f;
  }

  @Override
  public void onCoValueUnmounted(String id) {
    inMemory.remove(id);
    knownStates.remove(id);
    List<Waiter> list = waiters.remove(id);
    if (list != null) synchronized (list) {
      list.forEach(w -> w.future.complete(null));
    }
  }

  // ---- deletion ----

  @Override
  public void markDeleteAsValid(String id) {
    deletedValues.add(id);
    DeletedCoValuesEraser e = eraser;
    if (e != null) e.onEnqueue();
  }

  @Override
  public void enableDeletedCoValuesErasure(ScheduledExecutorService executor) {
    locked(() -> {
      if (eraser == null) {
        eraser = new DeletedCoValuesEraser(executor, () -> eraseOnce(ERASE_BUDGET));
        eraser.scheduleStartupDrain();
      }
      return null;
    });
  }

  @Override
  public void eraseAllDeletedCoValues() {
    locked(() -> {
      for (String id : db.coValuesWaitingForDelete()) eraseOne(id);
      return null;
    });
  }

  /** One budgeted run; true when more deletes wait. */
  boolean eraseOnce(Duration budget) {
    return locked(() -> {
      long start = System.nanoTime();
      for (String id : db.coValuesWaitingForDelete()) {
        if (System.nanoTime() - start >= budget.toNanos()) break;
        eraseOne(id);
      }
      return !db.coValuesWaitingForDelete().isEmpty();
    });
  }

  private void eraseOne(String id) {
    db.eraseCoValueButKeepTombstone(id);
    cuts.clear(); // the one write that takes content away: every cut goes, whatever the states say
    // the cached state now overstates what is on disk; the next load or loadKnownState sets it again
    knownStates.remove(id);
  }

  // ---- sync state ----

  @Override
  public void trackCoValuesSyncState(List<SyncStateUpdate> updates, Runnable done) {
    locked(() -> {
      db.trackCoValuesSyncState(updates);
      return null;
    });
    if (done != null) done.run();
  }

  @Override
  public List<String> getUnsyncedCoValueIDs() {
    return locked(db::unsyncedCoValueIds);
  }

  @Override
  public void stopTrackingSyncState(String id) {
    locked(() -> {
      db.stopTrackingSyncState(id);
      return null;
    });
  }

  // ---- reconciliation ----

  @Override
  public List<String> getCoValueIDs(int limit, long offset) {
    if (limit < 0 || offset < 0) throw StorageError.BAD_ARGUMENT.error("limit %d, offset %d", limit, offset);
    return locked(() -> db.coValueIds(limit, offset));
  }

  @Override
  public long getCoValueCount() {
    return locked(db::coValueCount);
  }

  @Override
  public LockResult tryAcquireStorageReconciliationLock(String sessionId, String peerId) {
    return locked(() -> {
      long now = clockMillis.getAsLong();
      String key = "lock#" + peerId;
      Optional<StorageBackend.LockRow> row = db.lock(key);
      if (row.isPresent() && row.get().releasedAt() != null && now - row.get().releasedAt() < RECONCILIATION_INTERVAL.toMillis()) {
        return LockResult.refused("not_due");
      }
      if (row.isPresent() && row.get().releasedAt() == null && row.get().acquiredAt() + LOCK_TTL.toMillis() >= now
          && !row.get().holderSessionId().equals(sessionId)) {
        return LockResult.refused("lock_held");
      }
      long offset = row.isPresent() && row.get().releasedAt() == null ? row.get().lastProcessedOffset() : 0;
      db.putLock(new StorageBackend.LockRow(key, sessionId, now, null, offset));
      return LockResult.acquired(offset);
    });
  }

  @Override
  public void renewStorageReconciliationLock(String sessionId, String peerId, long offset) {
    locked(() -> {
      db.lock("lock#" + peerId).filter(r -> r.holderSessionId().equals(sessionId) && r.releasedAt() == null)
          .ifPresent(r -> db.putLock(new StorageBackend.LockRow(r.key(), r.holderSessionId(), r.acquiredAt(), null, offset)));
      return null;
    });
  }

  @Override
  public void releaseStorageReconciliationLock(String sessionId, String peerId) {
    locked(() -> {
      db.lock("lock#" + peerId).filter(r -> r.holderSessionId().equals(sessionId))
          .ifPresent(r -> db.putLock(new StorageBackend.LockRow(r.key(), r.holderSessionId(), r.acquiredAt(), clockMillis.getAsLong(), 0)));
      return null;
    });
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    Lock l = lock.writeLock();
    boolean held = tryAcquire(l);
    if (!held) LOG.warn("closing the storage while a call still holds it after {}", lockWait);
    try {
      if (closed) return;
      closed = true;
      if (eraser != null) eraser.dispose();
      inMemory.clear();
      knownStates.clear();
      for (List<Waiter> list : waiters.values()) {
        synchronized (list) {
          list.forEach(w -> w.future.completeExceptionally(StorageError.STORAGE_CLOSED.error("storage closed before %s was in sync", w.target.id())));
        }
      }
      waiters.clear();
      db.close();
    } finally {
      if (held) l.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) throw StorageError.STORAGE_CLOSED.error("storage is closed");
  }

  private <T> T locked(java.util.function.Supplier<T> work) {
    return sharedReads ? shared(work) : shared(() -> serially(work));
  }

  /** A read of stored content: beside other calls when the backend allows it, else serialised as any call. */
  private <T> T reading(java.util.function.Supplier<T> work) {
    return concurrentReads ? shared(work) : locked(work);
  }

  /** Runs {@code work} while the storage cannot close. */
  private <T> T shared(java.util.function.Supplier<T> work) {
    Lock l = lock.readLock();
    if (!tryAcquire(l)) throw CoreError.REQUEST_TIMEOUT.error("the storage was busy for %s", lockWait);
    try {
      ensureOpen();
      return work.get();
    } finally {
      l.unlock();
    }
  }

  private <T> T serially(java.util.function.Supplier<T> work) {
    if (!tryAcquire(serial)) throw CoreError.REQUEST_TIMEOUT.error("the storage was busy for %s", lockWait);
    try {
      return work.get();
    } finally {
      serial.unlock();
    }
  }

  private boolean tryAcquire(Lock l) {
    try {
      return l.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "interrupted while waiting for the storage");
    }
  }

  /** Test hook: the IDs a load has marked as in memory. */
  Set<String> inMemoryIds() {
    return new HashSet<>(inMemory);
  }
}
