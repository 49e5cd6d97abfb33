/**
 * API: Hyperswarm 4.17 on a {@link org.maiaos.mesh.hyperswarm.dht.HyperDht}: topics, the connect queue,
 * retries, duplicate-connection choice and the firewall as JS decides them
 * ({@link org.maiaos.mesh.hyperswarm.swarm.Hyperswarm}), and replication of cores over every
 * connection ({@link org.maiaos.mesh.hyperswarm.swarm.SwarmReplication}), with
 * {@link org.maiaos.mesh.hyperswarm.swarm.SwarmOptions}, {@link org.maiaos.mesh.hyperswarm.swarm.PeerInfo}
 * and {@link org.maiaos.mesh.hyperswarm.swarm.PeerDiscovery}. The peer queue and the retry timer are
 * package-private. See docs/swarm.md.
 */
package org.maiaos.mesh.hyperswarm.swarm;
