package org.maiaos.mesh.node.mesh;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.maiaos.mesh.hyperswarm.swarm.PeerDiscovery;

/**
 * Looks the mesh topic up again while a node has no peer region connected. Hyperswarm refreshes a
 * topic every 10 minutes; two nodes that join at the same moment each look up before the other's
 * announce is stored and would not meet for that long. So a lone node announces and looks up
 * again after 2 s, then 4, 8 ... up to 60 s between tries, and stops trying once it has a peer
 * (the swarm's own retries take over); it starts again if it is left alone.
 */
public final class RejoinWhileAlone implements AutoCloseable {
  static final long FIRST_MILLIS = 2_000;
  static final long MAX_MILLIS = 60_000;

  private final PeerDiscovery discovery;
  private final BooleanSupplier alone;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mesh-rejoin");
    t.setDaemon(true);
    return t;
  });
  private long delay = FIRST_MILLIS;

  public RejoinWhileAlone(PeerDiscovery discovery, BooleanSupplier alone) {
    this.discovery = discovery;
    this.alone = alone;
    timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (alone.getAsBoolean()) {
      try {
        discovery.refresh(true, true);
      } catch (RuntimeException e) {
        return; // the discovery is gone (the node is stopping)
      }
      delay = Math.min(delay * 2, MAX_MILLIS);
    } else {
      delay = FIRST_MILLIS;
    }
    timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
