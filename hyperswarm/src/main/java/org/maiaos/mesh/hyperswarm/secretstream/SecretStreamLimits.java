package org.maiaos.mesh.hyperswarm.secretstream;

import java.time.Duration;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * Every bound and timer of one secret-stream connection. A frame's 3-byte length is checked
 * against the bound of the current phase before anything is buffered for it.
 *
 * @param maxFrameBytes largest transport frame body accepted (ciphertext, plaintext + 17). The
 *     default is the most a 3-byte length can say, 16 MiB - 1, which is also the most JS will
 *     write ({@code MAX_ATOMIC_WRITE}); a lower bound refuses large messages from JS peers.
 * @param maxHandshakeBytes largest Noise handshake frame accepted before the peer is
 *     authenticated. XX messages are 32, 96 and 64 bytes with the empty payloads secret-stream
 *     sends; noise-handshake caps any Noise message at 65 535 bytes, the default.
 * @param maxPendingWriteBytes plaintext bytes that may be queued by writes issued before the
 *     handshake completes; a write past it fails. Default 16 MiB.
 * @param handshakeTimeout how long the handshake and the peer's header may take before the stream
 *     is closed with REQUEST_TIMEOUT; JS sets none, the default is 10 s.
 * @param keepAlive when positive, an empty message is sent whenever nothing was written for about
 *     this long (at the latest after {@code keepAlive}), and received empty messages are dropped,
 *     as JS {@code setKeepAlive}. Hypercore's {@code replicate()} uses 5 s, the default.
 * @param timeout when positive, the stream is closed with REQUEST_TIMEOUT if no bytes arrive for
 *     between one and two times this long (JS {@code setTimeout}); Hypercore sets none, so the
 *     default is zero (off).
 */
public record SecretStreamLimits(
    int maxFrameBytes,
    int maxHandshakeBytes,
    long maxPendingWriteBytes,
    Duration handshakeTimeout,
    Duration keepAlive,
    Duration timeout) {

  /** The most a 3-byte little-endian length can say, and the most JS writes in one frame. */
  public static final int MAX_FRAME_BYTES = 0xFF_FFFF;
  /** The header message: stream id (32) and secretstream header (24). */
  public static final int HEADER_MESSAGE_BYTES = 56;
  /** The largest XX handshake message with empty payloads. */
  static final int MIN_HANDSHAKE_BYTES = 96;

  public static final SecretStreamLimits DEFAULTS = new SecretStreamLimits(
      MAX_FRAME_BYTES, 65_535, 16L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);

  public SecretStreamLimits {
    if (maxFrameBytes < HEADER_MESSAGE_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("maxFrameBytes %d not in [%d, %d]", maxFrameBytes, HEADER_MESSAGE_BYTES, MAX_FRAME_BYTES);
    }
    if (maxHandshakeBytes < MIN_HANDSHAKE_BYTES || maxHandshakeBytes > MAX_FRAME_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("maxHandshakeBytes %d not in [%d, %d]", maxHandshakeBytes, MIN_HANDSHAKE_BYTES, MAX_FRAME_BYTES);
    }
    if (maxPendingWriteBytes < 0) throw CoreError.BAD_ARGUMENT.error("negative maxPendingWriteBytes");
    if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw CoreError.BAD_ARGUMENT.error("handshakeTimeout must be positive");
    }
    if (keepAlive == null || keepAlive.isNegative() || timeout == null || timeout.isNegative()) {
      throw CoreError.BAD_ARGUMENT.error("keepAlive and timeout must be zero (off) or positive");
    }
  }

  public SecretStreamLimits withMaxFrameBytes(int bytes) {
    return new SecretStreamLimits(bytes, maxHandshakeBytes, maxPendingWriteBytes, handshakeTimeout, keepAlive, timeout);
  }

  public SecretStreamLimits withMaxHandshakeBytes(int bytes) {
    return new SecretStreamLimits(maxFrameBytes, bytes, maxPendingWriteBytes, handshakeTimeout, keepAlive, timeout);
  }

  public SecretStreamLimits withMaxPendingWriteBytes(long bytes) {
    return new SecretStreamLimits(maxFrameBytes, maxHandshakeBytes, bytes, handshakeTimeout, keepAlive, timeout);
  }

  public SecretStreamLimits withHandshakeTimeout(Duration d) {
    return new SecretStreamLimits(maxFrameBytes, maxHandshakeBytes, maxPendingWriteBytes, d, keepAlive, timeout);
  }

  public SecretStreamLimits withKeepAlive(Duration d) {
    return new SecretStreamLimits(maxFrameBytes, maxHandshakeBytes, maxPendingWriteBytes, handshakeTimeout, d, timeout);
  }

  public SecretStreamLimits withTimeout(Duration d) {
    return new SecretStreamLimits(maxFrameBytes, maxHandshakeBytes, maxPendingWriteBytes, handshakeTimeout, keepAlive, d);
  }
}
