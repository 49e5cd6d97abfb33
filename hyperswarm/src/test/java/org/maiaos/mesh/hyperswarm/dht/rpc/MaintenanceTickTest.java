package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** The 5 s tick on a manual clock: background pings every 8 ticks, refresh, the down-hint budget. */
class MaintenanceTickTest {
  private final TestNodes t = new TestNodes();
  /** Tick offsets of 0: the tick starts at 100 and the refresh countdown at 60. */
  private final SecureRandom noOffset = new SecureRandom() {
    @Override
    public double nextDouble() {
      return 0;
    }
  };

  private long pingsTo(PeerAddress a) {
    return t.net.log.stream().filter(p -> p.to().equals(a) && p.bytes()[0] == DhtRequest.TYPE)
        .map(p -> DhtRequest.decode(State.of(p.bytes()))).filter(m -> m.internal() && m.command() == Commands.PING)
        .count();
  }

  @Test
  void everyEighthTickPingsTheOldestNodesAndDropsTheDeadOnes() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT, noOffset);
    PeerAddress dead = new PeerAddress("127.0.0.1", 40_001);
    RawPeer alive = t.raw();
    dht.addNode(dead);
    t.net.dead.add(dead.port());
    t.scheduler.runUntilIdle();
    assertNotNull(dht.table().get(dead.id()));
    t.scheduler.advance(3 * DhtRpc.TICK_MILLIS); // ticks 101..103
    assertEquals(103, dht.tick());
    assertEquals(0, pingsTo(dead));
    t.scheduler.advance(DhtRpc.TICK_MILLIS); // tick 104, a multiple of 8
    assertEquals(1, pingsTo(dead), "pinged by the 8-tick maintenance");
    t.scheduler.advance(4 * 1000); // 3 retries, then REQUEST_TIMEOUT
    assertNull(dht.table().get(dead.id()), "dropped after the ping timed out");
    assertEquals(0, pingsTo(alive.address()));
  }

  @Test
  void aSmallTableRefreshesFromTheBootstrapNodes() {
    RawPeer boot = t.raw();
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(boot.address())), noOffset);
    t.scheduler.advance(10_000); // the bootstrap query times out against the silent node
    assertTrue(dht.fullyBootstrapped().isDone());
    int before = boot.received.size();
    // an empty table: the 8-tick maintenance has no oldest node and refreshes instead
    t.scheduler.advance(8 * DhtRpc.TICK_MILLIS);
    assertTrue(boot.received.size() > before, "refresh asked the bootstrap node again");
    DhtRequest q = boot.lastRequest();
    assertEquals(Commands.FIND_NODE, q.command());
    assertTrue(q.internal());
  }
}
