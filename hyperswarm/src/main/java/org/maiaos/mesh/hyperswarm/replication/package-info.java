/**
 * API*: the {@code hypercore/alpha} replicator: {@link org.maiaos.mesh.hyperswarm.replication.Replicator}
 * per core, a {@link org.maiaos.mesh.hyperswarm.replication.Peer} per (core, connection),
 * over any {@link org.maiaos.mesh.hyperswarm.replication.PeerChannel} (a Protomux channel
 * on a secret-stream in production, a direct pipe in unit tests), and
 * {@link org.maiaos.mesh.hyperswarm.replication.ProtocolStream}, many cores over one connection.
 *
 * <p>A replicator reaches its core only through the facade's reads (length, fork, {@code has},
 * {@code getLocal}) and {@link org.maiaos.mesh.hypercore.Hypercore#replication()}: it asks for and
 * stores proofs, listens for new heads, and registers itself as the core's block fetcher, so a
 * sparse reader's {@code core.get} waits for a peer. It never sees the core's storage.
 */
package org.maiaos.mesh.hyperswarm.replication;
