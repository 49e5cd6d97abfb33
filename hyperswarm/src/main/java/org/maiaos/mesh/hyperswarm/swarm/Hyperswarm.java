package org.maiaos.mesh.hyperswarm.swarm;

import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.HyperDhtServer;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.udx.UdxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hyperswarm 4.17 on a {@link HyperDht} ({@code hyperswarm/index.js}): peers meet by topic, and
 * each pair keeps one encrypted connection, handed to the {@link ConnectionHandler} with the
 * secret-stream first in its pipeline, on the channel's event loop and before any data is read,
 * so the handler's own handlers (Protomux) see everything.
 *
 * <p>What is JS's here: the connect queue by priority with at most {@code maxParallel} dials in
 * flight and {@code maxPeers} connections; the retry back-offs and the give-up after the fourth
 * failed attempt ({@link RetryTimer}, {@link PeerInfo}); the firewall, which bans a refused peer;
 * {@link #flush}; and the choice between two connections to one peer: a second connection
 * replaces the first if the first already carried bytes both ways (the peer reconnected), else the
 * one dialled by the peer with the larger public key survives, so both ends keep the same one.
 *
 * <p>Thread-safe: state lives under one lock, never held while the connection handler runs (the
 * firewall predicate runs under it, as JS calls it synchronously: keep it quick). The swarm
 * does not own its DHT node: {@link #close} leaves the topics and closes the connections, the
 * caller closes the node.
 */
public final class Hyperswarm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Hyperswarm.class);

  /** Receives every connection the swarm keeps. */
  @FunctionalInterface
  public interface ConnectionHandler {
    void onConnection(Channel channel, PeerInfo peer);
  }

  /** One connection, open or (a client one) still being dialled. */
  private static final class Conn {
    final Key32 remote;
    final boolean client;
    Channel channel;
    boolean opened;
    boolean closed;
    boolean superseded;

    Conn(Key32 remote, boolean client) {
      this.remote = remote;
      this.client = client;
    }

    long bytesRead() {
      return channel instanceof UdxStream s ? s.bytesRead() : 0;
    }

    long bytesWritten() {
      return channel instanceof UdxStream s ? s.bytesWritten() : 0;
    }
  }

  private record Flush(CompletableFuture<Boolean> done, int tick, int[] missing) {}

  private final HyperDht dht;
  private final KeyPair keyPair;
  private final SwarmOptions opts;
  private final ConnectionHandler handler;
  private final Scheduler scheduler;
  private final RetryTimer retry;
  private final Object lock = new Object();
  // ---- guarded by lock
  private final Map<Key32, PeerDiscovery> discoveries = new HashMap<>();
  private final Map<Key32, PeerInfo> peers = new HashMap<>();
  private final Set<PeerInfo> explicitPeers = new LinkedHashSet<>();
  private final Map<Key32, Conn> allConnections = new HashMap<>();
  private final Set<Conn> connections = new LinkedHashSet<>();
  private final PeerQueue queue;
  private final List<Flush> pendingFlushes = new ArrayList<>();
  private int flushTick;
  private int connecting;
  private int clientConnections;
  private int serverConnections;
  private long attempted;
  private boolean draining;
  private boolean destroyed;
  private CompletableFuture<HyperDhtServer> listening;

  public Hyperswarm(HyperDht dht, KeyPair keyPair, SwarmOptions opts, ConnectionHandler handler) {
    this.dht = dht;
    this.keyPair = keyPair;
    this.opts = opts;
    this.handler = handler;
    this.scheduler = dht.scheduler();
    Random random = new SecureRandom();
    this.retry = new RetryTimer(opts.backoffs(), opts.jitterMillis(), random);
    this.queue = new PeerQueue(random);
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  public HyperDht dht() {
    return dht;
  }

  /** Open connections (dials in flight not counted). */
  public int connectionCount() {
    synchronized (lock) {
      return connections.size();
    }
  }

  /** The peers the swarm tracks: found, connected, explicit or banned. */
  public int peerCount() {
    synchronized (lock) {
      return peers.size();
    }
  }

  /** Dials in flight. */
  public int connectingCount() {
    synchronized (lock) {
      return connecting;
    }
  }

  /** Dials started since the swarm was made (JS {@code stats.connects.client.attempted}). */
  public long attemptedConnections() {
    synchronized (lock) {
      return attempted;
    }
  }

  /** Open connections we dialled and that dialled us. */
  public int clientConnections() {
    synchronized (lock) {
      return clientConnections;
    }
  }

  public int serverConnections() {
    synchronized (lock) {
      return serverConnections;
    }
  }

  public PeerInfo peer(Key32 publicKey) {
    synchronized (lock) {
      return peers.get(publicKey);
    }
  }

  // ---------------------------------------------------------------- topics and peers

  /**
   * Joins {@code topic}: as a server, announce and accept; as a client, look up and dial. Joining
   * a joined topic again sets its roles and refreshes it.
   */
  public PeerDiscovery join(Key32 topic, boolean server, boolean client) {
    PeerDiscovery d;
    synchronized (lock) {
      if (destroyed) throw CoreError.INVALID_OPERATION.error("swarm closed");
      d = discoveries.computeIfAbsent(topic, t -> new PeerDiscovery(this, t, scheduler));
    }
    d.refresh(server, client);
    return d;
  }

  /** Leaves {@code topic}, unannouncing if we announced; connections stay. */
  public CompletableFuture<Void> leave(Key32 topic) {
    PeerDiscovery d;
    synchronized (lock) {
      d = discoveries.remove(topic);
    }
    return d == null ? CompletableFuture.completedFuture(null) : d.stop();
  }

  /** Keeps a connection to {@code publicKey}, retried with back-off for as long as it is joined. */
  public void joinPeer(Key32 publicKey) {
    synchronized (lock) {
      PeerInfo p = upsertPeer(publicKey, null);
      if (p == null) return;
      p.explicit = true;
      explicitPeers.add(p);
      if (allConnections.containsKey(publicKey)) return;
      if (p.updatePriority()) enqueue(p);
    }
  }

  public void leavePeer(Key32 publicKey) {
    synchronized (lock) {
      PeerInfo p = peers.get(publicKey);
      if (p == null) return;
      p.explicit = false;
      explicitPeers.remove(p);
      maybeDeletePeer(p);
    }
  }

  /**
   * Completes with true once every topic's current query is done and every peer queued by then has
   * been dialled (or the peer limit is reached); false if the swarm closes first (JS {@code flush}).
   */
  public CompletableFuture<Boolean> flush() {
    List<CompletableFuture<Void>> flushed = new ArrayList<>();
    synchronized (lock) {
      for (PeerDiscovery d : discoveries.values()) flushed.add(d.flushed());
      if (listening != null) flushed.add(listening.handle((s, e) -> null));
    }
    return CompletableFuture.allOf(flushed.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
      synchronized (lock) {
        if (destroyed) return CompletableFuture.completedFuture(false);
        if (flushAllMaybe()) return CompletableFuture.completedFuture(true);
        int pending = allConnections.size() - connections.size();
        if (queue.size() == 0 && pending == 0) return CompletableFuture.completedFuture(true);
        Flush f = new Flush(new CompletableFuture<>(), flushTick++, new int[] {queue.size() + pending});
        pendingFlushes.add(f);
        return f.done;
      }
    });
  }

  /** Leaves every topic (unannouncing), stops listening and closes every connection; at most 10 s. */
  @Override
  public void close() {
    try {
      closeAsync().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("swarm close: {}", e.toString());
    }
  }

  public CompletableFuture<Void> closeAsync() {
    List<CompletableFuture<?>> steps = new ArrayList<>();
    List<Channel> open = new ArrayList<>();
    CompletableFuture<HyperDhtServer> server;
    synchronized (lock) {
      if (destroyed) return CompletableFuture.completedFuture(null);
      destroyed = true;
      for (PeerDiscovery d : discoveries.values()) steps.add(d.stop());
      discoveries.clear();
      for (Conn c : allConnections.values()) {
        c.superseded = true;
        if (c.channel != null) open.add(c.channel);
      }
      for (Flush f : pendingFlushes) f.done.complete(false);
      pendingFlushes.clear();
      queue.clear();
      server = listening;
    }
    if (server != null) steps.add(server.thenCompose(HyperDhtServer::closeAsync).handle((v, e) -> null));
    for (Channel ch : open) steps.add(toFuture(ch.close()));
    return CompletableFuture.allOf(steps.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null);
  }

  // ---------------------------------------------------------------- package API for PeerDiscovery

  /** Starts listening once; later calls share the first. */
  CompletableFuture<HyperDhtServer> listen() {
    synchronized (lock) {
      if (destroyed) return CompletableFuture.failedFuture(CoreError.INVALID_OPERATION.error("swarm closed"));
      if (listening == null) {
        listening = dht.listen(keyPair, (key, payload, address) -> firewalled(key), opts.streamLimits(),
            this::onServerChannel);
      }
      return listening;
    }
  }

  /** A peer a lookup found under {@code topic} (JS {@code _handlePeer}). */
  void onPeerFound(PeerRecord record, Key32 topic) {
    synchronized (lock) {
      if (destroyed) return;
      PeerInfo p = upsertPeer(record.publicKey(), record.relayAddresses());
      if (p == null) return;
      p.topic(topic);
      if (allConnections.containsKey(p.publicKey())) return;
      if (!p.prioritized() || !p.client) p.reset();
      if (p.updatePriority()) enqueue(p);
    }
  }

  // ---------------------------------------------------------------- connecting (lock held)

  private PeerInfo upsertPeer(Key32 publicKey, List<org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress> relays) {
    if (publicKey.equals(keyPair.publicKey())) return null;
    PeerInfo p = peers.get(publicKey);
    if (p != null) {
      p.relayAddresses = relays == null ? List.of() : relays; // the newest is the best, as JS
      return p;
    }
    if (peers.size() >= maxTrackedPeers()) return null; // a flood of announces cannot grow this without bound
    p = new PeerInfo(publicKey, relays);
    peers.put(publicKey, p);
    return p;
  }

  /** Tracked peers at most: generous next to maxPeers, bounded against a flood of records. */
  private int maxTrackedPeers() {
    return Math.max(1024, opts.maxPeers() * 16);
  }

  private void enqueue(PeerInfo p) {
    if (p.queued) return;
    p.queued = true;
    p.flushTick = flushTick;
    queue.add(p);
    attemptClientConnections();
  }

  private void requeue(PeerInfo p) {
    synchronized (lock) {
      p.waiting = false;
      if (destroyed || !p.updatePriority() || allConnections.containsKey(p.publicKey()) || p.queued) {
        maybeDeletePeer(p);
        return;
      }
      p.queued = true;
      p.flushTick = flushTick;
      queue.add(p);
      attemptClientConnections();
    }
  }

  private boolean withinMaxPeers() {
    int e = explicitPeers.size();
    int factor = e == 0 ? 1 : e < 2 ? 2 : e < 4 ? 3 : 4;
    return factor * allConnections.size() < opts.maxPeers();
  }

  private boolean shouldConnect() {
    return !destroyed && connecting < opts.maxParallel() && withinMaxPeers();
  }

  private void attemptClientConnections() {
    if (draining) return;
    draining = true;
    try {
      long now = scheduler.nowMillis();
      for (PeerInfo p : List.copyOf(explicitPeers)) {
        if (destroyed || connecting >= opts.maxParallel()) break;
        if (p.attempts >= 5 || now - p.disconnectedTime < p.attempts * 1000L) continue;
        connect(p, false);
      }
      while (queue.size() > 0 && shouldConnect()) {
        PeerInfo p = queue.shift();
        p.queued = false;
        connect(p, true);
      }
    } finally {
      draining = false;
    }
    if (connecting == 0) flushAllMaybe();
  }

  private void connect(PeerInfo p, boolean queued) {
    if (p.banned || allConnections.containsKey(p.publicKey()) || firewalled(p.publicKey())) {
      if (queued) flushMaybe(p);
      return;
    }
    Conn conn = new Conn(p.publicKey(), true);
    allConnections.put(p.publicKey(), conn);
    connecting++;
    clientConnections++;
    attempted++;
    CompletableFuture<Channel> dial;
    try {
      dial = dht.connect(p.publicKey(), keyPair, opts.streamLimits(), ch -> onClientChannel(conn, p, ch));
    } catch (RuntimeException e) {
      dial = CompletableFuture.failedFuture(e); // e.g. a node without a UDX transport: counted as a failed dial
    }
    dial.whenComplete((ch, e) -> {
      if (e != null) {
        LOG.debug("connect to {} failed: {}", p.publicKey(), e.toString());
        onClientClosed(conn, p, queued);
        return;
      }
      onClientOpened(conn, p, queued);
      ch.closeFuture().addListener(f -> onClientClosed(conn, p, queued));
    });
  }

  /** The dialled channel, on its event loop, before any data: hand it over unless replaced meanwhile. */
  private void onClientChannel(Conn conn, PeerInfo p, Channel ch) {
    boolean keep;
    synchronized (lock) {
      conn.channel = ch;
      keep = !conn.superseded && !destroyed;
    }
    if (!keep) {
      ch.close();
      return;
    }
    deliver(ch, p);
  }

  private void onClientOpened(Conn conn, PeerInfo p, boolean queued) {
    synchronized (lock) {
      if (conn.opened || conn.closed) return;
      conn.opened = true;
      connecting--;
      connections.add(conn);
      p.connected(scheduler.nowMillis());
      p.client = true;
      if (queued) flushMaybe(p);
      if (connecting < opts.maxParallel()) attemptClientConnections();
    }
  }

  private void onClientClosed(Conn conn, PeerInfo p, boolean queued) {
    synchronized (lock) {
      if (conn.closed) return;
      conn.closed = true;
      if (!conn.opened) {
        connecting--;
        if (queued) flushMaybe(p);
      }
      connections.remove(conn);
      allConnections.remove(conn.remote, conn);
      clientConnections--;
      p.disconnected(scheduler.nowMillis());
      if (!destroyed && shouldRequeue(p)) {
        long delay = retry.delayFor(p);
        if (delay >= 0) {
          p.waiting = true;
          scheduler.schedule(delay, () -> requeue(p));
        }
      }
      maybeDeletePeer(p);
      attemptClientConnections();
    }
  }

  private boolean shouldRequeue(PeerInfo p) {
    if (p.explicit) return true;
    for (Key32 t : p.topics) if (discoveries.containsKey(t)) return true;
    return false;
  }

  // ---------------------------------------------------------------- accepting

  /** A connection from a client, on its event loop, before any data (JS {@code _handleServerConnection}). */
  private void onServerChannel(Channel ch) {
    Key32 remote = ch.pipeline().get(SecretStreamHandler.class).remotePublicKey();
    Conn conn = new Conn(remote, false);
    conn.channel = ch;
    conn.opened = true;
    PeerInfo p;
    Channel replaced = null;
    synchronized (lock) {
      if (destroyed) {
        ch.close();
        return;
      }
      Conn existing = allConnections.get(remote);
      if (existing != null) {
        // the existing one is outdated if it carried bytes both ways: the peer lost it and came back
        boolean outdated = existing.bytesRead() > 0 && existing.bytesWritten() > 0;
        boolean expectedInitiator = compare(keyPair.publicKey(), remote) > 0;
        boolean keepNew = outdated || !expectedInitiator; // this connection's initiator is the peer
        if (!keepNew) {
          LOG.debug("duplicate connection from {}: keeping ours", remote);
          ch.close();
          return;
        }
        LOG.debug("duplicate connection from {}: keeping the new one", remote);
        existing.superseded = true;
        replaced = existing.channel;
        allConnections.remove(remote, existing);
      }
      p = upsertPeer(remote, null);
      if (p == null) {
        ch.close();
        return;
      }
      allConnections.put(remote, conn);
      connections.add(conn);
      serverConnections++;
      p.client = false;
    }
    if (replaced != null) replaced.close();
    PeerInfo peer = p;
    ch.closeFuture().addListener(f -> onServerClosed(conn, peer));
    deliver(ch, p);
  }

  private void onServerClosed(Conn conn, PeerInfo p) {
    synchronized (lock) {
      connections.remove(conn);
      allConnections.remove(conn.remote, conn);
      serverConnections--;
      maybeDeletePeer(p);
      attemptClientConnections();
    }
  }

  private void deliver(Channel ch, PeerInfo p) {
    try {
      handler.onConnection(ch, p);
    } catch (RuntimeException e) {
      LOG.warn("connection handler failed for {}: {}", p.publicKey(), e.toString());
      ch.close();
    }
  }

  // ---------------------------------------------------------------- firewall, flushes, GC (lock held)

  private boolean firewalled(Key32 remote) {
    synchronized (lock) {
      if (remote.equals(keyPair.publicKey())) return true;
      PeerInfo p = peers.get(remote);
      if (p != null && p.banned) return true;
      if (!opts.firewall().reject(remote)) return false;
      if (p == null) p = upsertPeer(remote, null);
      if (p != null) p.banned = true;
      return true;
    }
  }

  private void flushMaybe(PeerInfo p) {
    for (int i = 0; i < pendingFlushes.size(); i++) {
      Flush f = pendingFlushes.get(i);
      if (p.flushTick > f.tick) continue;
      if (--f.missing[0] > 0) continue;
      f.done.complete(true);
      pendingFlushes.remove(i--);
    }
  }

  private boolean flushAllMaybe() {
    if (connecting > 0 || withinMaxPeers()) return false;
    for (Flush f : pendingFlushes) f.done.complete(true);
    pendingFlushes.clear();
    return true;
  }

  private void maybeDeletePeer(PeerInfo p) {
    if (!p.collectable() || allConnections.containsKey(p.publicKey())) return;
    peers.remove(p.publicKey(), p);
  }

  private static int compare(Key32 a, Key32 b) {
    return Arrays.compareUnsigned(a.toByteArray(), b.toByteArray());
  }

  private static CompletableFuture<Void> toFuture(io.netty.util.concurrent.Future<?> f) {
    CompletableFuture<Void> out = new CompletableFuture<>();
    f.addListener(x -> out.complete(null));
    return out;
  }
}
