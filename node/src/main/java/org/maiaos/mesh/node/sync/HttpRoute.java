package org.maiaos.mesh.node.sync;

/**
 * A plain {@code GET} path served on the sync port next to {@code /health} (a node's
 * {@code /status}, {@code /metrics}): called on the connection's event loop, so it must be quick
 * and must not block.
 */
@FunctionalInterface
public interface HttpRoute {
  /** The answer to one request. */
  record Reply(String contentType, String body) { }

  Reply get();
}
