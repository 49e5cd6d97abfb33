/**
 * Internal. A cojson sync-protocol client in Java, for {@code mesh demo} and the tests: valid
 * signed content as a real client writes it ({@link org.maiaos.mesh.node.sync.client.CojsonWriter}:
 * an account, a group readable by everyone, CoMaps of trusting {@code set}s, each session an
 * Ed25519-signed BLAKE3 chain over canonical transaction texts, see
 * {@link org.maiaos.mesh.node.sync.client.CoValueDraft}), the small messages a client sends
 * ({@link org.maiaos.mesh.node.sync.client.SyncFrames}), and a WebSocket connection that sends
 * lines and waits, with a timeout, for a reply matching a predicate
 * ({@link org.maiaos.mesh.node.sync.client.SyncClient}). It writes what the sync server must
 * accept; it is not a cojson node (no merging, no encryption, no permissions) and carries no
 * promise beyond the demo and the tests.
 */
package org.maiaos.mesh.node.sync.client;
