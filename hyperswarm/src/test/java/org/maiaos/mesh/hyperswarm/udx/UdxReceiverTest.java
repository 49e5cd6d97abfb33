package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UdxReceiverTest {
  private final List<Integer> delivered = new ArrayList<>();
  private int ends;
  private final UdxReceiver rx = new UdxReceiver(UdxLimits.DEFAULTS, new UdxReceiver.Sink() {
    @Override
    public void onData(byte[] payload) {
      delivered.add((int) payload[0]);
    }

    @Override
    public void onRemoteEnd() {
      ends++;
    }
  });

  private void data(int seq) {
    rx.onData(UdxPacket.of(UdxPacket.DATA, 1, 0, seq, 0, new byte[] {(byte) seq}), 0);
  }

  @Test
  void deliversInOrderWhateverTheArrivalOrderAndOnlyOnce() {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 100; i++) order.add(i);
    java.util.Collections.shuffle(order, new Random(Long.getLong("test.seed", 5L)));
    for (int seq : order) {
      data(seq);
      data(seq); // duplicate
    }
    List<Integer> want = new ArrayList<>();
    for (int i = 0; i < 100; i++) want.add(i);
    assertEquals(want, delivered);
    assertEquals(100, rx.ack());
    assertEquals(List.of(), rx.sacks());
  }

  @Test
  void sackBlocksDescribeTheGapsAboveTheAck() {
    data(0);
    data(2);
    data(3);
    data(5);
    assertEquals(1, rx.ack());
    assertEquals(List.of(new UdxPacket.Sack(2, 4), new UdxPacket.Sack(5, 6)), rx.sacks());
  }

  @Test
  void atMostFiftySackBlocks() {
    for (int i = 1; i < 300; i += 2) data(i);
    assertEquals(UdxPacket.MAX_SACK_BLOCKS, rx.sacks().size());
    assertEquals(new UdxPacket.Sack(1, 2), rx.sacks().get(0));
  }

  @Test
  void endIsDeliveredAfterTheDataBeforeItAndNothingAfter() {
    rx.onData(UdxPacket.of(UdxPacket.END, 1, 0, 2, 0, new byte[0]), 0);
    data(1);
    data(3);
    assertFalse(rx.remoteEnded());
    data(0);
    assertTrue(rx.remoteEnded());
    assertEquals(1, ends);
    assertEquals(List.of(0, 1), delivered);
    assertEquals(3, rx.ack());
    data(3);
    assertEquals(List.of(0, 1), delivered);
  }

  @Test
  void theWindowShrinksWithWhatIsBufferedAndUnread() {
    long full = rx.rwnd(0);
    assertEquals(4 << 20, full);
    data(1);
    assertEquals(full - 1, rx.rwnd(0));
    assertEquals(full - 1 - 1000, rx.rwnd(1000));
    assertEquals(0, rx.rwnd(10L << 20));
  }
}
