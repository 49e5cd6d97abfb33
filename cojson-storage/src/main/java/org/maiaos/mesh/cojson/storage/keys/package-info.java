/**
 * Internal: how cojson data sits in a Hyperbee: {@link org.maiaos.mesh.cojson.storage.keys.KeyLayout}
 * (keys built for range reads, fixed-width big-endian numbers), the value codecs of a session
 * chunk ({@link org.maiaos.mesh.cojson.storage.keys.SessionChunk}) and of the per-CoValue record
 * ({@link org.maiaos.mesh.cojson.storage.keys.CoValueRecord}). Its public types serve the storage
 * backends of the parent package (a test of module {@code node} also reads {@code KeyLayout});
 * users are not offered them and no promise is made about them. See {@code docs/cojson-storage.md}.
 */
package org.maiaos.mesh.cojson.storage.keys;
