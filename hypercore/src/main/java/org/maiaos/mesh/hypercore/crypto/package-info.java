/**
 * API*: the cryptography of Hypercore: BLAKE2b-256 (plain and keyed), Ed25519 from a seed, the
 * {@code caps} constants and key derivations. Backed by the libsodium that lazysodium-java bundles,
 * so every byte and every edge case is libsodium's, as in JS (sodium-native).
 */
package org.maiaos.mesh.hypercore.crypto;
