package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.time.Duration;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The bounds of the RPC layer in one place. The defaults are dht-rpc's where it has one (1 s per
 * attempt, 3 retries, 80 sends per 750 ms slot) and ours where JS is unbounded.
 *
 * @param requestTimeout wait per attempt before the same datagram is re-sent
 * @param retries re-sends before REQUEST_TIMEOUT (a request is sent at most retries + 1 times)
 * @param maxWindow sends per 750 ms slot; the window of four slots takes twice that
 * @param maxPending requests waiting for the limiter before new ones fail with TOO_MANY_REQUESTS
 * @param maxInflight requests awaiting a reply before new ones fail likewise (tids are 16 bits)
 * @param maxInbox datagrams received but not yet handled; more are dropped (a flood)
 * @param maxDatagramBytes larger datagrams are dropped unread
 * @param maxPingDelay the longest DELAYED_PING served
 * @param maxDelayedPings DELAYED_PINGs waiting at once; more are dropped
 */
public record RpcLimits(Duration requestTimeout, int retries, int maxWindow, int maxPending, int maxInflight,
    int maxInbox, int maxDatagramBytes, Duration maxPingDelay, int maxDelayedPings) {
  public static final RpcLimits DEFAULT = new RpcLimits(Duration.ofMillis(1000), 3, 80, 4096, 8192, 4096, 65507,
      Duration.ofMillis(10_000), 256);

  public RpcLimits {
    if (requestTimeout.isNegative() || requestTimeout.isZero() || retries < 0 || maxWindow < 1 || maxPending < 0
        || maxInflight < 1 || maxInflight > 65536 || maxInbox < 1 || maxDatagramBytes < 2 || maxDelayedPings < 0) {
      throw CoreError.BAD_ARGUMENT.error("bad limits %s", this);
    }
  }
}
