package org.maiaos.mesh.hyperswarm.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The connect queue ({@code shuffled-priority-queue}): the highest priority first, a random one
 * among equals, so that peers found together are not dialled in announce order.
 */
final class PeerQueue {
  private final List<List<PeerInfo>> buckets = new ArrayList<>();
  private final Random random;
  private int size;

  PeerQueue(Random random) {
    this.random = random;
    for (int i = 0; i <= PeerInfo.VERY_HIGH; i++) buckets.add(new ArrayList<>());
  }

  void add(PeerInfo p) {
    buckets.get(p.priority).add(p);
    size++;
  }

  PeerInfo shift() {
    for (int i = buckets.size() - 1; i >= 0; i--) {
      List<PeerInfo> b = buckets.get(i);
      if (b.isEmpty()) continue;
      int at = random.nextInt(b.size());
      PeerInfo p = b.get(at);
      b.set(at, b.get(b.size() - 1)); // swap-remove: O(1)
      b.remove(b.size() - 1);
      size--;
      return p;
    }
    return null;
  }

  int size() {
    return size;
  }

  void clear() {
    for (List<PeerInfo> b : buckets) b.clear();
    size = 0;
  }
}
