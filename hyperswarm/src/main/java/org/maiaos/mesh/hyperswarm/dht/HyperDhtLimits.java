package org.maiaos.mesh.hyperswarm.dht;

import java.time.Duration;

/**
 * The bounds of a HyperDHT node, with JS's defaults ({@code index.js defaultCacheOpts}).
 *
 * @param maxCacheEntries records, routes, bumps and refreshes each; mutables and immutables get half (65,536)
 * @param recordMaxAge announce records and routes (20 min): publishers must re-announce
 * @param dataMaxAge mutable and immutable values (48 h)
 * @param maxValueBytes the largest mutable or immutable value stored or accepted in a reply; JS has
 *     no bound but the datagram, this one keeps a put inside one UDP datagram
 */
public record HyperDhtLimits(int maxCacheEntries, Duration recordMaxAge, Duration dataMaxAge, int maxValueBytes) {
  public static final HyperDhtLimits DEFAULT =
      new HyperDhtLimits(65_536, Duration.ofMinutes(20), Duration.ofHours(48), 8192);

  public HyperDhtLimits {
    if (maxCacheEntries < 2 || maxValueBytes < 1 || recordMaxAge.isNegative() || recordMaxAge.isZero()
        || dataMaxAge.isNegative() || dataMaxAge.isZero()) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
