package org.maiaos.mesh.hyperswarm.dht.rpc;

/**
 * The global send limiter of {@code dht-rpc/lib/io.js CongestionWindow}: four slots of one drain
 * tick (750 ms); at most {@code maxWindow} sends in the current slot and twice that in the window.
 * A reply frees a send in the current slot.
 */
final class CongestionWindow {
  private final int maxWindow;
  private final int[] window = new int[4];
  private int i;
  private int total;

  CongestionWindow(int maxWindow) {
    this.maxWindow = maxWindow;
  }

  boolean isFull() {
    return total >= 2 * maxWindow || window[i] >= maxWindow;
  }

  void send() {
    total++;
    window[i]++;
  }

  void recv() {
    if (window[i] > 0) {
      window[i]--;
      total--;
    }
  }

  void drain() {
    i = (i + 1) & 3;
    total -= window[i];
    window[i] = 0;
  }
}
