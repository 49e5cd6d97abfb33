package org.maiaos.mesh.hypercore.replication;

import java.util.List;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.HashedData;
import org.maiaos.mesh.hypercore.tree.MerkleTree;
import org.maiaos.mesh.hypercore.tree.ReorgBatch;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;

/**
 * A core as a replicator sees it, from {@link org.maiaos.mesh.hypercore.Hypercore#replication()}:
 * proofs out ({@link #proof}), proofs in ({@link #verifyAndStore}), heads ({@link #head},
 * {@link #addHeadListener}) and missing blocks ({@link #setBlockFetcher}). Everything else a
 * replicator reads (key, length, fork, {@code has}, {@code getLocal}) is on the facade, as for any
 * reader. The log knows nothing of the network behind it.
 */
public interface Replicable {
  /** The current signed head; immutable. */
  MerkleTree head();

  /**
   * The {@code nodes} count a request for flat index {@code flatIndex} should carry: how many tree
   * levels from it up this core lacks (JS {@code MerkleTree.missingNodes}); 0 past the head.
   */
  long missingNodes(long flatIndex);

  /**
   * Answers a proof request from what is stored locally, as the JS replicator does:
   * BLOCK_NOT_AVAILABLE when the block (or fork) is not here, INVALID_OPERATION when the request
   * cannot be proven (e.g. an upgrade past our length).
   */
  Data proof(Request request);

  /**
   * Verifies a proof received from a peer against our signed head and stores what it proved: the
   * block, the tree nodes, and the new head if it upgraded ours, in one atomic commit. Nothing is
   * stored unless the whole proof verifies (INVALID_PROOF or INVALID_SIGNATURE otherwise). A new
   * head is durable on return; downloaded blocks and nodes become durable at the next
   * {@link #sync}.
   */
  VerifiedProof verifyAndStore(Data data);

  /**
   * Verifies a run of downloaded block proofs, each in order against our signed head and the nodes
   * the proofs before it proved, and stores every one that verifies in one atomic commit: one oplog
   * frame for the run instead of one per block (a replica's full download). Returns an outcome per
   * proof, in order; one that fails stores nothing of its own and does not stop the others. A proof
   * that carries an upgrade or a manifest fails with INVALID_OPERATION here: those go through
   * {@link #verifyAndStore} one at a time, as does the first proof a core without a manifest takes.
   * Durable at the next {@link #sync}, like {@link #verifyAndStore}'s downloads.
   */
  List<ProofOutcome> verifyAndStoreBlocks(List<Data> proofs);

  /**
   * {@link #verifyAndStoreBlocks} of proofs whose blocks' leaves were hashed already, e.g. on the
   * thread that received them ({@link HashedData}).
   */
  default List<ProofOutcome> verifyAndStoreHashedBlocks(List<HashedData> proofs) {
    List<Data> plain = new java.util.ArrayList<>(proofs.size());
    for (HashedData h : proofs) plain.add(h.data());
    return verifyAndStoreBlocks(plain); // an implementation that does not use the leaves hashes again
  }

  /**
   * Verifies a peer's proof of a newer fork (its answer to an upgrade request from 0 on that fork,
   * as JS {@code verifyReorg}): the new head and its signature. Nothing is stored; the returned
   * batch is completed with {@link ReorgBatch#update} (hash proofs of the new fork, while it is not
   * {@link ReorgBatch#finished}) and then applied with {@link #applyReorg}. INVALID_PROOF or
   * INVALID_SIGNATURE for a proof that does not verify; INVALID_OPERATION on a writable core, or
   * while the core knows no manifest (an empty replica takes any fork through
   * {@link #verifyAndStore}).
   */
  ReorgBatch verifyReorg(Data data);

  /**
   * Applies a finished reorg in one atomic, durable commit: the blocks from the common ancestor on
   * and the tree nodes over them are dropped, the new fork's nodes and head stored (JS
   * {@code core.reorg}); head listeners then hear of it. INVALID_OPERATION, changing nothing, if
   * the batch is not finished, is not for a newer fork, or our head changed since it was verified.
   * Returns the new head.
   */
  MerkleTree applyReorg(ReorgBatch batch);

  /** Makes every download stored so far durable (one fdatasync); a replicator calls it when idle. */
  void sync();

  /** Calls {@code listener} after every change of the head (see {@link HeadListener}). */
  void addHeadListener(HeadListener listener);

  void removeHeadListener(HeadListener listener);

  /**
   * Lets {@link org.maiaos.mesh.hypercore.Hypercore#get} wait for blocks that are not stored
   * locally (JS {@code core.get} does); null to stop.
   */
  void setBlockFetcher(BlockFetcher fetcher);
}
