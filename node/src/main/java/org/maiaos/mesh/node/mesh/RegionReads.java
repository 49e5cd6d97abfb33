package org.maiaos.mesh.node.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.node.sync.OtherRegions;

/**
 * The other regions for a node's sync server: a read of a CoValue runs in every peer region's bee
 * at once ({@link RegionRead}) and hands over what each holds, region by region; a CoValue stored
 * here is announced to every connected peer region ({@link RegionMesh#changed}). Reads run on
 * {@link #READERS} threads of their own, which only ever read local disk: however many loads are
 * in flight, no thread waits for the network.
 */
public final class RegionReads implements OtherRegions, AutoCloseable {
  static final int READERS = 2;

  private final RegionMesh mesh;
  private final ExecutorService readers;
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong roundTrips = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger maxRoundTrips = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong blocksFetched = new AtomicLong();

  public RegionReads(RegionMesh mesh) {
    this.mesh = mesh;
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(READERS, r -> {
      Thread t = new Thread(r, "mesh-read-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<List<ContentMessage>> read(String id, Function<String, KnownState> have) {
    return read(id, have, false);
  }

  @Override
  public CompletableFuture<List<ContentMessage>> readChanged(String id, Function<String, KnownState> have) {
    return read(id, have, true);
  }

  /** {@code changed}: a hint started it, so each region's read first fetches what the hinted write appended. */
  private CompletableFuture<List<ContentMessage>> read(String id, Function<String, KnownState> have, boolean changed) {
    List<CompletableFuture<RegionRead.Result>> each = new ArrayList<>();
    for (RegionMesh.PeerRegion p : mesh.peers()) {
      each.add(RegionRead.start(p, id, changed ? mesh.hintedLength(id, p) : 0, have, readers));
    }
    return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<ContentMessage> all = new ArrayList<>();
      for (CompletableFuture<RegionRead.Result> f : each) {
        RegionRead.Result r = f.join();
        all.addAll(r.content());
        reads.incrementAndGet();
        attempts.addAndGet(r.attempts());
        roundTrips.addAndGet(r.roundTrips());
        maxRoundTrips.accumulateAndGet(r.roundTrips(), Math::max);
        blocksFetched.addAndGet(r.blocksFetched());
      }
      return all;
    });
  }

  @Override
  public void stored(String id) {
    mesh.changed(id);
  }

  @Override
  public void taken(String id) {
    mesh.taken(id);
  }

  /** Region reads so far (one per region per CoValue read). */
  public long reads() {
    return reads.get();
  }

  /** Attempts of those reads: one more than the round trips they waited for. */
  public long attempts() {
    return attempts.get();
  }

  /** Round trips those reads waited for, in all. */
  public long roundTrips() {
    return roundTrips.get();
  }

  /** The most round trips one region read waited for. */
  public int maxRoundTrips() {
    return maxRoundTrips.get();
  }

  /** Blocks those reads asked peers for. */
  public long blocksFetched() {
    return blocksFetched.get();
  }

  @Override
  public void close() {
    readers.shutdown();
    try {
      readers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
