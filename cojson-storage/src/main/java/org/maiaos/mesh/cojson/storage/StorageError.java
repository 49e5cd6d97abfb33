package org.maiaos.mesh.cojson.storage;

import org.maiaos.mesh.hypercore.ErrorCode;

/** The codes cojson-storage raises; messages read {@code CODE: detail}. */
public enum StorageError implements ErrorCode {
  /** A caller mistake (a bad id, a negative limit...). */
  BAD_ARGUMENT,
  /** A content message that is not valid JSON, lacks a field, or holds an out-of-range number; nothing is written. */
  MALFORMED_CONTENT,
  /** Content without a header for a CoValue the storage does not hold, and no correction supplied one. */
  UNKNOWN_COVALUE,
  /** What is on disk contradicts itself (a session row without its transactions...). */
  STORAGE_CORRUPT,
  /** The database or the disk failed. */
  IO_ERROR,
  /** A write to a read-only storage (another region's Hyperbee). */
  READ_ONLY,
  /** The storage was closed. */
  STORAGE_CLOSED,
  /** A broken invariant of our own. */
  ASSERTION
}
