package org.maiaos.mesh.hyperswarm.udx;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The sending half of a stream: sequence numbers, the unacked ring, cumulative and selective
 * acks, RFC 6298 RTO with Karn's rule, SACK-based fast retransmit, the peer's rwnd, zero-window
 * probes and a {@link CongestionControl}. Single-threaded (the stream's event loop); it asks its
 * {@link Io} to transmit and to run timers.
 */
final class UdxSender {
  /** What the sender needs from its stream. */
  interface Io {
    /** Sends a packet of {@code type} with {@code seq}, the current ack and rwnd, and {@code padding} zero bytes. */
    void transmit(int type, int seq, byte[] payload, int padding);

    void schedule(Runnable task, long delayNanos);

    long nanoTime();

    /** Timeouts exhausted: the stream closes; {@code onlyEndUnacked} says all data got there. */
    void timedOut(boolean onlyEndUnacked, String detail);
  }

  /** A SACK marks a hole lost once this many packets above it have arrived (RFC 6675 DupThresh). */
  private static final int DUP_THRESH = 3;
  /** The ring starts small and doubles up to {@link UdxLimits#RING_PACKETS} as the unacked span needs. */
  private static final int FIRST_RING = 64;
  // MTU search as libudx (udx.h UDX_MTU_*): IPv4 20 + UDP 8 + UDX 20 bytes of headers
  static final int MTU_BASE = 1200;
  static final int MTU_MAX = 1500;
  static final int MTU_STEP = 32;
  static final int MTU_MAX_PROBES = 3;
  static final int HEADERS_BYTES = 48;
  private static final int MTU_BASE_STATE = 0;
  private static final int MTU_SEARCH = 1;
  private static final int MTU_COMPLETE = 2;

  private final UdxLimits limits;
  private final CongestionControl cc;
  private final Io io;
  private SentPacket[] ring = new SentPacket[FIRST_RING];
  private int mask = FIRST_RING - 1;
  private final ArrayDeque<SentPacket> retransmits = new ArrayDeque<>();
  /** Retransmitted packets in the order (so: the time) they went out, for the RACK check. */
  private final ArrayDeque<SentPacket> resent = new ArrayDeque<>();
  private long latestDeliveredSentAt;
  private boolean anyDelivered;

  private int una; // oldest unacked seq (libudx remote_acked)
  private int nxt; // next seq to send (libudx seq)
  private int inflight;
  private long peerRwnd = UdxLimits.DEFAULTS.receiveWindowBytes();
  private boolean fastRecovery;
  private boolean lossRecovery;
  private int recoveryPoint;
  private int lossScan;
  private int fack; // highest sacked seq + 1
  private boolean haveFack;
  /** Entering fast recovery resends the first lost packet at once, whatever cwnd (RFC 5681 3.2). */
  private boolean retransmitNow;

  private long srttMs;
  private long rttvarMs;
  private long rtoMs;
  private int rtoTimeouts;
  private int zeroWindowProbes;
  private long deadlineNanos;
  private boolean timerScheduled;
  private long timerDueNanos;
  private int timerKind; // 0 none, 1 RTO, 2 zero-window probe
  private boolean pendingData;
  private int endSeq;
  private boolean endSent;
  private boolean endAcked;
  private boolean dead;

  private final int mtuCap;
  private int mtu = MTU_BASE;
  private int mtuState;
  private int probeSize;
  private int probeCount;
  private boolean probeWanted;

  private long retransmitCount;
  private long droppedAcks;
  private long droppedSacks;

  UdxSender(UdxLimits limits, CongestionControl cc, Io io) {
    this.limits = limits;
    this.cc = cc;
    this.io = io;
    this.rtoMs = clampRto(1000);
    this.mtuCap = Math.min(MTU_MAX, limits.maxPayloadBytes() + HEADERS_BYTES);
    this.mtuState = mtuCap <= MTU_BASE ? MTU_COMPLETE : MTU_BASE_STATE;
    this.probeSize = Math.min(MTU_BASE + MTU_STEP, mtuCap);
  }

  /** Payload bytes per packet at the MTU found so far (1152 at the base MTU). */
  int maxPayload() {
    return Math.min(limits.maxPayloadBytes(), mtu - HEADERS_BYTES);
  }

  int mtu() {
    return mtu;
  }

  // ---- sending ----

  /** Room for a new packet: congestion window, peer rwnd and the ring bound. */
  boolean canSendNew() {
    if (dead) return false;
    if (UdxPacket.seqDiff(nxt, una) >= limits.maxInflightPackets()) return false;
    return inflight < sendWindowPackets();
  }

  private int sendWindowPackets() {
    long rwndPackets = peerRwnd == 0 ? 0 : Math.max(1, peerRwnd / maxPayload());
    return (int) Math.min(cc.cwnd(), rwndPackets);
  }

  /** Tells the sender whether the stream has bytes or an END waiting for window. */
  void setPendingData(boolean pending) {
    pendingData = pending;
    maybeArmZeroWindowProbe();
  }

  void sendNew(int type, byte[] payload) {
    int seq = nxt;
    if (UdxPacket.seqDiff(nxt, una) >= ring.length) growRing();
    SentPacket p = new SentPacket(seq, type, payload);
    ring[seq & mask] = p;
    nxt++;
    if ((type & UdxPacket.END) != 0) {
      endSent = true;
      endSeq = seq;
    }
    if (probeWanted && payload.length > 0) {
      // pad through the data offset so the whole IP packet is probeSize bytes
      int padding = probeSize - (HEADERS_BYTES + payload.length);
      if (padding >= 0 && padding <= 0xFF) {
        p.padding = padding;
        probeWanted = false;
        probeCount++;
      }
    }
    transmit(p, false);
  }

  private void transmit(SentPacket p, boolean retransmit) {
    p.sentAtNanos = io.nanoTime();
    p.inflight = true;
    p.lost = false;
    if (retransmit) {
      p.retransmitted = true;
      retransmitCount++;
    }
    inflight++;
    if (retransmit && resent.size() < limits.maxInflightPackets()) resent.add(p);
    io.transmit(p.type, p.seq, p.payload, p.padding);
    if (timerKind != 1) arm(1, rtoMs);
  }

  /** Resends packets declared lost, as far as the congestion window allows (rwnd ignored, as libudx). */
  void sendRetransmits() {
    while (!dead && !retransmits.isEmpty() && (retransmitNow || inflight < cc.cwnd())) {
      SentPacket p = retransmits.poll();
      if (p.sacked || ring[p.seq & mask] != p) continue;
      retransmitNow = false;
      transmit(p, true);
    }
    retransmitNow = false;
  }

  /** Doubles the ring, moving the unacked packets [una, nxt) to their slots under the new mask. */
  private void growRing() {
    if (ring.length >= UdxLimits.RING_PACKETS) throw new IllegalStateException("udx send ring full");
    SentPacket[] bigger = new SentPacket[ring.length * 2];
    int biggerMask = bigger.length - 1;
    for (int s = una; s != nxt; s++) bigger[s & biggerMask] = ring[s & mask];
    ring = bigger;
    mask = biggerMask;
  }

  // ---- acks ----

  /** Processes the ack, rwnd and SACK fields of any packet from the peer. */
  void onAck(UdxPacket pkt) {
    if (dead) return;
    int ack = pkt.ack();
    if (UdxPacket.seqDiff(ack, nxt) > 0) {
      droppedAcks++; // acks data we never sent: ignore it all (libudx does too)
      return;
    }
    int newlyAcked = 0;
    boolean advanced = UdxPacket.seqDiff(ack, una) > 0;
    if (UdxPacket.seqDiff(ack, una) >= 0) {
      peerRwnd = pkt.rwnd();
      if (peerRwnd > 0) zeroWindowProbes = 0; // only an open window ends a run of probes
    }
    if (advanced) {
      for (int s = una; s != ack; s++) {
        SentPacket p = ring[s & mask];
        if (p == null) continue;
        ring[s & mask] = null;
        if (!p.sacked) newlyAcked++;
        acked(p);
      }
      una = ack;
      rtoTimeouts = 0;
      if (UdxPacket.seqDiff(lossScan, una) < 0) lossScan = una;
      if (endSent && UdxPacket.seqDiff(una, endSeq) > 0) endAcked = true;
    }
    for (UdxPacket.Sack s : pkt.sacks()) {
      if (!sackValid(s)) {
        droppedSacks++;
        continue;
      }
      for (int q = s.start(); q != s.end(); q++) {
        SentPacket p = ring[q & mask];
        if (p == null || p.sacked) continue;
        p.sacked = true;
        newlyAcked++;
        acked(p);
      }
      if (!haveFack || UdxPacket.seqDiff(s.end(), fack) > 0) {
        fack = s.end();
        haveFack = true;
      }
    }
    if (haveFack && UdxPacket.seqDiff(fack, una) <= 0) haveFack = false;
    if ((fastRecovery || lossRecovery) && UdxPacket.seqDiff(una, recoveryPoint) >= 0) {
      if (fastRecovery) cc.onRecoveryEnd();
      fastRecovery = false;
      lossRecovery = false;
    }
    detectLoss();
    cc.onAck(newlyAcked, fastRecovery);
    if (una == nxt) {
      disarm();
      maybeArmZeroWindowProbe();
    } else if (advanced) {
      arm(1, rtoMs); // RFC 6298 (5.3): restart on new data acked
    }
  }

  private boolean sackValid(UdxPacket.Sack s) {
    // libudx udx_sack_is_valid: una <= start < end <= nxt
    return UdxPacket.seqDiff(s.start(), una) >= 0
        && UdxPacket.seqDiff(s.end(), s.start()) > 0
        && UdxPacket.seqDiff(s.end(), nxt) <= 0;
  }

  private void acked(SentPacket p) {
    if (mtuState == MTU_BASE_STATE) {
      mtuState = MTU_SEARCH; // the search starts after the first ack, as in libudx
      probeWanted = true;
    }
    if (p.padding > 0 && mtuState == MTU_SEARCH) {
      mtu = probeSize;
      probeCount = 0;
      if (probeSize >= mtuCap) {
        mtuState = MTU_COMPLETE;
      } else {
        probeSize = Math.min(probeSize + MTU_STEP, mtuCap);
        probeWanted = true;
      }
    }
    if (!anyDelivered || p.sentAtNanos - latestDeliveredSentAt > 0) latestDeliveredSentAt = p.sentAtNanos;
    anyDelivered = true;
    if (p.inflight) inflight--;
    p.inflight = false;
    if (!p.retransmitted) sampleRtt((io.nanoTime() - p.sentAtNanos) / 1_000_000L);
  }

  private void sampleRtt(long rtt) {
    rtt = Math.max(0, Math.min(rtt, limits.maxRto().toMillis()));
    if (srttMs == 0 && rttvarMs == 0) {
      srttMs = Math.max(1, rtt);
      rttvarMs = rtt / 2;
    } else {
      long delta = Math.abs(srttMs - rtt);
      rttvarMs = (3 * rttvarMs + delta) / 4;
      srttMs = (7 * srttMs + rtt) / 8;
    }
    rtoMs = clampRto(srttMs + 4 * rttvarMs);
  }

  private long clampRto(long ms) {
    return Math.max(limits.minRto().toMillis(), Math.min(ms, limits.maxRto().toMillis()));
  }

  /**
   * Holes with {@link #DUP_THRESH} sacked packets above them are lost (FACK). A retransmission is
   * lost again when a packet sent a reordering window after it was delivered first (RACK, RFC
   * 8985): without this only the RTO (at least 1 s) repairs a lost retransmission.
   */
  private void detectLoss() {
    boolean found = false;
    int before = inflight;
    long reoNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, srttMs / 4));
    while (anyDelivered && !resent.isEmpty() && latestDeliveredSentAt - resent.peek().sentAtNanos > reoNanos) {
      SentPacket p = resent.poll();
      if (p.sacked || !p.inflight || ring[p.seq & mask] != p) continue;
      p.inflight = false;
      p.lost = true;
      inflight--;
      unprobe(p);
      retransmits.add(p);
      found = true;
    }
    if (!haveFack) {
      enterRecoveryIf(found, before);
      return;
    }
    while (UdxPacket.seqDiff(fack, lossScan) > DUP_THRESH) {
      SentPacket p = ring[lossScan & mask];
      lossScan++;
      if (p == null || p.sacked || p.lost || !p.inflight) continue;
      p.inflight = false;
      p.lost = true;
      inflight--;
      unprobe(p);
      retransmits.add(p);
      found = true;
    }
    enterRecoveryIf(found, before);
  }

  private void enterRecoveryIf(boolean found, int before) {
    if (found && !fastRecovery && !lossRecovery) {
      cc.onFastLoss(before);
      retransmitNow = true;
      fastRecovery = true;
      recoveryPoint = nxt;
    }
  }

  /** A lost probe goes again unpadded; three lost probes end the search (libudx mtu_unprobeify_packet). */
  private void unprobe(SentPacket p) {
    if (p.padding == 0) return;
    p.padding = 0;
    if (mtuState != MTU_SEARCH) return;
    if (probeCount >= MTU_MAX_PROBES) mtuState = MTU_COMPLETE;
    else probeWanted = true;
  }

  // ---- timers ----

  private void arm(int kind, long delayMs) {
    timerKind = kind;
    deadlineNanos = io.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
    if (timerScheduled && timerDueNanos - deadlineNanos <= 0) return; // it wakes first and re-checks
    timerScheduled = true;
    timerDueNanos = deadlineNanos;
    io.schedule(this::onTimer, Math.max(0, deadlineNanos - io.nanoTime()));
  }

  private void disarm() {
    timerKind = 0;
  }

  private void onTimer() {
    timerScheduled = false;
    if (dead || timerKind == 0) return;
    long now = io.nanoTime();
    if (deadlineNanos - now > 0) {
      timerScheduled = true;
      timerDueNanos = deadlineNanos;
      io.schedule(this::onTimer, deadlineNanos - now);
      return;
    }
    int kind = timerKind;
    timerKind = 0;
    if (kind == 1) onRto();
    else onZeroWindowProbe();
  }

  private void onRto() {
    if (una == nxt) return;
    if (rtoTimeouts >= limits.maxRtoTimeouts()) {
      boolean onlyEnd = endSent && UdxPacket.seqDiff(nxt, una) == 1 && una == endSeq;
      dead = true;
      io.timedOut(onlyEnd, "no ack after " + rtoTimeouts + " retransmission timeouts; " + state());
      return;
    }
    rtoTimeouts++;
    cc.onTimeout(inflight);
    // As libudx (RACK, RFC 8985 6.3): the oldest packet and those sent longer than about an RTT ago
    // are lost; younger ones may still be queued on the path, so resending them would only add load.
    long now = io.nanoTime();
    long lostAfterNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, srttMs + srttMs / 4));
    retransmits.clear();
    resent.clear();
    for (int s = una; s != nxt; s++) {
      SentPacket p = ring[s & mask];
      if (p == null || p.sacked) continue;
      if (!p.lost && (s == una || now - p.sentAtNanos >= lostAfterNanos)) {
        if (p.inflight) inflight--;
        p.inflight = false;
        p.lost = true;
        unprobe(p);
      }
      if (p.lost) retransmits.add(p);
    }
    fastRecovery = false;
    lossRecovery = true;
    recoveryPoint = nxt;
    lossScan = nxt; // SACKs of old sends must not re-declare these retransmits lost
    arm(1, Math.min(rtoMs * 2, limits.maxRto().toMillis() * 2));
    SentPacket first = retransmits.poll();
    if (first != null) transmit(first, true); // the oldest goes now, whatever the window
    sendRetransmits();
  }

  private void maybeArmZeroWindowProbe() {
    if (dead || una != nxt || peerRwnd > 0 || !pendingData || timerKind == 2) return;
    arm(2, rtoMs);
  }

  private void onZeroWindowProbe() {
    if (peerRwnd > 0 || !pendingData || una != nxt) return;
    if (zeroWindowProbes >= limits.maxZeroWindowProbes()) {
      dead = true;
      io.timedOut(false, "zero window after " + zeroWindowProbes + " probes; " + state());
      return;
    }
    zeroWindowProbes++;
    io.transmit(UdxPacket.HEARTBEAT, nxt, new byte[0], 0);
    arm(2, Math.min(rtoMs * 2, limits.maxRto().toMillis() * 2));
  }

  // ---- state ----

  void kill() {
    dead = true;
    timerKind = 0;
    retransmits.clear();
  }

  int nextSeq() {
    return nxt;
  }

  /** DESTROY consumes a seq (libudx {@code udx_stream_destroy}). */
  int takeSeq() {
    return nxt++;
  }

  boolean allAcked() {
    return una == nxt;
  }

  boolean endSent() {
    return endSent;
  }

  boolean endAcked() {
    return endAcked;
  }

  long peerRwnd() {
    return peerRwnd;
  }

  int inflight() {
    return inflight;
  }

  long retransmitCount() {
    return retransmitCount;
  }

  long droppedAcks() {
    return droppedAcks;
  }

  long droppedSacks() {
    return droppedSacks;
  }

  /** One line for logs and error messages. */
  String state() {
    return "una=" + Integer.toUnsignedString(una) + " nxt=" + Integer.toUnsignedString(nxt) + " inflight=" + inflight
        + " cwnd=" + cc.cwnd() + " rwnd=" + peerRwnd + " rto=" + rtoMs + "ms mtu=" + mtu + " retransmits=" + retransmitCount
        + " queued=" + retransmits.size() + " droppedAcks=" + droppedAcks + " droppedSacks=" + droppedSacks;
  }

  long rtoMillis() {
    return rtoMs;
  }
}
