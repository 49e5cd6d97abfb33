package org.maiaos.mesh.hyperswarm.swarm;

import java.util.List;
import java.util.Random;

/**
 * When a peer whose connection failed or ended is tried again ({@code hyperswarm/lib/retry-timer.js}):
 * one of four back-offs (about 1 s, 5 s, 15 s and 10 min, each with up to half a second of jitter per
 * swarm), chosen by how many attempts failed and whether the peer ever connected; none for a banned
 * peer or one that failed more than three times (an explicit peer gets the longest). JS batches each
 * back-off in a timer ticking at two thirds of it; a single timer per retry here waits the back-off
 * itself, which lies inside the JS window.
 */
final class RetryTimer {
  /** JS BACKOFF_S, _M, _L and _X without their jitter. */
  static final List<Long> JS_BACKOFFS = List.of(1000L, 5000L, 15_000L, 600_000L);
  static final long JS_JITTER = 500;

  private final long[] delays = new long[4];

  RetryTimer(List<Long> backoffs, long jitter, Random random) {
    if (backoffs.size() != 4) throw new IllegalArgumentException("four back-offs");
    for (int i = 0; i < 4; i++) delays[i] = backoffs.get(i) + (jitter <= 0 ? 0 : (long) (random.nextDouble() * jitter));
  }

  /** The wait before the next attempt, or -1 for none (JS {@code _selectRetryTimer}). */
  long delayFor(PeerInfo p) {
    if (p.banned) return -1;
    if (p.attempts > 3) return p.explicit ? delays[3] : -1;
    if (p.attempts == 0) return delays[0];
    if (p.proven) {
      return switch (p.attempts) {
        case 1 -> delays[0];
        case 2 -> delays[1];
        default -> delays[2];
      };
    }
    return p.attempts == 1 ? delays[1] : delays[2];
  }
}
