/**
 * The Merkle tree of a core: flat-tree arithmetic, node hashes, heads and append batches, and the
 * proofs that let a reader verify any block against a signed head. The tree does no I/O: it reads
 * stored nodes through a {@link org.maiaos.mesh.hypercore.tree.NodeReader}.
 *
 * <p>API*: {@code ProofBuilder.build} answers a {@code hypercore/alpha} request with a proof
 * ({@code Data}), and {@code ProofVerifier.verify} checks one against a head and returns what it
 * proved ({@code VerifiedProof}): both byte-compatible with JS {@code lib/merkle-tree.js}.
 */
package org.maiaos.mesh.hypercore.tree;
