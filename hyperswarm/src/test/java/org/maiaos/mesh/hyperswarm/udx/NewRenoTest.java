package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NewRenoTest {
  @Test
  void slowStartThenOnePacketPerWindow() {
    NewReno cc = new NewReno(512);
    assertEquals(10, cc.cwnd());
    cc.onAck(10, false);
    assertEquals(20, cc.cwnd());
    cc.onFastLoss(20);
    assertEquals(10, cc.cwnd());
    assertEquals(10, cc.ssthresh());
    cc.onAck(5, true); // frozen during recovery
    assertEquals(10, cc.cwnd());
    cc.onRecoveryEnd();
    cc.onAck(9, false);
    assertEquals(10, cc.cwnd());
    cc.onAck(1, false);
    assertEquals(11, cc.cwnd()); // a full window of acks adds one
  }

  @Test
  void aTimeoutDropsToOnePacketAndTheWindowNeverPassesItsCap() {
    NewReno cc = new NewReno(16);
    cc.onAck(100, false);
    assertEquals(16, cc.cwnd());
    cc.onTimeout(16);
    assertEquals(1, cc.cwnd());
    assertEquals(8, cc.ssthresh());
    cc.onAck(7, false);
    assertEquals(8, cc.cwnd());
    cc.onFastLoss(1);
    assertEquals(2, cc.cwnd()); // never below 2 after a fast loss
  }
}
