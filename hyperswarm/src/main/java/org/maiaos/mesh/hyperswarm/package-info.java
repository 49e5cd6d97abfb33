/**
 * API: this package holds no types; it is the module's overview. What users are offered is
 * {@code .swarm} (Hyperswarm) and {@code .dht} (HyperDHT); the other packages are API* or Internal.
 * Discovery and replication, byte-compatible with the pinned JS packages, lowest first:
 * {@code .udx} (UDX streams on one UDP socket, as udx-native), {@code .dht.rpc} (dht-rpc),
 * {@code .dht} (HyperDHT: records, {@code listen} and {@code connect} by public key),
 * {@code .secretstream} (@hyperswarm/secret-stream: Noise XX, or a finished Noise IK), {@code .mux}
 * (protomux), {@code .wire} and {@code .replication} ({@code hypercore/alpha} and the replicator,
 * wired to a core through {@link org.maiaos.mesh.hypercore.Hypercore#replication()}), and
 * {@code .swarm} (Hyperswarm, and replication over its connections as Corestore does). See
 * docs/swarm.md, docs/hyperdht.md, docs/dht-rpc.md and docs/replication.md.
 */
package org.maiaos.mesh.hyperswarm;
