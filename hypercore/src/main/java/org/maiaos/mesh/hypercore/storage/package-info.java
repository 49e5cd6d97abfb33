/**
 * Internal: the on-disk layout of one core in one directory (oplog, tree, index, data and a
 * checkpoint header), crash-safe and with bounded memory. The public types are for the
 * {@code core} code of this module ({@link org.maiaos.mesh.hypercore.Hypercore}); they carry no
 * promise to users. See {@link org.maiaos.mesh.hypercore.storage.CoreStorage} for the layout and why
 * it survives {@code kill -9}.
 */
package org.maiaos.mesh.hypercore.storage;
