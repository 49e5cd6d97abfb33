package org.maiaos.mesh.hyperswarm.dht.rpc;

import org.maiaos.mesh.hypercore.ErrorCode;

/**
 * The failures of dht-rpc ({@code dht-rpc/lib/errors.js}), spelled as in JS, plus our bounds. A
 * reply that carries a non-zero wire error is not an exception: it is a {@link Reply} whose
 * {@link Reply#error()} says so, as in JS.
 */
public enum RpcError implements ErrorCode {
  REQUEST_TIMEOUT,
  REQUEST_DESTROYED,
  /** Our own bound: more requests waiting for the send limiter than {@link RpcLimits#maxPending()}. */
  TOO_MANY_REQUESTS,
  /** A query whose commit phase had no node to commit to ("Too few nodes responded" in JS). */
  TOO_FEW_NODES,
  NODE_DESTROYED;

  /** Wire error codes in a response ({@code dht-rpc/lib/errors.js}). */
  public static final int OK = 0;
  public static final int UNKNOWN_COMMAND = 1;
  public static final int INVALID_TOKEN = 2;
}
