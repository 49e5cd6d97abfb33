package org.maiaos.mesh.hyperswarm.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The callers waiting for one block that is not local, the peers already tried for it, and the
 * request in flight (at most one). Owned by the replicator thread.
 */
final class BlockWait {
  final long index;
  final List<CompletableFuture<byte[]>> futures = new ArrayList<>();
  final Set<Peer> tried = new HashSet<>();
  InflightRequest request;
  ScheduledFuture<?> deadline;

  BlockWait(long index) {
    this.index = index;
  }
}
