package org.maiaos.mesh.hypercore.replication;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a block this core lacks, for {@link org.maiaos.mesh.hypercore.Hypercore#get}: the
 * replicator of a sparse replica. It is how a reader (a Hyperbee over a replica) reads sparsely
 * while knowing nothing of the network.
 */
@FunctionalInterface
public interface BlockFetcher {
  /** How long {@code Hypercore.get} waits for a fetch unless the fetcher says otherwise. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** A future of the verified, stored block, or of REQUEST_TIMEOUT / BLOCK_NOT_AVAILABLE. */
  CompletableFuture<byte[]> fetch(long index);

  /**
   * How long {@code Hypercore.get} waits for {@link #fetch}'s future before it cancels it and
   * fails with REQUEST_TIMEOUT: the bound holds even for a fetcher that never answers.
   */
  default Duration timeout() {
    return DEFAULT_TIMEOUT;
  }

  /** {@code fetch} with its own wait bound. */
  static BlockFetcher of(Duration timeout, BlockFetcher fetch) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    return new BlockFetcher() {
      @Override
      public CompletableFuture<byte[]> fetch(long index) {
        return fetch.fetch(index);
      }

      @Override
      public Duration timeout() {
        return timeout;
      }
    };
  }
}
