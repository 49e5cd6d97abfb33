package org.maiaos.mesh.node.sync;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Internal. A concurrent set of CoValue ids that allocates its table only when the first id is
 * added: a client that has sent something but, say, never had a value errored costs 16 bytes for
 * that set, not a {@link ConcurrentHashMap} and its key view (88 bytes). Any thread.
 */
final class LazyKeySet {
  private volatile Set<String> set;

  boolean add(String id) {
    Set<String> s = set;
    if (s == null) {
      synchronized (this) {
        if ((s = set) == null) set = s = ConcurrentHashMap.newKeySet();
      }
    }
    return s.add(id);
  }

  boolean remove(String id) {
    Set<String> s = set;
    return s != null && s.remove(id);
  }

  boolean contains(String id) {
    Set<String> s = set;
    return s != null && s.contains(id);
  }
}
