package org.maiaos.mesh.hyperswarm.mux;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel the peer opened (JS {@code _remote} entries), by the peer's id: its handshake until a
 * local channel takes it, the messages that came before that ({@code pending}, null once paired)
 * and the local channel.
 */
final class RemoteSlot {
  /** A message held for a channel not paired yet, with its own copy of the bytes. */
  record Pending(long type, byte[] message) {
    /** What JS counts against {@code MAX_BUFFERED}. */
    long weight() {
      return 512L + message.length;
    }
  }

  byte[] handshake;
  List<Pending> pending;
  MuxChannel session;

  RemoteSlot(byte[] handshake, boolean paired) {
    this.handshake = handshake;
    this.pending = paired ? null : new ArrayList<>();
  }

  long pendingWeight() {
    long n = 0;
    if (pending != null) for (Pending p : pending) n += p.weight();
    return n;
  }
}
