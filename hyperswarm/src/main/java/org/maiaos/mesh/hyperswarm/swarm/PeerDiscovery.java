package org.maiaos.mesh.hyperswarm.swarm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.LookupReply;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;

/**
 * One joined topic ({@code hyperswarm/lib/peer-discovery.js}). As a server it listens and
 * announces the swarm's key under the topic (the first announce clears stale records of ours); as a
 * client it hands every peer the lookup finds to the swarm. Either query runs again every 10 min
 * plus up to 2 min of jitter; switching off the server role runs a lookup that also unannounces,
 * and destroying it unannounces. One discovery per topic: joining again changes its roles.
 */
public final class PeerDiscovery {
  static final long REFRESH_MILLIS = 10 * 60_000;
  static final long REFRESH_JITTER_MILLIS = 2 * 60_000;

  private final Hyperswarm swarm;
  private final Key32 topic;
  private final Scheduler scheduler;
  /** Guarded by this. */
  private boolean server;
  private boolean client;
  private boolean firstAnnounce = true;
  private boolean needsUnannounce;
  private boolean destroyed;
  private int refreshes;
  private CompletableFuture<Void> current = CompletableFuture.completedFuture(null);
  private Scheduler.Cancellable timer;

  PeerDiscovery(Hyperswarm swarm, Key32 topic, Scheduler scheduler) {
    this.swarm = swarm;
    this.topic = topic;
    this.scheduler = scheduler;
  }

  public Key32 topic() {
    return topic;
  }

  public synchronized boolean isServer() {
    return server;
  }

  public synchronized boolean isClient() {
    return client;
  }

  /** Sets the roles and runs the announce or lookup now; completes when it is done (never fails). */
  public CompletableFuture<Void> refresh(boolean server, boolean client) {
    if (!server && !client) throw CoreError.BAD_ARGUMENT.error("neither client nor server");
    synchronized (this) {
      if (destroyed) throw CoreError.INVALID_OPERATION.error("discovery destroyed");
      this.server = server;
      this.client = client;
    }
    return refresh();
  }

  /** Completes once the current announce or lookup is done (JS {@code flushed}). */
  public synchronized CompletableFuture<Void> flushed() {
    return current;
  }

  /** Leaves the topic: stops refreshing and unannounces if we announced. */
  public CompletableFuture<Void> destroy() {
    return swarm.leave(topic);
  }

  synchronized boolean destroyed() {
    return destroyed;
  }

  CompletableFuture<Void> refresh() {
    int clock;
    boolean announce;
    boolean clear;
    boolean unannounce;
    boolean asClient;
    synchronized (this) {
      if (destroyed) return CompletableFuture.completedFuture(null);
      clock = ++refreshes;
      announce = server;
      clear = server && firstAnnounce;
      if (clear) firstAnnounce = false;
      unannounce = !server && needsUnannounce;
      asClient = client;
      if (timer != null) timer.cancel();
    }
    java.util.function.Consumer<LookupReply> onPeers = reply -> {
      if (!asClient || destroyed()) return;
      for (PeerRecord p : reply.peers()) swarm.onPeerFound(p, topic);
    };
    CompletableFuture<?> query;
    if (announce) {
      query = swarm.listen().thenCompose(srv -> {
        synchronized (this) {
          needsUnannounce = true;
        }
        return swarm.dht().announce(topic, swarm.keyPair(), srv.relayAddresses(), clear, onPeers);
      });
    } else if (unannounce) {
      query = swarm.dht().lookupAndUnannounce(topic, swarm.keyPair(), onPeers);
    } else {
      query = swarm.dht().lookup(topic, onPeers);
    }
    CompletableFuture<Void> done = query.handle((v, e) -> {
      synchronized (this) {
        if (e == null && !announce && clock == refreshes) needsUnannounce = false;
        if (!destroyed && clock == refreshes) scheduleRefresh();
      }
      return (Void) null;
    });
    synchronized (this) {
      current = done;
    }
    return done;
  }

  private void scheduleRefresh() {
    long delay = REFRESH_MILLIS + ThreadLocalRandom.current().nextLong(REFRESH_JITTER_MILLIS);
    timer = scheduler.schedule(delay, () -> refresh());
  }

  /** Stops; unannounces if we are listed. Called by the swarm's leave. */
  CompletableFuture<Void> stop() {
    boolean unannounce;
    CompletableFuture<Void> running;
    synchronized (this) {
      if (destroyed) return CompletableFuture.completedFuture(null);
      destroyed = true;
      if (timer != null) timer.cancel();
      unannounce = needsUnannounce;
      needsUnannounce = false;
      running = current;
    }
    if (!unannounce) return CompletableFuture.completedFuture(null);
    return running.thenCompose(v -> swarm.dht().unannounce(topic, swarm.keyPair())).handle((v, e) -> null);
  }
}
