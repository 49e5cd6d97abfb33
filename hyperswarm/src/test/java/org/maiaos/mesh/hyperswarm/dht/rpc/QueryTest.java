package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

class QueryTest {
  private final TestNodes t = new TestNodes();

  static Key32 randomKey(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return Key32.of(b);
  }

  /** The k nodes truly closest to {@code target} by XOR, closest first. */
  static List<PeerAddress> bruteForce(List<PeerAddress> all, Key32 target, int k) {
    byte[] tb = target.toByteArray();
    Comparator<PeerAddress> byXor = (a, b) -> {
      byte[] x = a.id().toByteArray();
      byte[] y = b.id().toByteArray();
      for (int i = 0; i < 32; i++) {
        int dx = (x[i] ^ tb[i]) & 0xFF;
        int dy = (y[i] ^ tb[i]) & 0xFF;
        if (dx != dy) return dx - dy;
      }
      return 0;
    };
    return all.stream().sorted(byXor).limit(k).toList();
  }

  private List<PeerAddress> persistentAddresses(List<DhtRpc> nodes) {
    return nodes.stream().filter(d -> !d.ephemeral()).map(DhtRpc::serverAddress).toList();
  }

  @Test
  void testnetNodesTurnPersistentWithTheIdOfTheirAddress() {
    List<DhtRpc> nodes = t.testnet(30);
    for (DhtRpc d : nodes) {
      assertFalse(d.ephemeral());
      assertFalse(d.firewalled());
      assertEquals(d.serverAddress().id(), d.id());
      CompletableFuture<PeerAddress> remote = d.remoteAddress();
      t.scheduler.runUntilIdle();
      assertEquals(d.serverAddress(), remote.join());
      assertTrue(d.table().size() > 0);
      assertTrue(d.fullyBootstrapped().isDone());
    }
  }

