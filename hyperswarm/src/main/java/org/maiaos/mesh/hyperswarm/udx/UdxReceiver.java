package org.maiaos.mesh.hyperswarm.udx;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiving half of a stream: cumulative ack, a bounded reorder ring, SACK blocks for the
 * ACK that answers every DATA/END packet (libudx {@code process_packet} / {@code send_ack}).
 * Sequence numbers count packets. Single-threaded (the stream's event loop).
 */
final class UdxReceiver {
  /** What the receiver hands on, in order. */
  interface Sink {
    void onData(byte[] payload);

    void onRemoteEnd();
  }

  private static final int MASK = UdxLimits.RING_PACKETS - 1;

  private final UdxLimits limits;
  private final Sink sink;
  /** Allocated on the first out-of-order packet: most streams never reorder, and 40 KB each adds up. */
  private byte[][] ring;
  private boolean[] ringEnd;
  private final int maxAheadPackets;
  private int ack;
  private int outOfOrder;
  private long outOfOrderBytes;
  private int highest; // highest out-of-order seq + 1 (valid when outOfOrder > 0)
  private boolean remoteEnded;
  private long droppedOverWindow;

  UdxReceiver(UdxLimits limits, Sink sink) {
    this.limits = limits;
    this.sink = sink;
    // a peer that honours our rwnd never sends further ahead than this
    this.maxAheadPackets = Math.min(UdxLimits.RING_PACKETS / 2, limits.receiveWindowBytes() / limits.maxPayloadBytes() * 2 + 64);
  }

  int ack() {
    return ack;
  }

  boolean remoteEnded() {
    return remoteEnded;
  }

  long droppedOverWindow() {
    return droppedOverWindow;
  }

  /** The window to advertise given {@code unreadBytes} already delivered but not yet read. */
  long rwnd(long unreadBytes) {
    long free = limits.receiveWindowBytes() - unreadBytes - outOfOrderBytes;
    return Math.max(0, free);
  }

  /**
   * A DATA and/or END packet. Returns nothing: the caller answers every such packet with an ACK.
   * {@code unreadBytes} bounds memory: a packet that does not fit is dropped (the peer resends).
   */
  void onData(UdxPacket p, long unreadBytes) {
    if (remoteEnded) return;
    int d = UdxPacket.seqDiff(p.seq(), ack);
    if (d < 0) return; // old: acked again, not delivered again
    if (d >= maxAheadPackets) {
      droppedOverWindow++;
      return;
    }
    byte[] data = p.has(UdxPacket.DATA) ? p.sharedPayload() : new byte[0];
    boolean end = p.has(UdxPacket.END);
    if (d == 0) {
      ack++;
      if (data.length > 0) sink.onData(data);
      if (end) {
        finishRemote();
        return;
      }
      drainInOrder();
      return;
    }
    if (ring == null) {
      ring = new byte[UdxLimits.RING_PACKETS][];
      ringEnd = new boolean[UdxLimits.RING_PACKETS];
    }
    int slot = p.seq() & MASK;
    if (ring[slot] != null) return; // duplicate
    if (unreadBytes + outOfOrderBytes + data.length > limits.receiveWindowBytes() + limits.maxPayloadBytes()) {
      droppedOverWindow++;
      return;
    }
    ring[slot] = data;
    ringEnd[slot] = end;
    outOfOrder++;
    outOfOrderBytes += data.length;
    if (outOfOrder == 1 || UdxPacket.seqDiff(p.seq() + 1, highest) > 0) highest = p.seq() + 1;
  }

  private void drainInOrder() {
    while (outOfOrder > 0) {
      int slot = ack & MASK;
      byte[] data = ring[slot];
      if (data == null) return;
      boolean end = ringEnd[slot];
      ring[slot] = null;
      ringEnd[slot] = false;
      outOfOrder--;
      outOfOrderBytes -= data.length;
      ack++;
      if (data.length > 0) sink.onData(data);
      if (end) {
        finishRemote();
        return;
      }
    }
  }

  private void finishRemote() {
    remoteEnded = true;
    // nothing after END is ever delivered
    for (int i = 0; ring != null && i < ring.length && outOfOrder > 0; i++) {
      if (ring[i] != null) {
        ring[i] = null;
        outOfOrder--;
      }
    }
    outOfOrder = 0;
    outOfOrderBytes = 0;
    sink.onRemoteEnd();
  }

  /** SACK blocks {@code [start, end)} above the ack, at most {@link UdxPacket#MAX_SACK_BLOCKS}. */
  List<UdxPacket.Sack> sacks() {
    if (outOfOrder == 0) return List.of();
    List<UdxPacket.Sack> out = new ArrayList<>();
    int span = UdxPacket.seqDiff(highest, ack);
    int start = 0;
    boolean in = false;
    for (int i = 1; i <= span && out.size() < UdxPacket.MAX_SACK_BLOCKS; i++) {
      int seq = ack + i;
      boolean have = i < span && ring[seq & MASK] != null;
      if (have && !in) {
        in = true;
        start = seq;
      } else if (!have && in) {
        in = false;
        out.add(new UdxPacket.Sack(start, seq));
      }
    }
    return out;
  }
}
