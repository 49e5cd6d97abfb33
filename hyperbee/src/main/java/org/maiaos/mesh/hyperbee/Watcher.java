package org.maiaos.mesh.hyperbee;

import java.util.function.BiConsumer;

/**
 * Watches a range of a bee (hyperbee's {@code watch}): after each write, and on {@link #check()},
 * compares a snapshot of the current version with the previous one and, when an entry in the range
 * differs (or the core's fork changed), calls the listener with {@code (current, previous)}. The
 * listener runs on the writing thread, after the write lock is released.
 */
public final class Watcher<K, V> implements AutoCloseable {
  private final Hyperbee<K, V> bee;
  private final Range<K> range;
  private final BiConsumer<Hyperbee<K, V>, Hyperbee<K, V>> onChange;
  private final Runnable hook = this::check;
  private Hyperbee<K, V> current;
  private long fork;
  private boolean closed;

  Watcher(Hyperbee<K, V> bee, Range<K> range, BiConsumer<Hyperbee<K, V>, Hyperbee<K, V>> onChange) {
    this.bee = bee;
    this.range = range;
    this.onChange = onChange;
    this.current = bee.snapshot();
    this.fork = bee.core().fork();
    bee.beeCore().addAppendListener(hook);
  }

  /** Looks for changes since the last look; returns whether the listener was called. */
  public boolean check() {
    Hyperbee<K, V> previous;
    Hyperbee<K, V> now;
    boolean forked;
    synchronized (this) {
      if (closed) return false;
      long f = bee.core().fork();
      if (f == fork && bee.version() == current.version()) return false;
      previous = current;
      now = bee.snapshot();
      forked = f != fork;
      current = now;
      fork = f;
    }
    if (!forked && !now.diff(previous, range.limit(1)).hasNext()) return false;
    onChange.accept(now, previous);
    return true;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    bee.beeCore().removeAppendListener(hook);
    bee.removeWatcher(this);
  }
}
