package org.maiaos.mesh.bench.mesh;

import java.util.Arrays;
import java.util.Locale;

/** Samples in microseconds (may be negative: one agent's clock minus another's), summarised by nearest rank. */
record Stats(long[] sorted) {
  static Stats of(long[] micros) {
    long[] s = micros.clone();
    Arrays.sort(s);
    return new Stats(s);
  }

  int count() {
    return sorted.length;
  }

  /** The {@code p}th percentile in ms, nearest rank. */
  double ms(double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
  }

  double median() {
    return ms(50);
  }

  double p99() {
    return ms(99);
  }

  double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0] / 1000.0;
  }

  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "median %.1f ms, p99 %.1f ms (min %.1f, max %.1f, n=%d)", median(), p99(), min(), max(), count());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stats s && Arrays.equals(sorted, s.sorted);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sorted);
  }
}
