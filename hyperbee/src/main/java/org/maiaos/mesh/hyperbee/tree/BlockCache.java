package org.maiaos.mesh.hyperbee.tree;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decoded blocks of one core, bounded by an approximate byte budget and evicted by CLOCK (second
 * chance), an approximation of least-recently-used. A hit is a lock-free map read plus setting the
 * block's reference bit: a get walks a dozen blocks, and an access-ordered map under a lock made
 * that bookkeeping the most expensive part of a warm read. Misses (which read and decode a block
 * anyway) take the lock. Entries are immutable {@link NodeBlock}s, so one cache serves a bee and
 * all its views; it is cleared when the core's fork changes (a truncation may give a seq new
 * contents).
 */
public final class BlockCache {
  private final long maxBytes;
  private final ConcurrentHashMap<Long, NodeBlock> map = new ConcurrentHashMap<>();
  private final ArrayDeque<NodeBlock> clock = new ArrayDeque<>(); // guarded by this, insertion order
  private long bytes; // guarded by this
  private volatile long fork;

  public BlockCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  NodeBlock get(long fork, long seq) {
    if (fork != this.fork) return null;
    NodeBlock b = map.get(seq);
    if (b != null) b.referenced = true;
    return b;
  }

  /** Caches {@code block} unless its seq is cached already; returns the cached one. */
  synchronized NodeBlock put(long fork, NodeBlock block) {
    if (maxBytes <= 0) return block;
    if (fork != this.fork) {
      clearLocked();
      this.fork = fork;
    }
    NodeBlock had = map.putIfAbsent(block.seq(), block);
    if (had != null) return had; // another reader decoded it first
    bytes += block.weight();
    clock.addLast(block);
    int chances = clock.size(); // bounds the sweep even while readers keep setting bits
    while (bytes > maxBytes && !clock.isEmpty()) {
      NodeBlock victim = clock.pollFirst();
      if (victim.referenced && victim != block && chances-- > 0) {
        victim.referenced = false;
        clock.addLast(victim);
        continue;
      }
      map.remove(victim.seq(), victim);
      bytes -= victim.weight();
    }
    return block;
  }

  public synchronized void clear() {
    clearLocked();
  }

  private void clearLocked() {
    map.clear();
    clock.clear();
    bytes = 0;
  }

  public int size() {
    return map.size();
  }
}
