/**
 * API*: the {@code hypercore/alpha} channel messages as immutable records, one per file, each with
 * the compact-encoding preencode/encode/decode triple of {@code lib/messages.js} ({@code wire.*}),
 * byte for byte. Decoders bound every count and length before allocating and report anything
 * malformed as {@code DECODING_ERROR}; they do not judge whether a message makes sense (a proof is
 * checked by {@link org.maiaos.mesh.hypercore.tree.ProofVerifier}).
 */
package org.maiaos.mesh.hypercore.protocol.wire;
