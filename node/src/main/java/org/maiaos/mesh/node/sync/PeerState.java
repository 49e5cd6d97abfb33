package org.maiaos.mesh.node.sync;

import java.util.Map;
import java.util.Set;
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
 */
final class PeerState {
  final String id;
  final SyncConnection connection;
  private final Map<String, KnownState> known = new ConcurrentHashMap<>();
  private final Set<String> errored = ConcurrentHashMap.newKeySet();
  /** CoValues a send to this peer is being cut for; a second request while one runs is folded into a rerun. */
  final Set<String> sending = ConcurrentHashMap.newKeySet();
  final Set<String> sendAgain = ConcurrentHashMap.newKeySet();
  final Set<String> forceAgain = ConcurrentHashMap.newKeySet();
  /** CoValues we have sent this client a known state or content of ({@code toldKnownState}). */
  final Set<String> told = ConcurrentHashMap.newKeySet();
  volatile boolean closed;

  PeerState(String id, SyncConnection connection) {
    this.id = id;
    this.connection = connection;
  }

  /** True for the source of content read from other regions (not a client). */
  boolean fromOtherRegions() {
    return connection.channel == null;
  }

  /** The client's known state of {@code coValueId}, or null when it never said or got anything of it. */
  KnownState known(String coValueId) {
    return known.get(coValueId);
  }

  boolean subscribed(String coValueId) {
    return known.containsKey(coValueId);
  }

  /** {@code load} and {@code known isCorrection}: the client's word replaces our view. */
  void replace(KnownState k) {
    known.put(k.id(), k);
  }

  /** {@code known}: counts only grow ({@code combineKnownStates}). */
  void merge(KnownState k) {
    known.merge(k.id(), k, PeerState::max);
  }

  /** The client holds what this message carries (it sent it, or we did). */
  void holds(ContentMessage m) {
    KnownState k = known.getOrDefault(m.id(), KnownState.empty(m.id()));
    if (m.header() != null) k = k.withHeader(true);
    for (Map.Entry<String, SessionNewContent> e : m.sessions().entrySet()) {
      if (e.getValue().end() > k.count(e.getKey())) k = k.withSession(e.getKey(), e.getValue().end());
    }
    known.put(m.id(), k);
  }

  void markErrored(String coValueId) {
    errored.add(coValueId);
  }

  boolean errored(String coValueId) {
    return errored.contains(coValueId);
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
    return id;
  }
}
