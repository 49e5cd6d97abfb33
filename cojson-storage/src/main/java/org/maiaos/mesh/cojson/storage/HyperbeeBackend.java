package org.maiaos.mesh.cojson.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.keys.CoValueRecord;
import org.maiaos.mesh.cojson.storage.keys.KeyLayout;
import org.maiaos.mesh.cojson.storage.keys.SessionChunk;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.hyperbee.Batch;
import org.maiaos.mesh.hyperbee.Entry;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.Range;

/**
 * Internal. cojson storage on a Hyperbee with the {@link KeyLayout}: a load is one range scan
 * (header and chunks; the record is not needed), a known state one get of the record, a store one
 * atomic {@link Batch} (one core append). Transactions sit in chunks: each store's slice of a
 * session is one chunk, and a following small slice is merged into the session's last chunk while
 * that is unsealed and under {@link #MERGE_BYTES}.
 */
final class HyperbeeBackend implements StorageBackend {
  /**
   * An unsealed chunk is rewritten with the next slice while both fit in this many characters:
   * keeps single-transaction stores from costing a key each, while the rewrite (the bee is
   * append-only, so every rewrite stays in its history) stays small.
   */
  static final long MERGE_BYTES = 4 * 1024;
  private static final byte[] PRESENT = {1};

  private final Hyperbee<byte[], byte[]> bee;
  private final boolean readOnly;
  private final AutoCloseable owned;

  HyperbeeBackend(Hyperbee<byte[], byte[]> bee, boolean readOnly, AutoCloseable owned) {
    this.bee = bee;
    this.readOnly = readOnly;
    this.owned = owned;
  }

  Hyperbee<byte[], byte[]> bee() {
    return bee;
  }

  private Iterator<Entry<byte[], byte[]>> scan(byte[] gte, byte[] lt) {
    return bee.iterator(Range.<byte[]>all().gte(gte).lt(lt));
  }

  private Optional<byte[]> get(byte[] key) {
    return bee.get(key).map(Entry::value);
  }

  // ---- reads ----

  /** The bee's reads take no lock and see the version current when they start (see {@link Hyperbee}). */
  @Override
  public boolean concurrentReads() {
    return true;
  }

  @Override
  public Optional<StoredCoValue> read(String id) {
    String header = null;
    Map<String, List<SessionChunk>> chunks = new LinkedHashMap<>();
    for (Iterator<Entry<byte[], byte[]>> it = scan(KeyLayout.coValueStart(id), KeyLayout.coValueEnd(id)); it.hasNext();) {
      Entry<byte[], byte[]> e = it.next();
      switch (KeyLayout.kindOf(e.key(), id)) {
        case 'h' -> header = new String(e.value(), StandardCharsets.UTF_8);
        case 's' -> {
          KeyLayout.ChunkKey k = KeyLayout.parseChunk(e.key(), id);
          chunks.computeIfAbsent(k.sessionId(), x -> new ArrayList<>()).add(SessionChunk.decode(k.firstIdx(), e.value()));
        }
        default -> throw StorageError.STORAGE_CORRUPT.error("unknown key kind under %s", id);
      }
    }
    if (header == null) {
      if (!chunks.isEmpty()) throw StorageError.STORAGE_CORRUPT.error("%s has transactions but no header", id);
      return Optional.empty();
    }
    // a session's row is what its last chunk says: the count and the signature at its end
    List<SessionRow> rows = new ArrayList<>();
    chunks.forEach((sid, cs) -> {
      SessionChunk last = cs.get(cs.size() - 1);
      rows.add(new SessionRow(sid, last.end(), last.signature(), 0));
    });
    return Optional.of(new Stored(header, rows, chunks));
  }

  private static final class Stored implements StoredCoValue {
    private final String header;
    private final List<SessionRow> sessions;
    private final Map<String, List<SessionChunk>> chunks;

    Stored(String header, List<SessionRow> sessions, Map<String, List<SessionChunk>> chunks) {
      this.header = header;
      this.sessions = sessions;
      this.chunks = chunks;
    }

    @Override
    public String headerJson() {
      return header;
    }

    @Override
    public List<SessionRow> sessions() {
      return sessions;
    }

