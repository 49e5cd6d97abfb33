package org.maiaos.mesh.cojson.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * Internal. What a peer that knows nothing of a dependency is sent for it (its pieces, and before
 * them those of its own dependencies), cut once and kept for the next such peer. Every client of a
 * group-owned value needs the group and its members' accounts, and a server that takes a wave of
 * fresh connections read and parsed the same few groups and accounts again for each one. Measured
 * on 2,000 loads by peers that know nothing (value, group, account, encoded; median of 8 rounds):
 * 27.5 us a load without cuts, 14.0 us with; 72.8 and 23.9 us with a group of 20 members.
 *
 * <p>A cut keeps the state of every value it covers as its pieces show it (header and session
 * counts, or "not stored"). The engine serves it only while storage reports exactly those states,
 * and only to a peer that knows nothing of any of them and has not been sent any of them in this
 * send: sessions only grow, so the same counts mean the same transactions, and the same inputs give
 * what a fresh read would. Bounded by bytes (transaction text plus a fixed amount per cut, message
 * and covered value), the least recently used out first. A dependency too big to keep is
 * remembered as such until it changes, so that it is not cut again for every peer.
 */
final class DependencyCuts {
  /** Bytes kept over all cuts at most (transaction text and {@link #OVERHEAD_BYTES}). */
  static final long MAX_BYTES = 8L << 20;
  /** A dependency with more transaction text than this is not kept: it is read for each peer, as before. */
  static final long MAX_CUT_BYTES = 256L << 10;
  /** Counted per cut, message and covered value beside the transaction text, so that the entries are bounded too. */
  static final long OVERHEAD_BYTES = 256;

  /**
   * @param messages what the empty peer is sent, in order; null when the cut was too big to keep
   * @param covers   every value the send visited, with its stored state (null: not stored)
   */
  record Cut(List<ContentMessage> messages, Map<String, KnownState> covers, long bytes) {}

  private final LinkedHashMap<String, Cut> cuts = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long served;

  synchronized Cut get(String id) {
    return cuts.get(id);
  }

  synchronized void put(String id, Cut cut) {
    Cut had = cuts.put(id, cut);
    if (had != null) bytes -= had.bytes();
    bytes += cut.bytes();
    var it = cuts.values().iterator();
    while (bytes > MAX_BYTES && it.hasNext()) {
      Cut oldest = it.next();
      it.remove();
      bytes -= oldest.bytes();
    }
  }

  synchronized void clear() {
    cuts.clear();
    bytes = 0;
  }

  synchronized int size() {
    return cuts.size();
  }

  synchronized void countServed() {
    served++;
  }

  /** How many times a cut was sent instead of a read. */
  synchronized long served() {
    return served;
  }

  /**
   * The cut from what an empty peer was sent ({@code messages}) and the values the send visited:
   * each sent value's state is read off its pieces, those sent nothing were not stored.
   */
  static Cut of(List<ContentMessage> messages, Iterable<String> visited) {
    Map<String, KnownState> covers = new LinkedHashMap<>();
    for (String v : visited) covers.put(v, null);
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    long n = 0;
    for (ContentMessage m : messages) {
      Map<String, Long> sessions = counts.computeIfAbsent(m.id(), k -> new LinkedHashMap<>());
      for (Map.Entry<String, SessionNewContent> s : m.sessions().entrySet()) {
        sessions.merge(s.getKey(), s.getValue().end(), Math::max);
        for (Transaction t : s.getValue().newTransactions()) n += t.raw().length();
      }
    }
    counts.forEach((v, sessions) -> covers.put(v, new KnownState(v, true, sessions)));
    return new Cut(List.copyOf(messages), Collections.unmodifiableMap(covers), n + OVERHEAD_BYTES * (1 + messages.size() + covers.size()));
  }

  /** A marker for a dependency with more than {@link #MAX_CUT_BYTES}: read for each peer, not cut again until it changes. */
  static Cut tooBig(String id, KnownState stored) {
    Map<String, KnownState> covers = new LinkedHashMap<>();
    covers.put(id, stored);
    return new Cut(null, Collections.unmodifiableMap(covers), 2 * OVERHEAD_BYTES);
  }

  /** Equal states, ignoring sessions stored with no transaction (a cut's pieces cannot show them). */
  static boolean sameState(KnownState stored, KnownState cut) {
    if (stored == null || cut == null) return stored == cut;
    if (stored.header() != cut.header()) return false;
    int sessions = 0;
    for (Map.Entry<String, Long> s : stored.sessions().entrySet()) {
      if (s.getValue() == 0) continue;
      sessions++;
      if (!s.getValue().equals(cut.sessions().get(s.getKey()))) return false;
    }
    return sessions == cut.sessions().size();
  }
}
