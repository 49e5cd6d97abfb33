/**
 * API: {@link org.maiaos.mesh.hyperbee.Hyperbee}, a B-tree over a Hypercore, byte-compatible with
 * JS hyperbee 2.27.3; its {@link org.maiaos.mesh.hyperbee.Entry entries},
 * {@link org.maiaos.mesh.hyperbee.Range ranges}, {@link org.maiaos.mesh.hyperbee.Batch batches},
 * {@link org.maiaos.mesh.hyperbee.DiffEntry diffs}, {@link org.maiaos.mesh.hyperbee.HistoryEntry
 * history}, {@link org.maiaos.mesh.hyperbee.Watcher watchers}, key and value
 * {@link org.maiaos.mesh.hyperbee.Encoding encodings} and {@link org.maiaos.mesh.hyperbee.HyperbeeOptions
 * options}. Errors are {@link org.maiaos.mesh.hypercore.HypercoreException}s with
 * {@link org.maiaos.mesh.hypercore.CoreError} codes (DECODING_ERROR for a malformed block).
 */
package org.maiaos.mesh.hyperbee;
