package org.maiaos.mesh.hyperbee.iterate;

import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;

/**
 * The blocks of a version in seq order (or reverse), as iterators/history.js. Bounds follow JS,
 * including its quirks: a bound of 0 counts as absent (except that lt/lte = 0 give nothing), and a
 * negative bound is relative to the version.
 */
public final class HistoryIterator {
  private final TreeBatch batch;
  private final boolean reverse;
  private int limit;
  private long gte;
  private long lt;

  /** Bounds are null when absent. */
  public HistoryIterator(TreeBatch batch, Long gt, Long gte, Long lt, Long lte, boolean reverse, int limit) {
    this.batch = batch;
    this.reverse = reverse;
    this.limit = limit;
    long version = batch.version();
    this.gte = lower(gt, gte, version);
    this.lt = upper(lt, lte, version);
  }

  private static boolean truthy(Long v) {
    return v != null && v != 0;
  }

  private static long lower(Long gt, Long gte, long version) {
    if (truthy(gt)) return (gt < 0 ? gt + version : gt) + 1;
    long g = truthy(gte) ? gte : 1;
    return g < 0 ? g + version : g;
  }

  private static long upper(Long lt, Long lte, long version) {
    if ((lte != null && lte == 0) || (lt != null && lt == 0)) return 0;
    if (truthy(lte)) return (lte < 0 ? lte + version : lte) + 1;
    long l = truthy(lt) ? lt : version;
    return l < 0 ? l + version : l;
  }

  /** The next block, or null. */
  public BlockEntry next() {
    if (limit == 0) return null;
    if (limit > 0) limit--;
    if (gte >= lt) return null;
    if (reverse) {
      if (lt <= 1) return null;
      return batch.getBlock(--lt);
    }
    return batch.getBlock(gte++);
  }
}
