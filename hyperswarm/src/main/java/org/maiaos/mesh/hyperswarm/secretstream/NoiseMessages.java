package org.maiaos.mesh.hyperswarm.secretstream;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * What {@link NoiseXX} and {@link NoiseIK} share around their messages: the turn checks, the one
 * DECODING_ERROR a failed message becomes, and the byte concatenation that builds a message.
 */
final class NoiseMessages {
  private NoiseMessages() {}

  /** Refuses any call once the handshake failed or completed. */
  static void checkOpen(boolean failed, boolean complete) {
    if (failed) throw CoreError.INVALID_OPERATION.error("Noise handshake already failed");
    if (complete) throw CoreError.INVALID_OPERATION.error("Noise handshake already complete");
  }

  /** The error for a send or recv call out of turn, in the given pattern ("XX", "IK"). */
  static HypercoreException wrongTurn(String pattern, boolean initiator, boolean sending, int step) {
    return CoreError.INVALID_OPERATION.error("Noise %s %s must %s message %d", pattern,
        initiator ? "initiator" : "responder", sending ? "receive" : "send", step + 1);
  }

  /**
   * A failure while writing or reading message {@code step + 1}, as one DECODING_ERROR that names
   * the handshake ("Noise handshake", "Noise IK handshake") and keeps the cause's reason.
   */
  static HypercoreException failure(RuntimeException e, String handshake, int step) {
    String why = e instanceof HypercoreException he && he.code() == CoreError.DECODING_ERROR
        ? e.getMessage().substring("DECODING_ERROR: ".length())
        : e.getMessage();
    return CoreError.DECODING_ERROR.error(e, "%s message %d: %s", handshake, step + 1, why);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }
}
