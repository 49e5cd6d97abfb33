package org.maiaos.mesh.hyperswarm.udx;

/**
 * The sender's congestion window, in packets. Congestion control is local to the sender, so any
 * implementation interoperates with libudx (which runs BBRv1). Called on the stream's event loop
 * only.
 */
public interface CongestionControl {
  /** Packets that may be in flight now; at least 1. */
  int cwnd();

  /**
   * {@code packets} newly acknowledged (cumulatively or by SACK); {@code inRecovery} while loss
   * recovery is still repairing the window.
   */
  void onAck(int packets, boolean inRecovery);

  /** Loss found by SACK/duplicate acks: once per recovery episode. {@code inflight} in packets. */
  void onFastLoss(int inflight);

  /** The retransmission timer fired. {@code inflight} in packets before the timeout. */
  void onTimeout(int inflight);

  /** Loss recovery has repaired the window (the ack passed the recovery point). */
  void onRecoveryEnd();
}
