package org.maiaos.mesh.node.mesh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.replication.HeadListener;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a peer region's bee whole ({@code --mirror}): downloads every block it lacks, then every
 * block the region appends, each verified as always, so that this node can serve the region's
 * CoValues while the region is down (a read of a region that is not connected is answered from
 * what its replica holds). One download runs at a time; an append during one starts the next
 * when it ends; a failed one (no peer) is tried again after {@link #RETRY_MILLIS} or at the next
 * append.
 */
final class Mirror implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
  static final long RETRY_MILLIS = 5_000;

  private final String region;
  private final Replicator replicator;
  private final Hypercore core;
  private final HeadListener onHead = (before, now) -> catchUp();
  /** Every block below this index is held. */
  private final AtomicLong held = new AtomicLong();
  private boolean running;
  private boolean again;
  private volatile boolean closed;

  Mirror(String region, Replicator replicator) {
    this.region = region;
    this.replicator = replicator;
    this.core = replicator.core();
    core.replication().addHeadListener(onHead);
    catchUp();
  }

  /** Blocks held from the start of the bee on, without a gap. */
  long heldBlocks() {
    return held.get();
  }

  /** True once every block of the length known here is held. */
  boolean complete() {
    return held.get() >= core.length();
  }

  private void catchUp() {
    long from;
    long to;
    synchronized (this) {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      from = held.get();
      to = core.length();
      if (from >= to) return;
      running = true;
      again = false;
    }
    CompletableFuture<Void> d = replicator.download(from, to);
    d.whenComplete((v, e) -> {
      boolean next;
      synchronized (this) {
        running = false;
        if (e == null) held.accumulateAndGet(to, Math::max);
        next = again || core.length() > held.get();
      }
      if (e != null) {
        LOG.info("mirror of region {}: download of {}..{} stopped ({}); trying again in {} ms", region, from, to, e.getMessage(), RETRY_MILLIS);
        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::catchUp);
      } else if (next) {
        catchUp();
      }
    });
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    core.replication().removeHeadListener(onHead);
  }
}
