/**
 * API*: the dht-rpc wire messages, one immutable record each, with compact-encoding
 * preencode/encode/decode triples that produce the bytes of {@code dht-rpc/lib/io.js}. HyperDHT
 * builds on these; users are not offered them. Decoders check every count and length against a
 * bound and the bytes left before allocating, and report {@code DECODING_ERROR}.
 */
package org.maiaos.mesh.hyperswarm.dht.messages;
