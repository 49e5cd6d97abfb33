package org.maiaos.mesh.hyperbee.tree;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;

/**
 * What a bee and all its views (subs, checkouts, snapshots) share: the core, the decoded-block cache
 * and the write lock (hyperbee shares {@code lock} the same way). Blocks are read only through
 * {@link Hypercore#get(long)}, one at a time and only those a walk needs, so that on a sparse replica
 * a read fetches just the blocks on its path.
 */
public final class BeeCore {
  private final Hypercore core;
  private final BlockCache cache;
  private final ReentrantLock lock = new ReentrantLock();
  private final Duration lockTimeout;
  private final AtomicLong blockReads = new AtomicLong();
  private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

  public BeeCore(Hypercore core, long cacheBytes, Duration lockTimeout) {
    this.core = core;
    this.cache = new BlockCache(cacheBytes);
    this.lockTimeout = lockTimeout;
  }

  public Hypercore core() {
    return core;
  }

  public BlockCache cache() {
    return cache;
  }

  /** How many blocks were read from the core (cache misses) so far. */
  public long blockReads() {
    return blockReads.get();
  }

  /** The observer of the blocks this thread's reads visit, while {@link #traced} runs. */
  private static final ThreadLocal<java.util.function.LongConsumer> VISITS = new ThreadLocal<>();

  /**
   * Runs {@code read} on this thread and tells {@code visited} the seq of every node block it
   * visits, from the cache or not (hyperbee's {@code onseq}): what a writer sends ahead of a
   * sparse reader's walk. {@code visited} may throw to cut the read short.
   */
  public static <T> T traced(java.util.function.LongConsumer visited, java.util.function.Supplier<T> read) {
    java.util.function.LongConsumer outer = VISITS.get();
    VISITS.set(visited);
    try {
      return read.get();
    } finally {
      if (outer == null) VISITS.remove();
      else VISITS.set(outer);
    }
  }

  /** The Node block at {@code seq} (1 ≤ seq); from the cache, else read from the core and decoded. */
  public NodeBlock node(long seq) {
    if (seq < 1) throw CoreError.DECODING_ERROR.error("block %d is the header, not a node", seq);
    java.util.function.LongConsumer visits = VISITS.get();
    if (visits != null) visits.accept(seq);
    long fork = core.fork();
    NodeBlock b = cache.get(fork, seq);
    if (b != null) return b;
    byte[] raw = core.get(seq);
    blockReads.incrementAndGet();
    return cache.put(fork, BlockCodec.decodeNode(seq, raw));
  }

  /**
   * Takes the write lock, waiting at most the configured timeout. A thread that already holds it
   * (an open batch) may not write around its own batch: hyperbee would deadlock there.
   */
  public void lock() {
    if (lock.isHeldByCurrentThread()) {
      throw CoreError.INVALID_OPERATION.error("this thread holds the bee's write lock through an open batch; flush or close it first");
    }
    try {
      if (!lock.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw CoreError.REQUEST_TIMEOUT.error("the bee's write lock was not free within %s", lockTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "interrupted while waiting for the bee's write lock");
    }
  }

  public void unlock() {
    lock.unlock();
  }

  /** Registers a listener run after every write through this bee or its views. */
  public void addAppendListener(Runnable r) {
    appendListeners.add(r);
  }

  public void removeAppendListener(Runnable r) {
    appendListeners.remove(r);
  }

  /** Runs the append listeners; called by writers after they released the lock. */
  public void notifyAppend() {
    for (Runnable r : appendListeners) r.run();
  }
}
