/**
 * Internal: the {@code hypercore/alpha} channel messages that exist only for the network (handshake,
 * sync, want/unwant, range, bitfield, cancel, no-data, extension) as immutable records, one per
 * file, each with the compact-encoding preencode/encode/decode triple of JS hypercore's
 * {@code lib/messages.js} ({@code wire.*}), byte for byte. Decoders bound every count and length
 * before allocating and report anything malformed as {@code DECODING_ERROR}. The records are public
 * only for the replicator in {@code .replication}; no promise is made about them.
 *
 * <p>Messages 1 and 3, {@code wire.request} and {@code wire.data}, are the proof request and the
 * proof: their records and codecs are the log's ({@link org.maiaos.mesh.hypercore.tree.Request},
 * {@link org.maiaos.mesh.hypercore.tree.Data}), built and checked by the Merkle tree; the
 * replicator frames them like every other message.
 */
package org.maiaos.mesh.hyperswarm.wire;