    @Override
    public List<SignatureAfter> signatures(String sessionId) {
      List<SignatureAfter> out = new ArrayList<>();
      for (SessionChunk c : chunks.getOrDefault(sessionId, List.of())) {
        if (c.sealed()) out.add(new SignatureAfter(c.end() - 1, c.signature()));
      }
      return out;
    }

    @Override
    public List<String> transactions(String sessionId, long fromIdx, long toIdx) {
      List<String> out = new ArrayList<>();
      long next = fromIdx;
      for (SessionChunk c : chunks.getOrDefault(sessionId, List.of())) {
        if (c.end() <= next || c.firstIdx() > toIdx) continue;
        if (c.firstIdx() > next) break; // a hole
        for (long i = next; i < Math.min(c.end(), toIdx + 1); i++) out.add(c.transactions().get((int) (i - c.firstIdx())));
        next = Math.min(c.end(), toIdx + 1);
      }
      if (out.size() != toIdx - fromIdx + 1) {
        throw StorageError.STORAGE_CORRUPT.error("session %s holds %d of the transactions %d..%d", sessionId, out.size(), fromIdx, toIdx);
      }
      return out;
    }
  }

  @Override
  public Iterator<SessionChunk> chunks(String id, String sessionId, long fromIdx) {
    return chunks(bee.snapshot(), id, sessionId, fromIdx);
  }

