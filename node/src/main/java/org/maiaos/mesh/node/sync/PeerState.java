package org.maiaos.mesh.node.sync;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;

/**
 * Internal. What the server knows of one connected client ({@code PeerState.ts}, {@code
 * PeerKnownState.ts}): per CoValue the client's known state, optimistic (raised as soon as we send
 * content, or as the client sends some), and the CoValues errored for it. A CoValue counts as
 * subscribed as soon as it has an entry. Written only on the engine thread; the storage thread
 * reads the known states while it cuts content for this client, hence the concurrent map.
 *
 * <p>All of that lives in one {@link Tables} object, created with the client's first message: a
 * connected client that never sends anything (most of a server's idle connections) holds one null
 * reference instead of five empty sets, a lane and their headers (about 130 bytes less each).
 */
final class PeerState {
  /** The name of a source that is not a client; null for a client, named by its address and connect time. */
  private final String fixedName;
  /** When the client connected (its name's time, as {@code jazz-run} names a peer): kept as numbers, not text. */
  private final long connectedSecond;
  private final int connectedNano;
  final SyncConnection connection;
  /** Created with the first use that needs one (an idle client holds none); see {@link #tables()}. */
  private volatile Tables tables;
  volatile boolean closed;
  /**
   * The engine once it lists this client among its peers (from its first message; engine thread
   * only), which it then tells of every CoValue the client becomes subscribed to. Null for a
   * source that never joins (content imported from other regions).
   */
  SyncEngine engine;

  /** What the server keeps for a client that has sent something. */
  private static final class Tables {
    final Map<String, KnownState> known = new ConcurrentHashMap<>();
    final LazyKeySet errored = new LazyKeySet();
    final LazyKeySet sending = new LazyKeySet();
    final LazyKeySet sendAgain = new LazyKeySet();
    final LazyKeySet forceAgain = new LazyKeySet();
    final LazyKeySet told = new LazyKeySet();
    final StorageReaders.Lane reads = new StorageReaders.Lane();
  }

  /** A source that is not a client, named {@code name}. */
  PeerState(String name, SyncConnection connection) {
    this.fixedName = name;
    this.connection = connection;
    this.connectedSecond = 0;
    this.connectedNano = 0;
  }

  /** A client connected at {@code at}, named {@code <address>:<port>@<at>} (built when logged, not held). */
  PeerState(SyncConnection connection, Instant at) {
    this.fixedName = null;
    this.connection = connection;
    this.connectedSecond = at.getEpochSecond();
    this.connectedNano = at.getNano();
  }

  /** True for the source of content read from other regions (not a client). */
  boolean fromOtherRegions() {
    return connection.channel == null;
  }

  /** The tables, created on first use (any thread). */
  private Tables tables() {
    Tables t = tables;
    if (t == null) {
      synchronized (this) {
        if ((t = tables) == null) tables = t = new Tables();
      }
    }
    return t;
  }

  /** Whether the tables exist yet (tests). */
  boolean holdsTables() {
    return tables != null;
  }

  /** The client's known state of {@code coValueId}, or null when it never said or got anything of it. */
  KnownState known(String coValueId) {
    Tables t = tables;
    return t == null ? null : t.known.get(coValueId);
  }

  boolean subscribed(String coValueId) {
    Tables t = tables;
    return t != null && t.known.containsKey(coValueId);
  }

  private Map<String, KnownState> knownForWrite() {
    return tables().known;
  }

  /** CoValues a send to this peer is being cut for; a second request while one runs is folded into a rerun. */
  LazyKeySet sending() {
    return tables().sending;
  }

  LazyKeySet sendAgain() {
    return tables().sendAgain;
  }

  LazyKeySet forceAgain() {
    return tables().forceAgain;
  }

  /** CoValues we have sent this client a known state or content of ({@code toldKnownState}). */
  LazyKeySet told() {
    return tables().told;
  }

  /** This client's storage reads (activations it caused, content cut for it): they run in order. */
  StorageReaders.Lane reads() {
    return tables().reads;
  }

  /** {@code load} and {@code known isCorrection}: the client's word replaces our view. */
  void replace(KnownState k) {
    if (knownForWrite().put(k.id(), k) == null) subscribedTo(k.id());
  }

  /** {@code known}: counts only grow ({@code combineKnownStates}). */
  void merge(KnownState k) {
    Map<String, KnownState> known = knownForWrite();
    KnownState before = known.get(k.id());
    known.put(k.id(), before == null ? k : max(before, k));
    if (before == null) subscribedTo(k.id());
  }

  /** The client holds what this message carries (it sent it, or we did). */
  void holds(ContentMessage m) {
    Map<String, KnownState> known = knownForWrite();
    KnownState before = known.get(m.id());
    KnownState k = before == null ? KnownState.empty(m.id()) : before;
    if (m.header() != null) k = k.withHeader(true);
    for (Map.Entry<String, SessionNewContent> e : m.sessions().entrySet()) {
      if (e.getValue().end() > k.count(e.getKey())) k = k.withSession(e.getKey(), e.getValue().end());
    }
    known.put(m.id(), k);
    if (before == null) subscribedTo(m.id());
  }

  /** The first known state of {@code id}: the client follows it from now on. */
  private void subscribedTo(String id) {
    if (engine != null) engine.subscribers().add(id, this);
  }

  /** The CoValues the client follows (engine thread). */
  Iterable<String> subscriptions() {
    Tables t = tables;
    return t == null ? java.util.List.of() : t.known.keySet();
  }

  void markErrored(String coValueId) {
    tables().errored.add(coValueId);
  }

  boolean errored(String coValueId) {
    Tables t = tables;
    return t != null && t.errored.contains(coValueId);
  }

  static KnownState max(KnownState a, KnownState b) {
    KnownState out = a.withHeader(a.header() || b.header());
    for (Map.Entry<String, Long> e : b.sessions().entrySet()) {
      if (e.getValue() > out.count(e.getKey())) out = out.withSession(e.getKey(), e.getValue());
    }
    return out;
  }

  @Override
  public String toString() {
    if (fixedName != null) return fixedName;
    SocketAddress remote = connection.channel.remoteAddress();
    StringBuilder sb = new StringBuilder(64); // one builder for the whole name (it is built for every log line)
    if (remote instanceof InetSocketAddress a) sb.append(a.getHostString()).append(':').append(a.getPort());
    else sb.append(remote);
    return IsoInstant.append(sb.append('@'), connectedSecond, connectedNano).toString();
  }
}
