package org.maiaos.mesh.hyperbee;

/** One block of a bee's history: a put or a deletion of {@code key} at {@code seq}. */
public record HistoryEntry<K, V>(Type type, long seq, K key, V value) {
  /** What the block did. A put of null is a {@code PUT} with a null value. */
  public enum Type { PUT, DEL }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry<?, ?> h && type == h.type && seq == h.seq
        && java.util.Objects.deepEquals(key, h.key) && java.util.Objects.deepEquals(value, h.value);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(type, seq) * 31 + java.util.Arrays.deepHashCode(new Object[] {key, value});
  }

  @Override
  public String toString() {
    return "HistoryEntry[" + type + ", seq=" + seq + ", key=" + Entry.show(key) + ", value=" + Entry.show(value) + "]";
  }
}
