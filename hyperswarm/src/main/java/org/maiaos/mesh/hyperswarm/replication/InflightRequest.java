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
  /** The fork the request was made on. */
  long fork;
  /** 0 for a block or upgrade request; a step of following a newer fork: FORK_PROOF or FORK_HASH. */
  int reorgStep;
  static final int FORK_PROOF = 1;
  static final int FORK_HASH = 2;

  InflightRequest(Peer peer, long blockIndex, boolean upgrade) {
    this.peer = peer;
    this.blockIndex = blockIndex;
    this.upgrade = upgrade;
  }
}
