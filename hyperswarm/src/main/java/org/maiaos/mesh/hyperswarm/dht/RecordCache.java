package org.maiaos.mesh.hyperswarm.dht;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/**
 * The announce records a storer holds, per target and per public key (as {@code record-cache} in
 * JS): bounded in total, each record expiring {@code maxAgeMillis} after its last announce. The
 * global insertion order is the expiry order, so one sweep from the head drops both expired and
 * surplus records. Scheduler thread only.
 */
final class RecordCache {
  private record Slot(Key32 target, Key32 publicKey) { }

  private record Entry(PeerRecord record, long expires) { }

  private final int maxSize;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<Slot, Entry> all = new LinkedHashMap<>();
  private final Map<Key32, LinkedHashMap<Key32, PeerRecord>> byTarget = new HashMap<>();

  RecordCache(int maxSize, long maxAgeMillis, LongSupplier clock) {
    this.maxSize = maxSize;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  void add(Key32 target, PeerRecord record) {
    Slot s = new Slot(target, record.publicKey());
    all.remove(s);
    all.put(s, new Entry(record, clock.getAsLong() + maxAgeMillis));
    LinkedHashMap<Key32, PeerRecord> m = byTarget.computeIfAbsent(target, t -> new LinkedHashMap<>());
    m.remove(record.publicKey()); // a re-announce becomes the newest
    m.put(record.publicKey(), record);
    sweep();
  }

  void remove(Key32 target, Key32 publicKey) {
    if (all.remove(new Slot(target, publicKey)) != null) unindex(target, publicKey);
  }

  /** Up to {@code max} live records for {@code target}, most recently announced first. */
  List<PeerRecord> get(Key32 target, int max) {
    sweep();
    LinkedHashMap<Key32, PeerRecord> m = byTarget.get(target);
    if (m == null) return new ArrayList<>();
    List<PeerRecord> l = new ArrayList<>(m.values());
    java.util.Collections.reverse(l);
    return new ArrayList<>(l.subList(0, Math.min(max, l.size())));
  }

  int size() {
    sweep();
    return all.size();
  }

  private void unindex(Key32 target, Key32 publicKey) {
    LinkedHashMap<Key32, PeerRecord> m = byTarget.get(target);
    if (m == null) return;
    m.remove(publicKey);
    if (m.isEmpty()) byTarget.remove(target);
  }

  private void sweep() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<Slot, Entry>> it = all.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Slot, Entry> head = it.next();
      if (all.size() <= maxSize && head.getValue().expires > now) break;
      it.remove();
      unindex(head.getKey().target, head.getKey().publicKey);
    }
  }
}
