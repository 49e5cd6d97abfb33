package org.maiaos.mesh.cojson.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.keys.SessionChunk;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * Internal. One value's pieces for one peer, cut from storage a batch at a time: every session
 * is read through a lazy chunk cursor from the peer's counter on, so a big value is never held
 * whole. The first piece holds the header (when the peer lacks it) and every session's first
 * slice, with {@code expectContentUntil} when more follow; then each session's further slices,
 * one piece each, cut at saved signatures. Dependencies go out before the piece that needs them.
 */
final class StoredPieces implements StorageApi.PieceStream {
  private final StorageEngine engine;
  private final String id;
  private final CoValueHeader header;
  private final boolean sendHeader;
  private final Function<String, KnownState> peerKnows;
  private final Set<String> visited;
  private final List<Cursor> cursors = new ArrayList<>();
  private final KnownState stored;
  private boolean firstSent;
  /** Send the dependencies the peer lacks even when it has the whole value. */
  boolean dependenciesWhenComplete;
  private int current;

  /** A session's read position: the next index to send and the chunks still ahead. */
  private static final class Cursor {
    final String sessionId;
    final long end;
    final Iterator<SessionChunk> chunks;
    long next;

    Cursor(String sessionId, long from, long end, Iterator<SessionChunk> chunks) {
      this.sessionId = sessionId;
      this.next = from;
      this.end = end;
      this.chunks = chunks;
    }

    boolean done() {
      return next >= end;
    }

    /** The transactions from {@link #next} to the next cut (a sealed chunk's end, or the session's end). */
    SessionNewContent slice(String id) {
      long after = next;
      List<Transaction> txs = new ArrayList<>();
      String signature = null;
      while (!done()) {
        if (!chunks.hasNext()) throw StorageError.STORAGE_CORRUPT.error("%s session %s ends at %d, its record says %d", id, sessionId, next, end);
        SessionChunk c = chunks.next();
        if (c.end() <= next) continue;
        if (c.firstIdx() > next) throw StorageError.STORAGE_CORRUPT.error("%s session %s has a hole at %d", id, sessionId, next);
        for (long i = next; i < c.end(); i++) txs.add(Transaction.stored(c.transactions().get((int) (i - c.firstIdx()))));
        next = c.end();
        signature = c.signature();
        if (c.sealed()) break;
      }
      return new SessionNewContent(after, txs, signature);
    }
  }

  StoredPieces(StorageEngine engine, String id, CoValueHeader header, KnownState stored, Function<String, KnownState> peerKnows,
      Set<String> visited, StorageBackend.ValueView db) {
    this.engine = engine;
    this.id = id;
    this.header = header;
    this.peerKnows = peerKnows;
    this.visited = visited;
    this.stored = stored;
    KnownState peer = StorageEngine.peerState(peerKnows, id);
    this.sendHeader = !peer.header();
    for (Map.Entry<String, Long> s : stored.sessions().entrySet()) {
      long from = peer.count(s.getKey());
      if (from < s.getValue()) cursors.add(new Cursor(s.getKey(), from, s.getValue(), db.chunks(s.getKey(), from)));
    }
  }

  /** Whether there is anything at all to send (the peer may have the value whole). */
  boolean isEmpty() {
    return cursors.isEmpty() && !sendHeader;
  }

  @Override
  public StorageApi.StoredHead head() {
    return new StorageApi.StoredHead(header, stored);
  }

  @Override
  public boolean next(long maxBytes, Consumer<ContentMessage> out) {
    return engine.withLock(() -> emit(maxBytes, out));
  }

  private boolean emit(long maxBytes, Consumer<ContentMessage> out) {
    long sent = 0;
    if (!firstSent) {
      firstSent = true;
      if (isEmpty()) {
        if (!dependenciesWhenComplete) return false;
        // sync.ts sends the dependencies a client lacks even when the value itself has nothing new
        Set<String> deps = new java.util.LinkedHashSet<>(header.dependencies());
        for (String sid : stored.sessions().keySet()) {
          String account = org.maiaos.mesh.cojson.storage.model.SessionIds.authorAccount(sid);
          if (account != null) deps.add(account);
        }
        deps.remove(id);
        engine.sendDependencies(deps, peerKnows, visited, out);
        return false;
      }
      Map<String, SessionNewContent> first = new LinkedHashMap<>();
      Map<String, Long> until = new LinkedHashMap<>();
      boolean more = false;
      for (Cursor c : cursors) {
        SessionNewContent s = c.slice(id);
        first.put(c.sessionId, s);
        until.put(c.sessionId, c.end);
        sent += bytes(s);
        more |= !c.done();
      }
      send(new ContentMessage(id, sendHeader ? header : null, header.priority(), first, more ? until : null), out);
    }
    while (current < cursors.size() && sent < maxBytes) {
      Cursor c = cursors.get(current);
      if (c.done()) {
        current++;
        continue;
      }
      SessionNewContent s = c.slice(id);
      sent += bytes(s);
      send(new ContentMessage(id, null, header.priority(), Map.of(c.sessionId, s), null), out);
    }
    while (current < cursors.size() && cursors.get(current).done()) current++;
    return current < cursors.size();
  }

  private void send(ContentMessage m, Consumer<ContentMessage> out) {
    engine.sendDependencies(header, m, peerKnows, visited, out);
    out.accept(m);
  }

  private static long bytes(SessionNewContent s) {
    long n = 0;
    for (Transaction t : s.newTransactions()) n += t.raw().length();
    return n;
  }

  @Override
  public void close() {
    cursors.clear(); // the cursors read a snapshot; dropping them is all there is to release
  }
}
