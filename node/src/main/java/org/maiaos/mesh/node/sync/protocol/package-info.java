/**
 * Internal. The cojson sync protocol's messages ({@code cojson/src/sync.ts}) as immutable records,
 * and their line codec: one JSON object per line, parsed with every size and type checked before
 * anything is kept. {@code content} reuses the storage model's {@link
 * org.maiaos.mesh.cojson.storage.model.ContentMessage}, which keeps transaction texts byte for byte.
 * Its public types serve the sync engine in {@code org.maiaos.mesh.node.sync}; no promise is made
 * about them.
 */
package org.maiaos.mesh.node.sync.protocol;
