package org.maiaos.mesh.node.sync;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Internal. Per CoValue, the clients that follow it (those with a known state of it), in the
 * order they started to: what a push or a forward of new content walks. Walking every connected
 * client instead made each stored transaction cost two lookups per client (20,000 with 10,000
 * connected), whatever few followed it. Engine thread only.
 */
final class Subscribers {
  private static final PeerState[] NONE = new PeerState[0];
  private final Map<String, Set<PeerState>> byValue = new HashMap<>();

  void add(String id, PeerState p) {
    byValue.computeIfAbsent(id, k -> new LinkedHashSet<>(4)).add(p);
  }

  /** The followers of {@code id}, as a copy: a send may subscribe more while the caller walks it. */
  PeerState[] of(String id) {
    Set<PeerState> s = byValue.get(id);
    return s == null ? NONE : s.toArray(NONE);
  }

  /** A client is gone: it follows nothing any more. */
  void removeAll(PeerState p) {
    for (String id : p.subscriptions()) {
      Set<PeerState> s = byValue.get(id);
      if (s != null && s.remove(p) && s.isEmpty()) byValue.remove(id);
    }
  }

  /** How many CoValues have followers (tests). */
  int values() {
    return byValue.size();
  }
}
