/**
 * API*: the one interface replication uses, {@link org.maiaos.mesh.hypercore.replication.Replicable}
 * (from {@link org.maiaos.mesh.hypercore.Hypercore#replication()}): proofs out, proofs in, heads,
 * missing blocks. The log knows nothing of the network; a replicator (module {@code hyperswarm})
 * knows nothing of the log's storage, only this interface and the read side of the facade.
 *
 * <p>The proof request and the proof it answers ({@code Request}, {@code Data} and their parts)
 * are records in {@code org.maiaos.mesh.hypercore.tree}, with their compact-encoding, because a
 * proof is the Merkle tree's business and its bytes are signed-log data: JS hypercore keeps
 * {@code wire.request} and {@code wire.data} in its own {@code lib/messages.js} and
 * {@code lib/merkle-tree.js} builds and checks them. The other {@code hypercore/alpha} messages
 * (handshake, sync, want, range, bitfield, ...) exist only for the network and live in
 * {@code org.maiaos.mesh.hyperswarm.wire}.
 */
package org.maiaos.mesh.hypercore.replication;
