/**
 * The Merkle tree of a core: flat-tree arithmetic, node hashes, heads and append batches, and the
 * proofs that let a reader verify any block against a signed head. The tree does no I/O: it reads
 * stored nodes through a {@link org.maiaos.mesh.hypercore.tree.NodeReader}.
 */
package org.maiaos.mesh.hypercore.tree;
