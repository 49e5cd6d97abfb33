package org.maiaos.mesh.node.mesh;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.maiaos.mesh.hyperswarm.swarm.Hyperswarm;
import org.maiaos.mesh.hyperswarm.swarm.PeerInfo;
import org.maiaos.mesh.hyperswarm.swarm.SwarmReplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region node's side of the mesh: on every swarm connection it replicates its own region bee
 * and the peer regions' bees it knows (all sparsely, by discovery key), and runs the mesh channel;
 * a peer's hello names its region and bee, of which a sparse replica is then opened in the
 * {@link CoreStore} and replicated on every connection. Nothing is downloaded until a read asks.
 *
 * <p>A hello is trusted for naming only: a peer could claim another region's name, but never
 * forge that region's bee, whose blocks are verified against its key. Who may connect at all is
 * the swarm firewall's business ({@code --allow}). Peer regions are bounded by
 * {@link #MAX_PEER_REGIONS}; replicas are opened off the event loop (they touch the disk).
 */
public final class RegionMesh implements Hyperswarm.ConnectionHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegionMesh.class);
  static final int MAX_PEER_REGIONS = 256;

  /** A peer region as the node knows it. */
  public static final class PeerRegion {
    private final Key32 nodeKey;
    private final String region;
    private final Key32 beeKey;
    private final Replicator replicator;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    /** The longest length of its bee the peer announced in a {@link MeshChanged}. */
    private final java.util.concurrent.atomic.AtomicLong announcedLength = new java.util.concurrent.atomic.AtomicLong();
    private volatile HyperbeeStorage storage;
    /** Set when this node mirrors the region ({@code --mirror}). */
    private volatile Mirror mirror;
    /** The mesh channels of its connections (two for a moment while duplicates are settled). */
    private final Set<MeshChannel> channels = ConcurrentHashMap.newKeySet();

    PeerRegion(Key32 nodeKey, String region, Key32 beeKey, Replicator replicator) {
      this.nodeKey = nodeKey;
      this.region = region;
      this.beeKey = beeKey;
      this.replicator = replicator;
    }

    public Key32 nodeKey() {
      return nodeKey;
    }

    public String region() {
      return region;
    }

    public Key32 beeKey() {
      return beeKey;
    }

    /** The sparse replica of its bee, and its replicator. */
    public Replicator replicator() {
      return replicator;
    }

    public boolean connected() {
      return connections.get() > 0;
    }

    /** Milliseconds from the region's last announced write to its content stored here; -1 before the first. */
    private volatile long lastLagMillis = -1;

    public long lastLagMillis() {
      return lastLagMillis;
    }

    /** True when this node keeps the region's whole bee ({@code --mirror}). */
    public boolean mirrored() {
      return mirror != null;
    }

    /** Blocks of its bee held from the start on without a gap, for a mirrored region; -1 otherwise. */
    public long mirroredBlocks() {
      Mirror m = mirror;
      return m == null ? -1 : m.heldBlocks();
    }

    long announcedLength() {
      return announcedLength.get();
    }

    /** A mesh channel of an open connection to it, for read-aheads; null when none. */
    MeshChannel channel() {
      for (MeshChannel c : channels) if (c.isOpen()) return c;
      return null;
    }

    /**
     * The cojson storage view of its bee, read-only, opened on first use (it reads the bee's header
     * block, so call it where a miss may be thrown: inside {@link FetchOnMiss#nonBlocking}).
     */
    synchronized HyperbeeStorage storage() {
      if (storage == null) {
        storage = HyperbeeStorage.readOnly(Hyperbee.open(replicator.core(), HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY,
            Encoding.BINARY).cacheBytes(PEER_CACHE_BYTES).build()));
      }
      return storage;
    }
  }

  /** Decoded-block cache of each peer region's bee view. */
  static final long PEER_CACHE_BYTES = 32L << 20;

  private final CoreStore store;
  private final MeshHello hello;
  private final SwarmReplication replication = new SwarmReplication();
  private final Map<Key32, PeerRegion> peers = new ConcurrentHashMap<>();
  private final Map<Key32, Replicator> replicators = new ConcurrentHashMap<>();
  private final Set<MeshChannel> channels = ConcurrentHashMap.newKeySet();
  private final Hypercore bee;
  private final ReadAheadServer readAhead;
  private volatile Consumer<String> changedElsewhere = id -> {};
  private volatile Runnable regionConnected = () -> {};
  private volatile java.util.function.Predicate<String> mirrored = region -> false;
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mesh-replicas");
    t.setDaemon(true);
    return t;
  });

  /** {@code bee} is this node's region bee core (writable), held in {@code store}. */
  public RegionMesh(CoreStore store, String region, Hypercore bee) {
    this.store = store;
    this.bee = bee;
    this.readAhead = new ReadAheadServer(bee);
    this.hello = new MeshHello(MeshHello.VERSION, region, bee.key(), 0);
    Replicator own = new Replicator(bee);
    replicators.put(bee.key(), own);
    replication.add(own);
    for (KnownRegions.Region r : KnownRegions.read(store.dir())) {
      if (!r.beeKey().equals(bee.key())) addPeer(r.nodeKey(), r.name(), r.beeKey());
    }
  }

  /** A peer region met now or on an earlier run: its replica opened and replicated on every connection. */
  private PeerRegion addPeer(Key32 nodeKey, String region, Key32 beeKey) {
    Replicator r = replicators.computeIfAbsent(beeKey, k -> {
      Replicator made = new Replicator(store.get(k));
      made.core().replication().setBlockFetcher(new FetchOnMiss(made));
      return made;
    });
    PeerRegion p = new PeerRegion(nodeKey, region, beeKey, r);
    peers.put(nodeKey, p);
    replication.add(r);
    if (mirrored.test(region)) startMirror(p);
    return p;
  }

  private void startMirror(PeerRegion p) {
    p.mirror = new Mirror(p.region(), p.replicator());
    LOG.info("mirroring region {} (bee {})", p.region(), p.beeKey());
  }

  public MeshHello hello() {
    return hello;
  }

  /** The peer regions seen so far, connected or not. */
  public List<PeerRegion> peers() {
    return new ArrayList<>(peers.values());
  }

  public PeerRegion peer(String region) {
    for (PeerRegion p : peers.values()) if (p.region().equals(region)) return p;
    return null;
  }

  @Override
  public void onConnection(Channel channel, PeerInfo peer) {
    replication.onConnection(channel, peer);
    channel.pipeline().addLast("mesh", new MeshChannel(() -> hello.withLength(bee.length()), new MeshChannel.Listener() {
      @Override
      public void onHello(MeshHello h, Key32 nodeKey, MeshChannel mesh) {
        RegionMesh.this.onHello(h, nodeKey, channel, mesh);
      }

      @Override
      public void onChanged(MeshChanged changed, Key32 nodeKey) {
        RegionMesh.this.onChanged(changed, nodeKey);
      }

      @Override
      public void onReadAhead(MeshReadAhead request, MeshChannel from) {
        readAhead.answer(request, from);
      }
    }));
  }

  /** Where the CoValue ids of a peer's {@link MeshChanged} go (the sync server's {@code regionChanged}). */
  public void onChangedElsewhere(Consumer<String> listener) {
    this.changedElsewhere = listener;
  }

  /** The peer regions whose bees this node keeps whole ({@code --mirror}); set before joining. */
  public void mirror(java.util.function.Predicate<String> regions) {
    this.mirrored = regions;
    io.execute(() -> {
      for (PeerRegion p : peers.values()) if (p.mirror == null && regions.test(p.region())) startMirror(p);
    });
  }

  /** How long a region that connected again is given to show its new length before the re-reads. */
  static final java.time.Duration CONNECTED_UPDATE_WAIT = java.time.Duration.ofSeconds(10);

  /**
   * Runs {@code listener} (on the mesh's own thread) each time a peer region goes from no
   * connection to one, once its bee's new length is verified here (or after {@link
   * #CONNECTED_UPDATE_WAIT}).
   */
  public void onRegionConnected(Runnable listener) {
    this.regionConnected = listener;
  }

  /** Tells every connected peer region that {@code id} changed in our bee. Any thread. */
  public void changed(String id) {
    if (channels.isEmpty()) return;
    MeshChanged m = new MeshChanged(bee.length(), System.currentTimeMillis(), List.of(id));
    for (MeshChannel c : channels) c.send(m);
  }

  private void onChanged(MeshChanged changed, Key32 nodeKey) {
    PeerRegion p = peers.get(nodeKey);
    if (p == null) return; // not a region we know (yet): its hello is still being handled
    p.announcedLength.accumulateAndGet(changed.beeLength(), Math::max);
    for (String id : changed.ids()) {
      synchronized (hinted) {
        hinted.put(id, new Hint(p, changed.beeLength(), changed.writtenAtMillis()));
      }
      changedElsewhere.accept(id);
    }
  }

  /**
   * The node has taken in what the other regions hold of {@code id}: if a region announced a write
   * of it, that write's propagation lag (the announcing region's clock at its write to ours now)
   * is recorded for the region.
   */
  public void taken(String id) {
    Hint h;
    synchronized (hinted) {
      h = hinted.remove(id);
    }
    if (h != null) h.region.lastLagMillis = Math.max(0, System.currentTimeMillis() - h.writtenAtMillis);
  }

  private record Hint(PeerRegion region, long beeLength, long writtenAtMillis) {}

  /**
   * The length of {@code region}'s bee after the write a change hint announced for {@code id}, if
   * the newest hint for it came from that region and its read has not ended; 0 otherwise.
   */
  long hintedLength(String id, PeerRegion region) {
    synchronized (hinted) {
      Hint h = hinted.get(id);
      return h != null && h.region == region ? h.beeLength : 0;
    }
  }

  /** Change hints whose reads have not ended yet, the newest {@value #MAX_HINTS}. */
  private final Map<String, Hint> hinted = new java.util.LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Hint> eldest) {
      return size() > MAX_HINTS;
    }
  };
  static final int MAX_HINTS = 4096;

  private void onHello(MeshHello h, Key32 nodeKey, Channel channel, MeshChannel mesh) {
    io.execute(() -> {
      PeerRegion p = peers.get(nodeKey);
      if (p == null) {
        if (peers.size() >= MAX_PEER_REGIONS) {
          LOG.warn("mesh peer {} ({}) ignored: {} peer regions already", nodeKey, h.region(), MAX_PEER_REGIONS);
          return;
        }
        if (h.beeKey().equals(hello.beeKey())) {
          LOG.warn("mesh peer {} claims our own bee {}: ignored", nodeKey, h.beeKey());
          return;
        }
        p = addPeer(nodeKey, h.region(), h.beeKey());
        LOG.info("mesh peer {}: region {}, bee {}", nodeKey, h.region(), h.beeKey());
        try {
          List<KnownRegions.Region> all = new ArrayList<>();
          for (PeerRegion q : peers.values()) all.add(new KnownRegions.Region(q.nodeKey(), q.region(), q.beeKey()));
          KnownRegions.write(store.dir(), all);
        } catch (RuntimeException e) {
          LOG.warn("could not record peer region {}: {}", h.region(), e.getMessage());
        }
      } else if (!p.beeKey().equals(h.beeKey())) {
        LOG.warn("mesh peer {} ({}) now names bee {} instead of {}: kept the first", nodeKey, h.region(), h.beeKey(), p.beeKey());
      }
      PeerRegion known = p;
      // its length as this connection opened: a read waits for that upgrade, so nothing written
      // while we were apart (and never announced) is missed
      known.announcedLength.accumulateAndGet(h.beeLength(), Math::max);
      if (known.connections.incrementAndGet() == 1) {
        // what it wrote while away was never announced, and its new length comes on this
        // connection's hypercore channel: learn it (and take the upgrade) before reading again,
        // or the re-reads would find the bee as it was
        known.replicator.update().orTimeout(CONNECTED_UPDATE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((length, e) -> {
              if (e != null) LOG.info("region {} connected; its new length did not come ({}): reading what is here", known.region(), e.toString());
              try {
                io.execute(regionConnected);
              } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the mesh is closing
              }
            });
      }
      channels.add(mesh);
      known.channels.add(mesh);
      channel.closeFuture().addListener(f -> {
        known.connections.decrementAndGet();
        channels.remove(mesh);
        known.channels.remove(mesh);
      });
    });
  }

  @Override
  public void close() {
    readAhead.close();
    io.shutdown();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (PeerRegion p : peers.values()) {
      if (p.mirror != null) p.mirror.close();
      if (p.storage != null) p.storage.close();
    }
    for (Replicator r : replicators.values()) r.close();
  }
}
