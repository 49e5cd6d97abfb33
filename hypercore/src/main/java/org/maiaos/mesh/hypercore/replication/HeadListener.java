package org.maiaos.mesh.hypercore.replication;

import org.maiaos.mesh.hypercore.tree.MerkleTree;

/** Told of every change of a core's signed head: append, truncate, or an upgrade from a peer. */
@FunctionalInterface
public interface HeadListener {
  /**
   * Called after the change, on the thread that made it, once the core's write lock is released.
   * Must not block: a replicator only hands the event to its own thread.
   */
  void headChanged(MerkleTree previous, MerkleTree current);
}
