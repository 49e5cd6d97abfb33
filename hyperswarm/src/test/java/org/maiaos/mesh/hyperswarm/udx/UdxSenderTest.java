package org.maiaos.mesh.hyperswarm.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sender against a fake clock: timers fire when the test says so, never by wall time. */
class UdxSenderTest {
  private static final UdxLimits LIMITS = UdxLimits.DEFAULTS;

  /** Records transmissions; runs scheduled tasks as the fake clock advances. */
  private static final class FakeIo implements UdxSender.Io {
    record Sent(int type, int seq, int length, int padding) {}

    record Task(long at, long order, Runnable r) {}

    final List<Sent> sent = new ArrayList<>();
    final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    long now = 1_000_000_000L;
    long order;
    String timedOut;
    boolean onlyEnd;

    @Override
    public void transmit(int type, int seq, byte[] payload, int padding) {
      sent.add(new Sent(type, seq, payload.length, padding));
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
      tasks.add(new Task(now + delayNanos, order++, task));
    }

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void timedOut(boolean onlyEndUnacked, String detail) {
      timedOut = detail;
      onlyEnd = onlyEndUnacked;
    }

    void advance(Duration d) {
      long until = now + d.toNanos();
      while (!tasks.isEmpty() && tasks.peek().at <= until) {
        Task t = tasks.poll();
        now = Math.max(now, t.at);
        t.r.run();
      }
      now = until;
    }

    List<Integer> seqsSince(int from) {
      List<Integer> out = new ArrayList<>();
      for (int i = from; i < sent.size(); i++) out.add(sent.get(i).seq());
      return out;
    }
  }

  private static UdxPacket ack(int ack, long rwnd, UdxPacket.Sack... sacks) {
    return new UdxPacket(sacks.length == 0 ? 0 : UdxPacket.SACK, 0, 1, rwnd, 0, ack, List.of(sacks), new byte[0]);
  }

  private static void sendPackets(UdxSender s, int n) {
    for (int i = 0; i < n; i++) {
      assertTrue(s.canSendNew());
      s.sendNew(UdxPacket.DATA, new byte[1152]);
    }
  }

