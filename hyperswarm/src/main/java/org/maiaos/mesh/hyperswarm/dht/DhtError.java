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
  NO_TOKEN,
  /** connect: no node holds a route to the server (JS PEER_NOT_FOUND). */
  PEER_NOT_FOUND,
  /** connect: nodes held a route but no handshake came back (JS PEER_CONNECTION_FAILED). */
  PEER_CONNECTION_FAILED,
  /** connect: the server answered with an error, or without the UDX data a stream needs (JS SERVER_ERROR). */
  SERVER_ERROR,
  /** connect: the server speaks another payload version (JS SERVER_INCOMPATIBLE). */
  SERVER_INCOMPATIBLE,
  /** connect: no direct or LAN path, and holepunching is not built (JS CANNOT_HOLEPUNCH). */
  CANNOT_HOLEPUNCH,
  /** listen: another server of this node already uses the key pair (JS KEYPAIR_ALREADY_USED). */
  KEYPAIR_ALREADY_USED;

  /** The failure for a reply's wire error code. */
  static DhtError ofWire(long code) {
    if (code == HyperCommands.SEQ_REUSED) return SEQ_REUSED;
    if (code == HyperCommands.SEQ_TOO_LOW) return SEQ_TOO_LOW;
    return REMOTE_ERROR;
  }
}
