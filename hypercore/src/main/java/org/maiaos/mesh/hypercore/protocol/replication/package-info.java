/**
 * API*: the {@code hypercore/alpha} replicator: {@link org.maiaos.mesh.hypercore.protocol.replication.Replicator}
 * per core, a {@link org.maiaos.mesh.hypercore.protocol.replication.Peer} per (core, connection),
 * over any {@link org.maiaos.mesh.hypercore.protocol.replication.PeerChannel} (a Protomux channel
 * on a secret-stream in production, a direct pipe in unit tests).
 */
package org.maiaos.mesh.hypercore.protocol.replication;
