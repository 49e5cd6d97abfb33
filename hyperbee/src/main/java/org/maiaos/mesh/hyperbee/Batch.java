package org.maiaos.mesh.hyperbee;

import java.util.Optional;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Operations that become blocks together: each put or del is applied to an in-memory tree at once
 * (so {@link #get} sees it), and {@link #flush()} appends all their blocks in one atomic core append,
 * trimmed exactly as JS {@code bee.batch()} trims them. The first operation takes the bee's write
 * lock and holds it until flush or close, so a batch belongs to one thread; close without flush
 * discards the operations (the header block, if the first operation wrote it, stays).
 */
public final class Batch<K, V> implements AutoCloseable {
  private final Hyperbee<K, V> bee;
  private final TreeBatch tree;
  private boolean locked;
  private boolean closed;

  Batch(Hyperbee<K, V> bee) {
    this.bee = bee;
    this.tree = TreeBatch.write(bee.bee, bee.config, false);
  }

  private void lock() {
    if (closed) throw CoreError.SESSION_CLOSED.error("the batch was flushed or closed");
    if (!locked) {
      bee.bee.lock();
      locked = true;
    }
  }

  public boolean put(K key, V value) {
    return put(key, value, null);
  }

  /** Queues a put; returns whether it produced a block. */
  public boolean put(K key, V value, Hyperbee.Cas<K, V> cas) {
    byte[] k = bee.encodeKey(key);
    byte[] v = bee.encodeValue(value);
    lock();
    return tree.put(k, v, bee.cas(cas, key, value));
  }

  public boolean del(K key) {
    return del(key, null);
  }

  /** Queues a del; returns whether it produced a block. */
  public boolean del(K key, Hyperbee.Cas<K, V> cas) {
    byte[] k = bee.encodeKey(key);
    lock();
    return tree.del(k, bee.cas(cas, key, null));
  }

  /** The entry of {@code key} including this batch's pending operations. */
  public Optional<Entry<K, V>> get(K key) {
    if (closed) throw CoreError.SESSION_CLOSED.error("the batch was flushed or closed");
    return Optional.ofNullable(bee.entry(tree.get(bee.encodeKey(key))));
  }

  /** Blocks queued so far. */
  public int length() {
    return tree.pendingLength();
  }

  /** The version the bee will have after flush. */
  public long version() {
    return tree.version();
  }

  /** Appends the queued blocks atomically and releases the lock. */
  public void flush() {
    if (closed) return;
    boolean wrote;
    try {
      wrote = tree.flush();
    } finally {
      release();
    }
    if (wrote) bee.bee.notifyAppend();
  }

  /** Discards what was not flushed and releases the lock. */
  @Override
  public void close() {
    if (closed) return;
    tree.close();
    release();
  }

  private void release() {
    closed = true;
    if (locked) {
      locked = false;
      bee.bee.unlock();
    }
  }
}
