package org.maiaos.mesh.hyperswarm.udx;

/**
 * RFC 5681/6582 congestion control counted in packets: slow start from 10 packets (libudx's
 * initial cwnd), congestion avoidance of one packet per window, halving on fast loss and one
 * packet after a timeout. The window never exceeds {@code maxCwnd}.
 */
final class NewReno implements CongestionControl {
  static final int INITIAL_CWND = 10;
  private static final int MIN_SSTHRESH = 2;

  private final int maxCwnd;
  private int cwnd = INITIAL_CWND;
  private int ssthresh = Integer.MAX_VALUE;
  private int avoidanceCredit;

  NewReno(int maxCwnd) {
    this.maxCwnd = Math.max(INITIAL_CWND, maxCwnd);
    this.cwnd = Math.min(INITIAL_CWND, this.maxCwnd);
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  int ssthresh() {
    return ssthresh;
  }

  @Override
  public void onAck(int packets, boolean inRecovery) {
    if (packets <= 0 || inRecovery) return;
    if (cwnd < ssthresh) {
      cwnd = Math.min(maxCwnd, cwnd + packets);
      return;
    }
    avoidanceCredit += packets;
    while (avoidanceCredit >= cwnd && cwnd < maxCwnd) {
      avoidanceCredit -= cwnd;
      cwnd++;
    }
    if (cwnd >= maxCwnd) avoidanceCredit = 0;
  }

  @Override
  public void onFastLoss(int inflight) {
    ssthresh = Math.max(MIN_SSTHRESH, inflight / 2);
    cwnd = ssthresh;
    avoidanceCredit = 0;
  }

  @Override
  public void onTimeout(int inflight) {
    ssthresh = Math.max(MIN_SSTHRESH, inflight / 2);
    cwnd = 1;
    avoidanceCredit = 0;
  }

  @Override
  public void onRecoveryEnd() {
    cwnd = Math.max(cwnd, Math.min(ssthresh, maxCwnd));
  }
}
