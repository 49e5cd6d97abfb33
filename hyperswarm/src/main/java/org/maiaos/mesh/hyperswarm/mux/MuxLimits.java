package org.maiaos.mesh.hyperswarm.mux;

import java.time.Duration;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The bounds of one {@link Protomux}. A peer that goes past one is disconnected with
 * DECODING_ERROR.
 *
 * @param maxBufferedBytes bytes of messages held for channels the peer opened but that are not
 *     paired here yet, counted as JS does (512 per message plus its length); past it reading
 *     pauses until they drain. JS's {@code MAX_BUFFERED}, 32 768.
 * @param maxBatchBytes a corked batch is sent once it reaches this size. JS's {@code MAX_BATCH},
 *     8 MiB.
 * @param maxRemoteChannels how many channel ids the peer may use at once (its highest id). JS has
 *     no bound; default 65 536.
 * @param maxPendingOpens opens from the peer waiting for a local pair decision at once. JS has
 *     none ({@code MAX_BACKLOG = Infinity}); default 4 096.
 * @param pairTimeout how long an asynchronous {@link PairHandler} may take before the open it was
 *     asked about is rejected; default 30 s.
 */
public record MuxLimits(long maxBufferedBytes, int maxBatchBytes, int maxRemoteChannels, int maxPendingOpens,
    Duration pairTimeout) {

  public static final MuxLimits DEFAULTS = new MuxLimits(32_768, 8 * 1024 * 1024, 65_536, 4_096, Duration.ofSeconds(30));

  public MuxLimits {
    if (maxBufferedBytes < 0 || maxBatchBytes < 1 || maxRemoteChannels < 1 || maxPendingOpens < 1) {
      throw CoreError.BAD_ARGUMENT.error("mux limits must be positive");
    }
    if (pairTimeout == null || pairTimeout.isNegative() || pairTimeout.isZero()) {
      throw CoreError.BAD_ARGUMENT.error("pairTimeout must be positive");
    }
  }

  public MuxLimits withMaxBufferedBytes(long n) {
    return new MuxLimits(n, maxBatchBytes, maxRemoteChannels, maxPendingOpens, pairTimeout);
  }

  public MuxLimits withMaxBatchBytes(int n) {
    return new MuxLimits(maxBufferedBytes, n, maxRemoteChannels, maxPendingOpens, pairTimeout);
  }

  public MuxLimits withMaxRemoteChannels(int n) {
    return new MuxLimits(maxBufferedBytes, maxBatchBytes, n, maxPendingOpens, pairTimeout);
  }

  public MuxLimits withMaxPendingOpens(int n) {
    return new MuxLimits(maxBufferedBytes, maxBatchBytes, maxRemoteChannels, n, pairTimeout);
  }

  public MuxLimits withPairTimeout(Duration d) {
    return new MuxLimits(maxBufferedBytes, maxBatchBytes, maxRemoteChannels, maxPendingOpens, d);
  }
}
