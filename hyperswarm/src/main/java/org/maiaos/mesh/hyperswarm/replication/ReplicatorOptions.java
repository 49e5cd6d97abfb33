package org.maiaos.mesh.hyperswarm.replication;

import java.time.Duration;

/**
 * Replication limits and timeouts.
 *
 * @param requestTimeout how long one request to one peer may take before we cancel it and try another
 * @param getTimeout how long a {@code get} or {@code update} may wait in all
 * @param maxInvalidRequests invalid requests from one peer before its stream is destroyed (JS: 64)
 */
public record ReplicatorOptions(Duration requestTimeout, Duration getTimeout, int maxInvalidRequests) {
  public static final ReplicatorOptions DEFAULTS = new ReplicatorOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), 64);
}