  @Test
  void theInitialWindowIsTenPacketsAndGrowsInSlowStart() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 10);
    assertFalse(s.canSendNew());
    io.now += TimeUnit.MILLISECONDS.toNanos(10);
    s.onAck(ack(10, 4 << 20));
    assertTrue(s.allAcked());
    sendPackets(s, 20); // cwnd 10 + 10 acked
    assertFalse(s.canSendNew());
  }

  @Test
  void threeSackedPacketsAboveAHoleRetransmitItOnce() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 10);
    int mark = io.sent.size();
    s.onAck(ack(0, 4 << 20, new UdxPacket.Sack(1, 3)));
    s.sendRetransmits();
    assertEquals(List.of(), io.seqsSince(mark)); // two above the hole: not yet
    s.onAck(ack(0, 4 << 20, new UdxPacket.Sack(1, 5)));
    s.sendRetransmits();
    assertEquals(List.of(0), io.seqsSince(mark));
    s.onAck(ack(0, 4 << 20, new UdxPacket.Sack(1, 6)));
    s.sendRetransmits();
    assertEquals(List.of(0), io.seqsSince(mark));
  }

  @Test
  void aLostRetransmissionIsResentWhenLaterPacketsArriveWithoutWaitingForTheRto() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 10);
    io.now += TimeUnit.MILLISECONDS.toNanos(10);
    s.onAck(ack(0, 4 << 20, new UdxPacket.Sack(1, 5)));
    s.sendRetransmits(); // 0 resent
    io.now += TimeUnit.MILLISECONDS.toNanos(10);
    s.sendNew(UdxPacket.DATA, new byte[1152]); // seq 10, after the retransmission
    io.now += TimeUnit.MILLISECONDS.toNanos(10);
    int mark = io.sent.size();
    s.onAck(ack(0, 4 << 20, new UdxPacket.Sack(1, 11))); // 10 arrived, the resent 0 did not
    s.sendRetransmits();
    assertEquals(List.of(0), io.seqsSince(mark));
  }

  @Test
  void sixTimeoutsInARowTimeOutAndAnAckResetsTheCount() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 2);
    io.advance(Duration.ofSeconds(10)); // timeouts at 1, 3, 5, 7, 9 s (the timer is RTO x 2 after one)
    assertEquals(null, io.timedOut);
    assertEquals(2 + 5, io.sent.size());
    s.onAck(ack(1, 4 << 20)); // progress
    io.advance(Duration.ofSeconds(12)); // six more: +1, +3 ... +11 s
    assertEquals(null, io.timedOut);
    assertEquals(2 + 5 + 6, io.sent.size());
    int mark = io.sent.size();
    io.advance(Duration.ofSeconds(60));
    assertTrue(io.timedOut.startsWith("no ack after 6"), io.timedOut);
    assertFalse(io.onlyEnd);
    assertEquals(List.of(), io.seqsSince(mark));
    assertFalse(s.canSendNew());
  }

  @Test
  void theRtoFollowsTheMeasuredRttWithinItsBounds() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS.withRto(Duration.ofMillis(200), Duration.ofSeconds(30)), new NewReno(512), io);
    assertEquals(1000, s.rtoMillis()); // RFC 6298 initial 1 s
    sendPackets(s, 1);
    io.now += TimeUnit.MILLISECONDS.toNanos(4);
    s.onAck(ack(1, 4 << 20));
    assertEquals(200, s.rtoMillis()); // 4 + 4 * 2 = 12 ms, raised to the minimum
    sendPackets(s, 1);
    io.now += TimeUnit.SECONDS.toNanos(40);
    s.onAck(ack(2, 4 << 20));
    assertEquals(30_000, s.rtoMillis());
  }

  @Test
  void theTimerOnlyRetransmitsTheOldestAndStalePacketsWithoutABurst() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 1);
    io.now += TimeUnit.MILLISECONDS.toNanos(10);
    s.onAck(ack(1, 4 << 20)); // srtt 10 ms
    sendPackets(s, 11);
    int mark = io.sent.size();
    io.advance(Duration.ofMillis(1000)); // the RTO (1 s min): everything is older than an RTT
    assertEquals(List.of(1), io.seqsSince(mark)); // cwnd 1 after a timeout: the oldest first
    s.onAck(ack(2, 4 << 20));
    s.sendRetransmits();
    assertEquals(List.of(1, 2, 3), io.seqsSince(mark)); // slow start: 2 more
  }

  @Test
  void aZeroWindowIsProbedAndGivesUpAfterTheLimit() {
    FakeIo io = new FakeIo();
    UdxLimits limits = new UdxLimits(1152, 4 << 20, 512, Duration.ofSeconds(1), Duration.ofSeconds(30), 6, 3);
    UdxSender s = new UdxSender(limits, new NewReno(512), io);
    sendPackets(s, 1);
    s.onAck(ack(1, 0));
    assertFalse(s.canSendNew());
    s.setPendingData(true);
    io.advance(Duration.ofSeconds(6)); // probes at 1, 3, 5 s
    assertEquals(null, io.timedOut);
    assertEquals(List.of(UdxPacket.DATA, UdxPacket.HEARTBEAT, UdxPacket.HEARTBEAT, UdxPacket.HEARTBEAT),
        io.sent.stream().map(FakeIo.Sent::type).toList());
    io.advance(Duration.ofSeconds(2));
    assertTrue(io.timedOut.startsWith("zero window"), io.timedOut);
    assertEquals(4, io.sent.size());
  }

  @Test
  void aWindowThatOpensEndsTheProbesAndLetsDataGo() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    sendPackets(s, 1);
    s.onAck(ack(1, 0));
    s.setPendingData(true);
    io.advance(Duration.ofSeconds(3));
    s.onAck(ack(1, 1152 * 4));
    assertTrue(s.canSendNew());
    sendPackets(s, 4); // rwnd 4 packets
    assertFalse(s.canSendNew());
  }

  @Test
  void theMtuIsProbedUpwardsAfterTheFirstAckAsLibudxDoes() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    assertEquals(1152, s.maxPayload());
    s.sendNew(UdxPacket.DATA, new byte[s.maxPayload()]);
    assertEquals(0, io.sent.get(0).padding()); // no probe before the first ack
    s.onAck(ack(1, 4 << 20));
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 20 && s.mtu() < 1500; i++) {
      s.sendNew(UdxPacket.DATA, new byte[s.maxPayload()]);
      FakeIo.Sent probe = io.sent.get(io.sent.size() - 1);
      sizes.add(48 + probe.length() + probe.padding());
      s.onAck(ack(probe.seq() + 1, 4 << 20));
    }
    assertEquals(List.of(1232, 1264, 1296, 1328, 1360, 1392, 1424, 1456, 1488, 1500), sizes);
    assertEquals(1452, s.maxPayload());
    s.sendNew(UdxPacket.DATA, new byte[s.maxPayload()]);
    assertEquals(0, io.sent.get(io.sent.size() - 1).padding()); // the search is over
  }

  @Test
  void threeLostProbesEndTheSearchAtTheLastGoodMtu() {
    FakeIo io = new FakeIo();
    UdxSender s = new UdxSender(LIMITS, new NewReno(512), io);
    s.sendNew(UdxPacket.DATA, new byte[1152]);
    s.onAck(ack(1, 4 << 20));
    for (int round = 0; round < 3; round++) {
      s.sendNew(UdxPacket.DATA, new byte[1152]);
      FakeIo.Sent probe = io.sent.get(io.sent.size() - 1);
      assertEquals(32, probe.padding());
      for (int i = 0; i < 4; i++) s.sendNew(UdxPacket.DATA, new byte[1152]);
      s.onAck(ack(probe.seq(), 4 << 20, new UdxPacket.Sack(probe.seq() + 1, probe.seq() + 5)));
      int mark = io.sent.size();
      s.sendRetransmits();
      assertEquals(0, io.sent.get(mark).padding()); // a lost probe is resent unpadded
      s.onAck(ack(probe.seq() + 5, 4 << 20));
    }
    assertEquals(1200, s.mtu());
    s.sendNew(UdxPacket.DATA, new byte[1152]);
    assertEquals(0, io.sent.get(io.sent.size() - 1).padding());
  }
}
