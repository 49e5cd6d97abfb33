package org.maiaos.mesh.hyperswarm.dht;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded map whose entries expire {@code maxAgeMillis} after they were last set (as
 * {@code xache} in JS): insertion order is expiry order, so expired and surplus entries both leave
 * from the head. Time comes from the node's scheduler clock. Not thread-safe: scheduler thread only.
 */
final class TtlCache<K, V> {
  private record Entry<V>(V value, long expires) { }

  private final int maxSize;
  private final long maxAgeMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>();

  TtlCache(int maxSize, long maxAgeMillis, LongSupplier clock) {
    if (maxSize < 1 || maxAgeMillis < 1) throw new IllegalArgumentException("maxSize and maxAge must be positive");
    this.maxSize = maxSize;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  V get(K k) {
    Entry<V> e = map.get(k);
    if (e == null) return null;
    if (e.expires <= clock.getAsLong()) {
      map.remove(k);
      return null;
    }
    return e.value;
  }

  void set(K k, V v) {
    map.remove(k); // re-setting moves the entry to the tail with a fresh age
    map.put(k, new Entry<>(v, clock.getAsLong() + maxAgeMillis));
    sweep();
  }

  V remove(K k) {
    Entry<V> e = map.remove(k);
    return e == null ? null : e.value;
  }

  int size() {
    sweep();
    return map.size();
  }

  private void sweep() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<K, Entry<V>> head = it.next();
      if (map.size() <= maxSize && head.getValue().expires > now) break;
      it.remove();
    }
  }
}
