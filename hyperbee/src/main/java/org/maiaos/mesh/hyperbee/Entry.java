package org.maiaos.mesh.hyperbee;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a bee: the seq of the block that holds it, its key and its value (null for a put of
 * null), decoded with the bee's encodings. With the binary encoding the arrays are fresh copies.
 */
public record Entry<K, V>(long seq, K key, V value) {
  @Override
  public boolean equals(Object o) {
    return o instanceof Entry<?, ?> e && seq == e.seq && Objects.deepEquals(key, e.key) && Objects.deepEquals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seq) * 31 + Arrays.deepHashCode(new Object[] {key, value});
  }

  @Override
  public String toString() {
    return "Entry[seq=" + seq + ", key=" + show(key) + ", value=" + show(value) + "]";
  }

  static String show(Object o) {
    return o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(o);
  }
}
