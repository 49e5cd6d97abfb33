/**
 * API*: a core's manifest, who signs it and how (JS hypercore's {@code lib/verifier.js}):
 * {@link org.maiaos.mesh.hypercore.manifest.Manifest} with its
 * {@link org.maiaos.mesh.hypercore.manifest.Signer}s and
 * {@link org.maiaos.mesh.hypercore.manifest.Prologue}, and the
 * {@link org.maiaos.mesh.hypercore.manifest.Verifier} that signs and checks a head. Its public types
 * serve the core, the Merkle tree and module {@code node}; a user reaches them only through
 * {@link org.maiaos.mesh.hypercore.HypercoreOptions}, {@link org.maiaos.mesh.hypercore.Hypercore#manifest()}
 * and {@link org.maiaos.mesh.hypercore.Hypercore#verifier()}, and no promise is made about them.
 */
package org.maiaos.mesh.hypercore.manifest;
