/**
 * API*: @hyperswarm/secret-stream 6.9.2 on Netty, byte for byte: the 3-byte little-endian length
 * framing ({@code SecretStreamFrameDecoder}, bounded per phase before anything is buffered), the
 * {@code Noise_XX_Ed25519_ChaChaPoly_BLAKE2b} handshake of noise-handshake 4.2.0 with
 * noise-curve-ed 2.1.0 ({@link org.maiaos.mesh.hyperswarm.secretstream.NoiseXX}), the
 * stream-id header exchange, libsodium secretstream transport messages, keep-alives and a clean
 * half-close ({@link org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler}). The
 * bounds and timers are in
 * {@link org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits}. Anything malformed,
 * forged or over a bound closes the connection with DECODING_ERROR, logged once at WARN.
 */
package org.maiaos.mesh.hyperswarm.secretstream;
