package org.maiaos.mesh.node.mesh;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.maiaos.mesh.cojson.storage.HybridStorage;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.SqliteStorage;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.swarm.Hyperswarm;
import org.maiaos.mesh.hyperswarm.swarm.PeerDiscovery;
import org.maiaos.mesh.hyperswarm.swarm.SwarmOptions;
import org.maiaos.mesh.node.metrics.NodeMetrics;
import org.maiaos.mesh.node.sync.HttpRoute;
import org.maiaos.mesh.node.sync.SyncServer;
import org.maiaos.mesh.node.sync.SyncServerConfig;

/**
 * One region node, its parts wired together: the {@link CoreStore} in its directory (the region bee
 * is the core named {@value #BEE}, the node's key pair the name {@value #NODE_KEY}; with {@code
 * hybrid}, SQLite beside it is the local primary and the bee follows it), the {@link
 * RegionMesh} on every swarm connection, {@link RegionReads} for its sync server, and the sync
 * server itself with {@code GET /} (the status page), {@code /status} and {@code /metrics}.
 * {@link #open} starts serving clients; {@link #join} joins the mesh topic over a DHT node the
 * caller owns. {@code mesh node run}, {@code mesh demo} and the tests run nodes through this class.
 */
public final class RegionNode implements AutoCloseable {
  public static final String BEE = "bee";
  public static final String NODE_KEY = "node";

  /**
   * @param storeDir the node's {@link CoreStore} directory
   * @param allowed  the only node keys that may connect, or null for any node that knows the topic
   */
  public record Config(Path storeDir, String region, String host, int port, Key32 topic, Set<Key32> allowed, Set<String> mirror,
      boolean hybrid) {
    /** A node that mirrors no region, on Hyperbee storage. */
    public Config(Path storeDir, String region, String host, int port, Key32 topic, Set<Key32> allowed) {
      this(storeDir, region, host, port, topic, allowed, Set.of(), false);
    }

    /** On Hyperbee storage. */
    public Config(Path storeDir, String region, String host, int port, Key32 topic, Set<Key32> allowed, Set<String> mirror) {
      this(storeDir, region, host, port, topic, allowed, mirror, false);
    }

    /** {@code --storage hybrid}: the SQLite database beside the store directory. */
    public Path sqliteFile() {
      return storeDir.resolveSibling(storeDir.getFileName() + ".sqlite");
    }

    /** {@code --mirror all}: every peer region. */
    public static final String ALL = "all";

    public Config {
      mirror = mirror == null ? Set.of() : Set.copyOf(mirror);
    }

    boolean mirrors(String peerRegion) {
      return mirror.contains(ALL) || mirror.contains(peerRegion);
    }
  }

  private final Config config;
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final CoreStore store;
  private final Hypercore bee;
  private final KeyPair nodeKey;
  private final RegionMesh mesh;
  private final RegionReads reads;
  private final SyncServer server;
  private Hyperswarm swarm;
  private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

  private RegionNode(Config config) {
    this.config = config;
    try {
      store = add(CoreStore.open(config.storeDir()));
      bee = store.get(BEE);
      nodeKey = store.keyPair(NODE_KEY);
      mesh = add(new RegionMesh(store, config.region(), bee));
      mesh.mirror(config::mirrors);
      reads = add(new RegionReads(mesh));
      Hyperbee<byte[], byte[]> view = Hyperbee.open(bee, HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY)
          .cacheBytes(HyperbeeStorage.CACHE_BYTES).build());
      SyncServer[] self = new SyncServer[1];
      NodeMetrics metrics = new NodeMetrics(bee, () -> self[0] == null ? 0 : self[0].clients(), mesh, reads, refused::get);
      Map<String, HttpRoute> routes = Map.of(
          "/", () -> new HttpRoute.Reply(StatusPage.CONTENT_TYPE, StatusPage.render(status())),
          "/status", () -> new HttpRoute.Reply("application/json", status().toJson()),
          "/metrics", () -> new HttpRoute.Reply(metrics.contentType(), metrics.scrape()));
      HyperbeeStorage onBee = HyperbeeStorage.of(view, System::currentTimeMillis);
      StorageApi storage = config.hybrid() ? HybridStorage.of(SqliteStorage.open(config.sqliteFile()), onBee) : onBee;
      server = add(SyncServer.start(SyncServerConfig.defaults().withAddress(config.host(), config.port()).withDc(config.region()),
          storage, routes, reads));
      self[0] = server;
      mesh.onChangedElsewhere(server::regionChanged);
      mesh.onRegionConnected(server::regionConnected);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens the node's store (created on first use) and starts its sync server. */
  public static RegionNode open(Config config) {
    return new RegionNode(config);
  }

  /**
   * Joins the mesh topic as client and server over {@code dht} (which the caller keeps owning);
   * the topic is looked up again sooner than Hyperswarm alone would ({@link TopicRefresh}).
   * Completes once the first announce and lookup are done.
   */
  public synchronized CompletableFuture<Boolean> join(HyperDht dht) {
    if (swarm != null) throw new IllegalStateException("joined already");
    SwarmOptions opts = config.allowed() == null ? SwarmOptions.DEFAULT : SwarmOptions.DEFAULT.withFirewall(key -> {
      boolean refuse = !config.allowed().contains(key);
      if (refuse) refused.incrementAndGet();
      return refuse;
    });
    swarm = add(new Hyperswarm(dht, nodeKey, opts, mesh));
    PeerDiscovery discovery = swarm.join(config.topic(), true, true);
    add(new TopicRefresh(discovery, () -> (int) mesh.peers().stream().filter(RegionMesh.PeerRegion::connected).count()));
    return swarm.flush();
  }

  private synchronized <T extends AutoCloseable> T add(T r) {
    open.push(r);
    return r;
  }

  /** One snapshot for {@code /status} and the status page. */
  NodeStatus status() {
    return NodeStatus.of(config.region(), nodeKey.publicKey(), bee, server == null ? 0 : server.clients(), mesh);
  }

  /** Connections (in or out) the firewall refused: nodes outside {@code --allow}. */
  public long refusedConnections() {
    return refused.get();
  }

  public String region() {
    return config.region();
  }

  /** {@code ws://HOST:PORT} of the sync server. */
  public String url() {
    return server.url();
  }

  public KeyPair nodeKey() {
    return nodeKey;
  }

  /** The region bee's core. */
  public Hypercore bee() {
    return bee;
  }

  public RegionMesh mesh() {
    return mesh;
  }

  public RegionReads reads() {
    return reads;
  }

  public SyncServer server() {
    return server;
  }

  /** Leaves the mesh, drains the sync server (every accepted store durable), then closes the store. */
  @Override
  public void close() {
    AutoCloseable[] all;
    synchronized (this) {
      all = open.toArray(new AutoCloseable[0]);
      open.clear();
    }
    RuntimeException first = null;
    for (AutoCloseable r : all) {
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
      }
    }
    if (first != null) throw first;
  }
}
