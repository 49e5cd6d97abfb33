package org.maiaos.mesh.hyperswarm.replication;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Request ids of one replicator, shared by all its peers: 1, 2, ... with freed ids reused, as JS
 * does (id 0 is reserved for unsolicited data). Owned by the replicator thread.
 */
final class InflightTracker {
  private final Map<Long, InflightRequest> inflight = new HashMap<>();
  private final ArrayDeque<Long> free = new ArrayDeque<>();
  private long next = 1;

  long add(InflightRequest request) {
    long id = free.isEmpty() ? next++ : free.poll();
    inflight.put(id, request);
    return id;
  }

  InflightRequest get(long id) {
    return inflight.get(id);
  }

  InflightRequest remove(long id) {
    InflightRequest r = inflight.remove(id);
    if (r != null) free.add(id);
    return r;
  }

  Collection<InflightRequest> all() {
    return inflight.values();
  }

  int size() {
    return inflight.size();
  }
}
