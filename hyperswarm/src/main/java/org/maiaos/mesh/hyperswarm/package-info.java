/**
 * API. Replication (and, later, discovery), byte-compatible with the pinned JS packages. Today the
 * module holds the replication stack, lowest first: {@code .secretstream} (@hyperswarm/secret-stream
 * 6.9.2: Noise XX and the encrypted stream), {@code .mux} (protomux), {@code .wire} (the
 * {@code hypercore/alpha} messages that exist only for the network) and {@code .replication} (the
 * replicator, wired to a core through {@link org.maiaos.mesh.hypercore.Hypercore#replication()}).
 * See docs/replication.md.
 */
package org.maiaos.mesh.hyperswarm;
