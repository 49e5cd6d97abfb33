package org.maiaos.mesh.node.mesh;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.maiaos.mesh.hyperswarm.swarm.PeerDiscovery;

/**
 * Announces and looks the mesh topic up again, sooner than Hyperswarm's own 10-minute refresh:
 * nodes that join at the same moment each look up before the others' announces are stored, and a
 * node that found one of several regions would not find the rest for 10 minutes. So a node looks
 * up again after 2 s, then 4, 8 ... up to every 60 s for as long as it runs, and starts over at 2 s
 * whenever it has fewer peer regions connected than at the last look. A lookup is one small DHT
 * query; the swarm keeps one connection per peer whatever a lookup finds again.
 */
final class TopicRefresh implements AutoCloseable {
  static final long FIRST_MILLIS = 2_000;
  static final long MAX_MILLIS = 60_000;

  private final PeerDiscovery discovery;
  private final IntSupplier connected;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mesh-topic-refresh");
    t.setDaemon(true);
    return t;
  });
  private long delay = FIRST_MILLIS;
  private int lastConnected;

  /** {@code connected}: how many peer regions are connected now. */
  public TopicRefresh(PeerDiscovery discovery, IntSupplier connected) {
    this.discovery = discovery;
    this.connected = connected;
    timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    int now = connected.getAsInt();
    delay = now < lastConnected ? FIRST_MILLIS : Math.min(delay * 2, MAX_MILLIS);
    lastConnected = now;
    try {
      discovery.refresh(true, true);
    } catch (RuntimeException e) {
      return; // the discovery is gone (the node is stopping)
    }
    timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
