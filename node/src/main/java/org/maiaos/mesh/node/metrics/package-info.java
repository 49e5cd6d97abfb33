/**
 * Internal: a region node's {@code GET /metrics} in the Prometheus text format
 * ({@link org.maiaos.mesh.node.metrics.NodeMetrics}). Public only for the region node in
 * {@code org.maiaos.mesh.node.mesh}; no promise is made about it.
 */
package org.maiaos.mesh.node.metrics;
