package org.maiaos.mesh.node.sync;

import org.maiaos.mesh.hypercore.ErrorCode;

/**
 * The codes the sync server raises, its verification included; messages read {@code CODE: detail}.
 * A bad piece changes nothing, and the CoValue is marked errored for the peer that sent it.
 */
public enum SyncError implements ErrorCode {
  /** A line that is not a well-formed sync message (bad JSON, a missing or mistyped field, a bound broken). */
  MALFORMED_MESSAGE,
  /** A WebSocket message over the configured size limit; the connection is closed. */
  FRAME_TOO_LARGE,
  /** A client that does not read its replies; the connection is closed before its queue grows further. */
  OUTGOING_QUEUE_FULL,
  /** The server is shutting down. */
  SERVER_CLOSED,
  /** A caller mistake (a bad address, a bad option, a null, a negative count...). */
  BAD_ARGUMENT,
  /** An AgentID, signer ID or session ID that does not parse (prefix, base58, key length). */
  INVALID_ID,
  /** A signature that is malformed or does not verify against the session's signer. */
  INVALID_SIGNATURE,
  /** A transaction that cojson's Rust core would not parse into its transaction struct. */
  INVALID_TRANSACTION,
  /** A header the Rust core rejects: wrong shape, bad uniqueness, or one it would hash to another ID. */
  INVALID_HEADER,
  /** The session's signer cannot be found: the author's account header is missing or is not an account. */
  UNKNOWN_SIGNER,
  /** A piece that does not start at the session's current count. */
  WRONG_COUNT,
  /** A delete transaction the reference rejects (not alone, wrong target, group/account, author not admin). */
  DELETE_REJECTED
}
