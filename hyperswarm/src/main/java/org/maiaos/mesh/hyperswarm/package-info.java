/**
 * API. Discovery and replication, byte-compatible with the pinned JS packages (hyperswarm 4.17.2,
 * hyperdht 6.34.0, dht-rpc 6.27.0, udx-native 1.21.3, @hyperswarm/secret-stream 6.9.2): the layers
 * live in the sub-packages, lowest first {@code .udx}, {@code .dht.rpc}, {@code .dht},
 * {@code .secretstream}, {@code .mux}, {@code .wire}, {@code .replication}. See docs/swarm.md.
 */
package org.maiaos.mesh.hyperswarm;