  @Test
  void findNodeFromAnEphemeralClientReturnsTheTrueClosestTwenty() {
    // 30 nodes: no row of any table is full, so the iteration can find the exact answer
    List<DhtRpc> nodes = t.testnet(30);
    DhtRpc client = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(nodes.get(0).serverAddress())));
    t.scheduler.advance(5000);
    assertTrue(client.ephemeral());
    Random r = new Random(1);
    for (int i = 0; i < 5; i++) {
      Key32 target = randomKey(r);
      Query q = client.findNode(target);
      t.scheduler.advance(10_000);
      QueryResult res = q.finished().join();
      assertEquals(bruteForce(persistentAddresses(nodes), target, 20), res.closestNodes(), "target " + i);
    }
    // an ephemeral client never enters anyone's table
    for (DhtRpc d : nodes) assertEquals(null, d.table().get(client.serverAddress().id()));
  }

  @Test
  void theCommitPhaseWritesWithEachClosestNodesToken() {
    List<DhtRpc> nodes = t.testnet(30);
    List<PeerAddress> committed = new ArrayList<>();
    for (DhtRpc d : nodes) {
      d.setRequestHandler(req -> {
        if (req.command() != 42) return false;
        if (req.token() != null) committed.add(d.serverAddress());
        req.reply(null);
        return true;
      });
    }
    DhtRpc client = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(nodes.get(0).serverAddress())));
    t.scheduler.advance(5000);
    Key32 target = randomKey(new Random(2));
    Query q = client.query(target, 42, new byte[] {1}, QueryOptions.DEFAULT.withCommit(QueryOptions.AUTO_COMMIT));
    t.scheduler.advance(10_000);
    QueryResult res = q.finished().join();
    assertEquals(20, res.closestReplies().size());
    assertEquals(new java.util.HashSet<>(res.closestNodes()), new java.util.HashSet<>(committed));
  }

  @Test
  void aCommitWithNoRepliesFailsWithTooFewNodes() {
    DhtRpc lonely = t.start(DhtRpcOptions.DEFAULT);
    Query q = lonely.query(randomKey(new Random(3)), 42, null, QueryOptions.DEFAULT.withCommit(QueryOptions.AUTO_COMMIT));
    t.scheduler.advance(1000);
    CompletableFuture<QueryResult> f = q.finished();
    assertTrue(f.isCompletedExceptionally());
  }

  @Test
  void aDeadNodeIsReportedWithDownHintsToWhoeverReferredIt() {
    List<DhtRpc> nodes = t.testnet(30);
    DhtRpc client = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(nodes.get(0).serverAddress())));
    t.scheduler.advance(5000);
    Key32 target = randomKey(new Random(4));
    PeerAddress victim = bruteForce(persistentAddresses(nodes), target, 1).get(0);
    t.net.dead.add(victim.port());
    t.net.log.clear();
    Query q = client.findNode(target);
    t.scheduler.advance(30_000);
    QueryResult res = q.finished().join();
    assertFalse(res.closestNodes().contains(victim));
    long hints = t.net.log.stream().filter(p -> p.bytes()[0] == DhtRequest.TYPE).map(p -> DhtRequest.decode(State.of(p.bytes())))
        .filter(m -> m.internal() && m.command() == Commands.DOWN_HINT
            && java.util.Arrays.equals(m.value(), victim.toBytes()))
        .count();
    assertTrue(hints > 0, "DOWN_HINT sent about " + victim);
    t.scheduler.advance(10_000);
    long stillListing = nodes.stream().filter(d -> d.table().get(victim.id()) != null).count();
    assertTrue(stillListing < nodes.size() - 1, "hinted nodes checked and dropped the dead one: " + stillListing);
  }

  @Test
  void anAdaptiveNodeTurnsPersistentAfterTwentyStableMinutesAndEphemeralAfterSleep() {
    List<DhtRpc> nodes = t.testnet(10);
    DhtRpc adaptive = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(nodes.get(0).serverAddress())));
    t.scheduler.advance(5000);
    assertTrue(adaptive.ephemeral());
    List<Boolean> turned = new ArrayList<>();
    adaptive.onPersistent(() -> turned.add(true));
    t.scheduler.advance(DhtRpc.STABLE_TICKS * DhtRpc.TICK_MILLIS + DhtRpc.TICK_MILLIS);
    assertFalse(adaptive.ephemeral(), "stable for 240 ticks, unfirewalled per PING_NAT");
    assertFalse(adaptive.firewalled());
    assertEquals(adaptive.serverAddress().id(), adaptive.id());
    assertEquals(List.of(true), turned);
    t.scheduler.advance(60_000);
    long knowIt = nodes.stream().filter(d -> d.table().get(adaptive.id()) != null).count();
    assertTrue(knowIt > 0, "others add the persistent node to their tables");
    t.scheduler.jump(20_000); // a tick gap over 15 s: we slept
    t.scheduler.advance(DhtRpc.TICK_MILLIS);
    assertTrue(adaptive.ephemeral(), "woke from sleep: ephemeral again");
  }

  @Test
  void aFirewalledAdaptiveNodeStaysEphemeral() {
    List<DhtRpc> nodes = t.testnet(10);
    t.net.dead.add(t.net.nextFreePort()); // nothing reaches its server socket, from the start
    DhtRpc adaptive = t.start(DhtRpcOptions.DEFAULT.withBootstrap(List.of(nodes.get(0).serverAddress())));
    t.scheduler.advance(5000);
    t.scheduler.advance(DhtRpc.STABLE_TICKS * DhtRpc.TICK_MILLIS + DhtRpc.TICK_MILLIS);
    assertTrue(adaptive.ephemeral());
    assertTrue(adaptive.firewalled());
    CompletableFuture<PeerAddress> remote = adaptive.remoteAddress();
    t.scheduler.runUntilIdle();
    assertEquals(null, remote.join(), "a firewalled node has no remote address");
  }

  @Test
  void aFullRowSwapsOutANodeThatNoLongerAnswers() {
    // tick offsets of 0: the tick starts at 100, so the next two ticks run no background pings
    java.security.SecureRandom noOffset = new java.security.SecureRandom() {
      @Override
      public double nextDouble() {
        return 0;
      }
    };
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT, noOffset);
    assertEquals(100, dht.tick());
    // 20 dead nodes in row 0 (ids differing from ours in the first bit)
    byte[] own = dht.table().id().toByteArray();
    int added = 0;
    for (int port = 30_000; added < 20; port++) {
      PeerAddress a = new PeerAddress("127.0.0.1", port);
      if (((a.id().toByteArray()[0] ^ own[0]) & 0x80) == 0) continue;
      dht.addNode(a);
      t.net.dead.add(port);
      added++;
    }
    t.scheduler.advance(DhtRpc.TICK_MILLIS);
    assertEquals(101, dht.tick());
    assertEquals(20, dht.table().row(0).size());
    // the newcomer must land in row 0 too: find a raw peer whose id does
    RawPeer newcomer = null;
    for (int i = 0; newcomer == null && i < 64; i++) {
      RawPeer p = t.raw();
      if (((p.address().id().toByteArray()[0] ^ own[0]) & 0x80) != 0) newcomer = p;
    }
    PeerAddress na = newcomer.address();
    newcomer.send(dht.serverAddress(), new DhtRequest(1, dht.serverAddress(), na.id(), null, true, Commands.PING, null,
        null).toBytes());
    t.scheduler.advance(10_000);
    assertEquals(20, dht.table().row(0).size());
    assertTrue(dht.table().get(na.id()) != null, "the newcomer replaced a dead node");
  }
}
