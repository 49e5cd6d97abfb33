package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.hypercore.ErrorCode;

/**
 * The codes the sync server's verification raises; messages read {@code CODE: detail}. The engine
 * branches on the code: a bad piece changes nothing, and the CoValue is marked errored for the peer
 * that sent it, as cojson's {@code SyncManager} does.
 */
public enum SyncError implements ErrorCode {
  /** A caller mistake (a null, a negative count...). */
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
