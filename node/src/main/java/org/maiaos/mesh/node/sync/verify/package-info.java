/**
 * Internal. The crypto a cojson sync server needs to accept only verified content, as the
 * reference node (cojson 0.20.19 with its Rust core) checks it on ingestion: the header
 * ({@link org.maiaos.mesh.node.sync.verify.HeaderRules}), each session's signature chain
 * ({@link org.maiaos.mesh.node.sync.verify.SessionLog} over
 * {@link org.maiaos.mesh.node.sync.verify.CanonicalTransaction}s, signed by the key
 * {@link org.maiaos.mesh.node.sync.verify.SignerResolver} finds), delete transactions
 * ({@link org.maiaos.mesh.node.sync.verify.DeleteRules} with
 * {@link org.maiaos.mesh.node.sync.verify.GroupRoles}), and the reconcile sessions hash
 * ({@link org.maiaos.mesh.node.sync.verify.SessionsHash}). Errors are
 * {@link org.maiaos.mesh.hypercore.HypercoreException}s with a
 * {@link org.maiaos.mesh.node.sync.SyncError} code. Public types serve the sync engine in
 * {@code org.maiaos.mesh.node.sync} and carry no promise beyond it. Write permissions of ordinary
 * transactions are not checked here: the reference does not check them at ingestion either.
 */
package org.maiaos.mesh.node.sync.verify;
