/**
 * API*: protomux 3.12.1 on Netty, byte for byte
 * ({@link org.maiaos.mesh.hyperswarm.mux.Protomux}, a handler above the secret-stream):
 * channels paired by {@code (protocol, id)} with open/reject/close, local ids allocated as JS does,
 * messages typed by index, corked batches both ways, and the peer's opens offered to a
 * {@link org.maiaos.mesh.hyperswarm.mux.PairHandler}. Confined to the channel's event
 * loop. Bounds in {@link org.maiaos.mesh.hyperswarm.mux.MuxLimits}; a peer that breaks the
 * protocol is disconnected with DECODING_ERROR, logged once at WARN.
 */
package org.maiaos.mesh.hyperswarm.mux;
