/**
 * API* How cojson data sits in a Hyperbee: {@link org.maiaos.mesh.cojson.storage.keys.KeyLayout}
 * (keys built for range reads, fixed-width big-endian numbers), the value codecs of a session
 * chunk ({@link org.maiaos.mesh.cojson.storage.keys.SessionChunk}) and of the per-CoValue record
 * ({@link org.maiaos.mesh.cojson.storage.keys.CoValueRecord}). A remote region's reader needs
 * exactly these to read another node's bee. See {@code docs/cojson-storage.md}.
 */
package org.maiaos.mesh.cojson.storage.keys;
