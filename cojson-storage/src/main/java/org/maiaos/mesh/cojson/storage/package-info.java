/**
 * API cojson's storage ({@code StorageAPI} of cojson 0.20.19) for the JVM: {@link
 * org.maiaos.mesh.cojson.storage.StorageApi} with a SQLite backend ({@link
 * org.maiaos.mesh.cojson.storage.SqliteStorage}, the baseline and local cache) and, on Hyperbee,
 * the mesh's primary backend. Errors are {@link org.maiaos.mesh.hypercore.HypercoreException}s with
 * a {@link org.maiaos.mesh.cojson.storage.StorageError} code. See {@code docs/cojson-storage.md}.
 */
package org.maiaos.mesh.cojson.storage;
