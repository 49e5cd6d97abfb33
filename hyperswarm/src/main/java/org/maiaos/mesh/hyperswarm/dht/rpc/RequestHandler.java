package org.maiaos.mesh.hyperswarm.dht.rpc;

/**
 * Handles application (non-internal) commands, as a JS {@code 'request'} listener does. Runs on the
 * node's scheduler thread and must not block. Return false to let the node answer
 * UNKNOWN_COMMAND; true once the request is (or will be) answered with {@link IncomingRequest#reply}
 * or {@link IncomingRequest#error}. A request that carried a token has already passed the check.
 */
@FunctionalInterface
public interface RequestHandler {
  boolean onRequest(IncomingRequest req);
}
