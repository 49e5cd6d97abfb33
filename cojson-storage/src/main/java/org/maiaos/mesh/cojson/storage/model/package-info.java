/**
 * API* The cojson data model: CoValue headers (kept as the JSON text they arrived as, plus the
 * parsed fields), transactions (kept byte for byte), the sync protocol's {@code content} message,
 * known states, and the hashing that makes a CoValue ID ({@code co_z} + base58 of BLAKE3 over the
 * canonical JSON of the header). Mirrors {@code cojson/src/coValueCore/verifiedState.ts},
 * {@code knownState.ts}, {@code sync.ts} and {@code jsonStringify.ts} of cojson 0.20.19. Its
 * public types serve the storage classes and module {@code node} (the sync server); a user meets
 * the ones {@link org.maiaos.mesh.cojson.storage.StorageApi} takes and returns, and no promise is
 * made about the rest.
 */
package org.maiaos.mesh.cojson.storage.model;