  /** The chunks of a session in {@code view}, from the one holding {@code fromIdx} on. */
  private static Iterator<SessionChunk> chunks(Hyperbee<byte[], byte[]> view, String id, String sessionId, long fromIdx) {
    byte[] prefix = KeyLayout.sessionPrefix(id, sessionId);
    // the chunk holding fromIdx is the last one that starts at or before it; from 0 that is the first one, no search needed
    byte[] start = fromIdx == 0 ? prefix
        : view.peek(Range.<byte[]>all().gte(prefix).lte(KeyLayout.chunk(id, sessionId, fromIdx)).reverse()).map(Entry::key).orElse(prefix);
    Iterator<Entry<byte[], byte[]>> it = view.iterator(Range.<byte[]>all().gte(start).lt(KeyLayout.after(prefix)));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public SessionChunk next() {
        Entry<byte[], byte[]> e = it.next();
        return SessionChunk.decode(KeyLayout.parseChunk(e.key(), id).firstIdx(), e.value());
      }
    };
  }

  /**
   * One walk for the header and the first session's chunks: a range scan from the header key over
   * the value's keys (the header sorts first, then the chunks by session and index), on a snapshot
   * that the record and every other session's cursor read too.
   */
  @Override
  public Optional<ValueView> openValue(String id) {
    Hyperbee<byte[], byte[]> view = bee.snapshot();
    byte[] headerKey = KeyLayout.header(id);
    Iterator<Entry<byte[], byte[]>> scan = view.iterator(Range.<byte[]>all().gte(headerKey).lt(KeyLayout.coValueEnd(id)));
    if (!scan.hasNext()) return Optional.empty();
    Entry<byte[], byte[]> first = scan.next();
    if (!java.util.Arrays.equals(first.key(), headerKey)) return Optional.empty(); // chunks without a header: as not stored
    String header = new String(first.value(), StandardCharsets.UTF_8);
    KnownState known = view.get(KeyLayout.record(id)).map(e -> knownState(id, e.value())).orElse(new KnownState(id, true, Map.of()));
    return Optional.of(new View(view, id, header, known, scan));
  }

  /** A {@link ValueView} whose header scan goes on into the chunks of the session that sorts first. */
  private static final class View implements ValueView {
    private final Hyperbee<byte[], byte[]> view;
    private final String id;
    private final String header;
    private final KnownState known;
    private Iterator<Entry<byte[], byte[]>> scan; // null once handed to a cursor or found empty
    private Entry<byte[], byte[]> ahead;
    private String aheadSession;

    View(Hyperbee<byte[], byte[]> view, String id, String header, KnownState known, Iterator<Entry<byte[], byte[]>> scan) {
      this.view = view;
      this.id = id;
      this.header = header;
      this.known = known;
      this.scan = scan;
    }

    @Override
    public String headerJson() {
      return header;
    }

    @Override
    public KnownState knownState() {
      return known;
    }

    @Override
    public Iterator<SessionChunk> chunks(String sessionId, long fromIdx) {
      if (fromIdx == 0 && scan != null) {
        if (ahead == null) {
          if (!scan.hasNext()) {
            scan = null;
            return HyperbeeBackend.chunks(view, id, sessionId, fromIdx);
          }
          ahead = scan.next();
          aheadSession = KeyLayout.parseChunk(ahead.key(), id).sessionId();
        }
        if (aheadSession.equals(sessionId)) {
          Iterator<Entry<byte[], byte[]>> rest = scan;
          Entry<byte[], byte[]> head = ahead;
          scan = null;
          ahead = null;
          return sessionChunks(id, sessionId, head, rest);
        }
      }
      return HyperbeeBackend.chunks(view, id, sessionId, fromIdx);
    }
  }

  /** {@code head} and the entries of {@code rest} after it while they are chunks of {@code sessionId}. */
  private static Iterator<SessionChunk> sessionChunks(String id, String sessionId, Entry<byte[], byte[]> head,
      Iterator<Entry<byte[], byte[]>> rest) {
    return new Iterator<>() {
      private Entry<byte[], byte[]> next = head;
      private long nextFirstIdx = KeyLayout.parseChunk(head.key(), id).firstIdx();
      private boolean ended;

      @Override
      public boolean hasNext() {
        if (next == null && !ended) {
          if (rest.hasNext()) {
            Entry<byte[], byte[]> e = rest.next();
            KeyLayout.ChunkKey k = KeyLayout.parseChunk(e.key(), id);
            if (k.sessionId().equals(sessionId)) {
              next = e;
              nextFirstIdx = k.firstIdx();
            } else {
              ended = true;
            }
          } else {
            ended = true;
          }
        }
        return next != null;
      }

      @Override
      public SessionChunk next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        Entry<byte[], byte[]> e = next;
        next = null;
        return SessionChunk.decode(nextFirstIdx, e.value());
      }
    };
  }

  @Override
  public Optional<String> headerJson(String id) {
    return get(KeyLayout.header(id)).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  @Override
  public Optional<KnownState> knownState(String id) {
    return get(KeyLayout.record(id)).map(v -> knownState(id, v));
  }

  private static KnownState knownState(String id, byte[] record) {
    Map<String, Long> sessions = new LinkedHashMap<>();
    CoValueRecord.decode(record).sessions().forEach((sid, s) -> sessions.put(sid, s.lastIdx()));
    return new KnownState(id, true, sessions);
  }

  /**
   * Known states read for checks, by id: a load asks, for every dependency of what it sends,
   * whether the client lacks anything of it, and a server's loads mostly share a few groups and
   * accounts. An entry is dropped when a write that changes its record lands; a read that
   * overlapped any write is not cached (it may hold the state from before the write). Only for a
   * bee this backend owns and writes alone (every write passes {@link #written}).
   */
  private final Map<String, KnownState> checkStates = new java.util.concurrent.ConcurrentHashMap<>();
  private final Object checkLock = new Object();
  private volatile long writesDone; // guarded by checkLock for writes
  static final int CHECK_STATES_MAX = 16_384;

  @Override
  public Optional<KnownState> knownStateForCheck(String id) {
    if (readOnly || owned == null) return knownState(id); // someone else may write the bee: no cache
    KnownState cached = checkStates.get(id);
    if (cached != null) return Optional.of(cached);
    long before = writesDone;
    Optional<KnownState> read = knownState(id);
    if (read.isPresent()) {
      synchronized (checkLock) {
        if (writesDone == before) {
          if (checkStates.size() >= CHECK_STATES_MAX) checkStates.clear();
          checkStates.put(id, read.get());
        }
      }
    }
    return read;
  }

  /** After a write that may have changed the records of {@code ids} (called once it is visible, or failed). */
  private void written(java.util.Collection<String> ids) {
    synchronized (checkLock) {
      writesDone++;
      for (String id : ids) checkStates.remove(id);
    }
  }

  // ---- writes ----

  private void ensureWritable() {
    if (readOnly) throw StorageError.READ_ONLY.error("this Hyperbee storage is read-only");
  }

  @Override
  public <T> T write(Function<WriteTx, T> work) {
    ensureWritable();
    Batch<byte[], byte[]> batch = bee.batch();
    Tx tx = new Tx(batch);
    try {
      T result = work.apply(tx);
      tx.finish();
      batch.flush();
      return result;
    } finally {
      batch.close(); // no-op after flush; discards everything when work failed
      written(tx.records.keySet());
    }
  }

  private final class Tx implements WriteTx {
    private final Batch<byte[], byte[]> batch;
    private final Map<String, CoValueRecord> records = new LinkedHashMap<>();
    private Long count;

    Tx(Batch<byte[], byte[]> batch) {
      this.batch = batch;
    }

    private CoValueRecord record(String id) {
      CoValueRecord r = records.get(id);
      if (r == null) {
        r = batch.get(KeyLayout.record(id)).map(e -> CoValueRecord.decode(e.value())).orElse(null);
        if (r != null) records.put(id, r);
      }
      return r;
    }

    @Override
    public boolean hasCoValue(String id) {
      return record(id) != null;
    }

    @Override
    public void insertCoValue(String id, String headerJson) {
      if (record(id) != null) return;
      if (count == null) count = batch.get(KeyLayout.count()).map(e -> KeyLayout.readU64(e.value(), 0)).orElse(0L);
      count++;
      batch.put(KeyLayout.header(id), headerJson.getBytes(StandardCharsets.UTF_8));
      batch.put(KeyLayout.enumeration(count), id.getBytes(StandardCharsets.UTF_8));
      batch.put(KeyLayout.count(), KeyLayout.u64(count));
      records.put(id, new CoValueRecord(count, Map.of()));
    }

    @Override
    public Optional<SessionRow> session(String id, String sessionId) {
      CoValueRecord r = record(id);
      CoValueRecord.Session s = r == null ? null : r.sessions().get(sessionId);
      return s == null ? Optional.empty() : Optional.of(new SessionRow(sessionId, s.lastIdx(), s.lastSignature(), s.bytesSinceLastSignature()));
    }

    @Override
    public void putSession(String id, SessionRow row) {
      CoValueRecord r = record(id);
      CoValueRecord.Session old = r.sessions().get(row.sessionId());
      long lastChunk = old == null ? 0 : old.lastChunkFirstIdx();
      records.put(id, r.with(row.sessionId(), new CoValueRecord.Session(row.lastIdx(), row.lastSignature(), row.bytesSinceLastSignature(), lastChunk)));
    }

    @Override
    public void addSignatureAfter(String id, String sessionId, SignatureAfter sig) {
      // nothing to write: the chunk that addTransactions writes next ends there and is sealed with it
    }

    @Override
    public void addTransactions(String id, String sessionId, long firstIdx, List<String> txs, boolean endsAtSignature) {
      CoValueRecord r = record(id);
      CoValueRecord.Session row = r.sessions().get(sessionId); // putSession ran first: its signature is the new end's
      long newBytes = 0;
      for (String t : txs) newBytes += t.length();
      SessionChunk chunk = new SessionChunk(firstIdx, txs, row.lastSignature(), endsAtSignature);
      if (firstIdx > 0 && newBytes < MERGE_BYTES) {
        byte[] lastKey = KeyLayout.chunk(id, sessionId, row.lastChunkFirstIdx());
        SessionChunk last = batch.get(lastKey).map(e -> SessionChunk.decode(row.lastChunkFirstIdx(), e.value())).orElse(null);
        if (last != null && !last.sealed() && last.end() == firstIdx && last.bytes() + newBytes <= MERGE_BYTES) {
          List<String> merged = new ArrayList<>(last.transactions());
          merged.addAll(txs);
          chunk = new SessionChunk(last.firstIdx(), merged, row.lastSignature(), endsAtSignature);
        }
      }
      batch.put(KeyLayout.chunk(id, sessionId, chunk.firstIdx()), chunk.encode());
      records.put(id, r.with(sessionId, new CoValueRecord.Session(row.lastIdx(), row.lastSignature(), row.bytesSinceLastSignature(), chunk.firstIdx())));
    }

    @Override
    public void markCoValueAsDeleted(String id) {
      if (batch.get(KeyLayout.deleted(id)).isEmpty()) batch.put(KeyLayout.deleted(id), new byte[] {0});
    }

    void finish() {
      records.forEach((id, r) -> batch.put(KeyLayout.record(id), r.encode()));
    }
  }

  // ---- deletion ----

  @Override
  public List<String> coValuesWaitingForDelete() {
    List<String> out = new ArrayList<>();
    byte[] prefix = KeyLayout.deletedPrefix();
    for (Iterator<Entry<byte[], byte[]>> it = scan(prefix, KeyLayout.after(prefix)); it.hasNext();) {
      Entry<byte[], byte[]> e = it.next();
      if (e.value() != null && e.value().length == 1 && e.value()[0] == 0) {
        out.add(new String(e.key(), prefix.length, e.key().length - prefix.length, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void eraseCoValueButKeepTombstone(String id) {
    ensureWritable();
    Optional<byte[]> rec = get(KeyLayout.record(id));
    try (Batch<byte[], byte[]> batch = bee.batch()) {
      if (rec.isPresent()) {
        CoValueRecord r = CoValueRecord.decode(rec.get());
        List<String> normal = r.sessionIds().stream().filter(s -> !SessionIds.isDeleteSession(s)).toList();
        for (String sid : normal) {
          byte[] p = KeyLayout.sessionPrefix(id, sid);
          for (Iterator<Entry<byte[], byte[]>> it = scan(p, KeyLayout.after(p)); it.hasNext();) batch.del(it.next().key());
        }
        batch.put(KeyLayout.record(id), r.without(normal).encode());
      }
      batch.put(KeyLayout.deleted(id), new byte[] {1});
      batch.flush();
    } finally {
      written(List.of(id));
    }
  }

  // ---- sync state ----

  @Override
  public void trackCoValuesSyncState(List<StorageApi.SyncStateUpdate> updates) {
    ensureWritable();
    try (Batch<byte[], byte[]> batch = bee.batch()) {
      for (StorageApi.SyncStateUpdate u : updates) {
        if (u.synced()) batch.del(KeyLayout.unsynced(u.id(), u.peerId()));
        else batch.put(KeyLayout.unsynced(u.id(), u.peerId()), PRESENT);
      }
      batch.flush();
    }
  }

  @Override
  public List<String> unsyncedCoValueIds() {
    List<String> out = new ArrayList<>();
    byte[] p = KeyLayout.unsyncedPrefix(null);
    for (Iterator<Entry<byte[], byte[]>> it = scan(p, KeyLayout.after(p)); it.hasNext();) {
      String id = KeyLayout.unsyncedId(it.next().key());
      if (out.isEmpty() || !out.get(out.size() - 1).equals(id)) out.add(id);
    }
    return out;
  }

  @Override
  public void stopTrackingSyncState(String id) {
    ensureWritable();
    byte[] p = KeyLayout.unsyncedPrefix(id);
    List<byte[]> keys = new ArrayList<>();
    scan(p, KeyLayout.after(p)).forEachRemaining(e -> keys.add(e.key()));
    if (keys.isEmpty()) return;
    try (Batch<byte[], byte[]> batch = bee.batch()) {
      keys.forEach(batch::del);
      batch.flush();
    }
  }

  // ---- reconciliation ----

  @Override
  public List<String> coValueIds(int limit, long offset) {
    List<String> out = new ArrayList<>();
    if (limit == 0) return out;
    Iterator<Entry<byte[], byte[]>> it = bee.iterator(Range.<byte[]>all().gt(KeyLayout.enumeration(offset)).lt(KeyLayout.enumerationEnd()).limit(limit));
    it.forEachRemaining(e -> out.add(new String(e.value(), StandardCharsets.UTF_8)));
    return out;
  }

  @Override
  public long coValueCount() {
    return get(KeyLayout.count()).map(v -> KeyLayout.readU64(v, 0)).orElse(0L);
  }

  @Override
  public Optional<LockRow> lock(String key) {
    return get(KeyLayout.lock(key)).map(v -> LockCodec.decode(key, v));
  }

  @Override
  public void putLock(LockRow row) {
    ensureWritable();
    bee.put(KeyLayout.lock(row.key()), LockCodec.encode(row));
  }

  @Override
  public void close() {
    bee.close();
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw StorageError.IO_ERROR.error(e, "closing the core: %s", e.getMessage());
      }
    }
  }
}
