package org.maiaos.mesh.node.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.replication.BlockFetcher;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * The block fetcher of a peer region's replica. An ordinary reader of the replica waits for a
 * missing block, as with the replicator's own fetcher. A mesh read, which must never park a thread
 * on the network, runs inside {@link #nonBlocking}: there a miss starts the download (or, for a
 * region that is not connected, does not) and fails at once with BLOCK_NOT_AVAILABLE; the reader
 * tries again once the downloads it started have landed ({@link RegionRead}).
 */
final class FetchOnMiss implements BlockFetcher {
  /** Downloads one read attempt may start before it gives up: more than any B-tree walk needs. */
  static final int MAX_MISSES_PER_ATTEMPT = 256;
  private static final ThreadLocal<Misses> CURRENT = new ThreadLocal<>();

  /** The downloads one attempt started; {@code fetch} false: read only what is held. */
  static final class Misses {
    final boolean fetch;
    final List<CompletableFuture<byte[]>> started = new ArrayList<>();
    long missed;

    Misses(boolean fetch) {
      this.fetch = fetch;
    }
  }

  private final Replicator replicator;

  FetchOnMiss(Replicator replicator) {
    this.replicator = replicator;
  }

  @Override
  public CompletableFuture<byte[]> fetch(long index) {
    Misses m = CURRENT.get();
    if (m == null) return replicator.get(index);
    m.missed++;
    if (m.fetch && m.started.size() < MAX_MISSES_PER_ATTEMPT) m.started.add(replicator.get(index));
    return CompletableFuture.failedFuture(CoreError.BLOCK_NOT_AVAILABLE.error("block %d of %s is not here yet", index,
        replicator.core().discoveryKey()));
  }

  @Override
  public Duration timeout() {
    return BlockFetcher.DEFAULT_TIMEOUT;
  }

  /** Runs {@code read} on this thread with every miss recorded in {@code misses} instead of waited for. */
  static <T> T nonBlocking(Misses misses, Supplier<T> read) {
    CURRENT.set(misses);
    try {
      return read.get();
    } finally {
      CURRENT.remove();
    }
  }
}
