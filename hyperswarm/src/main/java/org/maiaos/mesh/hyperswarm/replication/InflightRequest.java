package org.maiaos.mesh.hyperswarm.replication;

import java.util.concurrent.ScheduledFuture;

/**
 * A request we sent and wait on: to whom, for which block (or -1 for an upgrade alone), and its
 * timeout. Owned by the replicator thread.
 */
final class InflightRequest {
  final Peer peer;
  final long blockIndex;
  final boolean upgrade;
  long id;
  ScheduledFuture<?> timeout;

  InflightRequest(Peer peer, long blockIndex, boolean upgrade) {
    this.peer = peer;
    this.blockIndex = blockIndex;
    this.upgrade = upgrade;
  }
}
