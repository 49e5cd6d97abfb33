package org.maiaos.mesh.node.sync;

import org.maiaos.mesh.hypercore.ErrorCode;

/** The codes the sync server raises; messages read {@code CODE: detail}. */
public enum SyncError implements ErrorCode {
  /** A line that is not a well-formed sync message (bad JSON, a missing or mistyped field, a bound broken). */
  MALFORMED_MESSAGE,
  /** A WebSocket message over the configured size limit; the connection is closed. */
  FRAME_TOO_LARGE,
  /** A client that does not read its replies; the connection is closed before its queue grows further. */
  OUTGOING_QUEUE_FULL,
  /** The server is shutting down. */
  SERVER_CLOSED,
  /** A caller mistake (a bad address, a bad option). */
  BAD_ARGUMENT
}
