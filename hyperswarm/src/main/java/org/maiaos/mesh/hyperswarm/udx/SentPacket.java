package org.maiaos.mesh.hyperswarm.udx;

/** A DATA/END packet the peer has not yet acknowledged. Mutable; owned by {@link UdxSender}. */
final class SentPacket {
  final int seq;
  final int type;
  final byte[] payload;
  long sentAtNanos;
  boolean retransmitted;
  /** Counted in the sender's inflight (sent and not acked, sacked or declared lost). */
  boolean inflight;
  /** Declared lost and waiting in the retransmit queue. */
  boolean lost;
  boolean sacked;
  /** Zero bytes sent through the data offset to make this packet an MTU probe; 0 if not a probe. */
  int padding;

  SentPacket(int seq, int type, byte[] payload) {
    this.seq = seq;
    this.type = type;
    this.payload = payload;
  }
}
