package org.maiaos.mesh.hypercore.replication;

import java.util.concurrent.CompletableFuture;

/**
 * Fetches a block this core lacks, for {@link org.maiaos.mesh.hypercore.Hypercore#get}: the
 * replicator of a sparse replica. It is how a reader (a Hyperbee over a replica) reads sparsely
 * while knowing nothing of the network.
 */
@FunctionalInterface
public interface BlockFetcher {
  /** A future of the verified, stored block, or of REQUEST_TIMEOUT / BLOCK_NOT_AVAILABLE. */
  CompletableFuture<byte[]> fetch(long index);
}
