package org.maiaos.mesh.hypercore;

/** The hypercore-errors codes we raise, spelled as JS spells them, plus the project-wide ones. */
public enum CoreError implements ErrorCode {
  ASSERTION,
  BAD_ARGUMENT,
  BLOCK_NOT_AVAILABLE,
  DECODING_ERROR,
  INVALID_CAPABILITY,
  INVALID_CHECKSUM,
  INVALID_OPERATION,
  INVALID_PROOF,
  INVALID_SIGNATURE,
  REQUEST_CANCELLED,
  REQUEST_TIMEOUT,
  SESSION_CLOSED,
  SESSION_NOT_WRITABLE,
  STORAGE_CORRUPT,
  STORAGE_EMPTY,
  STORAGE_CONFLICT,
  /** An I/O failure of the local disk. */
  IO_ERROR
}
