package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hypercore.ErrorCode;

/** hyperdht's failures ({@code lib/errors.js}, {@code lib/constants.js ERROR}) as seen by a client. */
public enum DhtError implements ErrorCode {
  /** Wire error 16: the storer holds another value under the same seq. */
  SEQ_REUSED,
  /** Wire error 17: the storer holds a higher seq. */
  SEQ_TOO_LOW,
  /** A storer answered with another non-zero error code. */
  REMOTE_ERROR,
  /** A closest node sent no token or no valid id, so nothing can be signed for it. */
  NO_TOKEN;

  /** The failure for a reply's wire error code. */
  static DhtError ofWire(long code) {
    if (code == HyperCommands.SEQ_REUSED) return SEQ_REUSED;
    if (code == HyperCommands.SEQ_TOO_LOW) return SEQ_TOO_LOW;
    return REMOTE_ERROR;
  }
}
