package org.maiaos.mesh.hyperswarm.swarm;

import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;

/**
 * A swarm's settings, JS's defaults unless set.
 *
 * @param maxPeers connections at most (JS 64), counted as JS does with explicit peers
 * @param maxParallel client connects in flight at once (JS 3)
 * @param backoffs the four retry back-offs in ms (JS about 1 s, 5 s, 15 s, 10 min)
 * @param jitterMillis up to this much is added to each back-off, once per swarm (JS 500)
 * @param firewall refuses peers by public key before any connection is made, either way
 * @param streamLimits the secret-stream limits of every connection
 */
public record SwarmOptions(int maxPeers, int maxParallel, List<Long> backoffs, long jitterMillis, Firewall firewall,
    SecretStreamLimits streamLimits) {
  public static final SwarmOptions DEFAULT = new SwarmOptions(64, 3, RetryTimer.JS_BACKOFFS, RetryTimer.JS_JITTER,
      key -> false, SecretStreamLimits.DEFAULTS);

  /** True to refuse a peer; a refused peer is banned for the swarm's life (JS firewall). */
  @FunctionalInterface
  public interface Firewall {
    boolean reject(Key32 remotePublicKey);
  }

  public SwarmOptions {
    if (maxPeers < 1 || maxParallel < 1 || jitterMillis < 0) throw CoreError.BAD_ARGUMENT.error("swarm options");
    backoffs = List.copyOf(backoffs);
    if (backoffs.size() != 4 || backoffs.stream().anyMatch(b -> b < 0)) throw CoreError.BAD_ARGUMENT.error("four back-offs");
    if (firewall == null || streamLimits == null) throw CoreError.BAD_ARGUMENT.error("null option");
  }

  public SwarmOptions withMaxPeers(int n) {
    return new SwarmOptions(n, maxParallel, backoffs, jitterMillis, firewall, streamLimits);
  }

  public SwarmOptions withBackoffs(List<Long> b, long jitter) {
    return new SwarmOptions(maxPeers, maxParallel, b, jitter, firewall, streamLimits);
  }

  public SwarmOptions withFirewall(Firewall f) {
    return new SwarmOptions(maxPeers, maxParallel, backoffs, jitterMillis, f, streamLimits);
  }
}
