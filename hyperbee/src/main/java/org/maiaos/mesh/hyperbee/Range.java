package org.maiaos.mesh.hyperbee;

/**
 * Bounds of a range read: any of gt/gte/lt/lte (null = unbounded), the direction, and a limit
 * ({@code -1} = none). Immutable; build with {@code Range.<K>all().gte(a).lt(b).reverse()}. As in JS,
 * when both gt and gte (or lt and lte) are set, the exclusive bound wins.
 */
public record Range<K>(K gt, K gte, K lt, K lte, boolean reversed, int limit) {
  public static <K> Range<K> all() {
    return new Range<>(null, null, null, null, false, -1);
  }

  public Range<K> gt(K key) {
    return new Range<>(key, gte, lt, lte, reversed, limit);
  }

  public Range<K> gte(K key) {
    return new Range<>(gt, key, lt, lte, reversed, limit);
  }

  public Range<K> lt(K key) {
    return new Range<>(gt, gte, key, lte, reversed, limit);
  }

  public Range<K> lte(K key) {
    return new Range<>(gt, gte, lt, key, reversed, limit);
  }

  public Range<K> reverse() {
    return reverse(true);
  }

  public Range<K> reverse(boolean r) {
    return new Range<>(gt, gte, lt, lte, r, limit);
  }

  public Range<K> limit(int n) {
    if (n < -1) throw org.maiaos.mesh.hypercore.CoreError.BAD_ARGUMENT.error("limit %d", n);
    return new Range<>(gt, gte, lt, lte, reversed, n);
  }
}
