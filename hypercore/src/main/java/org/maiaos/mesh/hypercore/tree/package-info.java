/**
 * API*: the Merkle tree of a core: flat-tree arithmetic, node hashes, heads and append batches, and
 * the proofs that let a reader verify any block against a signed head. Its public types serve the
 * core and the replicator of module {@code hyperswarm} (a user reaches them only through
 * {@link org.maiaos.mesh.hypercore.Hypercore#treeNode(long)} and
 * {@link org.maiaos.mesh.hypercore.Hypercore#replication()}); no promise is made about them. The
 * tree does no I/O: it reads stored nodes through a {@link org.maiaos.mesh.hypercore.tree.NodeReader}.
 *
 * <p>The proof request {@link org.maiaos.mesh.hypercore.tree.Request} and the proof
 * {@link org.maiaos.mesh.hypercore.tree.Data}, with their parts, are immutable records with the
 * compact-encoding of JS hypercore's {@code wire.request} / {@code wire.data} (JS keeps them in
 * hypercore's own {@code lib/messages.js}: a proof's shape and bytes are the log's, the network
 * only carries them). {@code ProofBuilder.build} answers a request with a proof and
 * {@code ProofVerifier.verify} checks one against a head and returns what it proved
 * ({@code VerifiedProof}): both byte-compatible with JS {@code lib/merkle-tree.js}. Replication
 * reaches them through {@link org.maiaos.mesh.hypercore.replication.Replicable}.
 */
package org.maiaos.mesh.hypercore.tree;
