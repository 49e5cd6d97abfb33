package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

class RpcIoTest {
  private final TestNodes t = new TestNodes();

  private static RpcError code(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("completed normally");
    } catch (CompletionException e) {
      return (RpcError) ((HypercoreException) e.getCause()).code();
    }
  }

  @Test
  void retransmitsTheSameDatagramEverySecondThenTimesOut() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
    RawPeer silent = t.raw();
    CompletableFuture<Reply> f = dht.ping(silent.address());
    t.scheduler.runUntilIdle();
    assertEquals(1, silent.received.size());
    for (int i = 2; i <= 4; i++) {
      t.scheduler.advance(999);
      assertEquals(i - 1, silent.received.size(), "not before the second is up");
      t.scheduler.advance(1);
      assertEquals(i, silent.received.size());
      assertArrayEquals(silent.received.get(0), silent.received.get(i - 1), "same bytes, same tid");
    }
    assertFalse(f.isDone());
    t.scheduler.advance(1000);
    assertEquals(RpcError.REQUEST_TIMEOUT, code(f));
    assertEquals(4, silent.received.size(), "3 retries: 4 sends");
    assertEquals(1, dht.stats().timeouts());
  }

  @Test
  void matchesAResponseByTidAndCountsAStrayOne() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
    RawPeer peer = t.raw();
    CompletableFuture<Reply> f = dht.ping(peer.address());
    t.scheduler.runUntilIdle();
    DhtRequest q = peer.lastRequest();
    PeerAddress nodeClient = t.net.log.get(t.net.log.size() - 1).from();
    byte[] pong = new DhtResponse(q.tid(), nodeClient, null, null, List.of(), 0, null).toBytes();
    byte[] stray = new DhtResponse((q.tid() + 1) & 0xFFFF, nodeClient, null, null, List.of(), 0, null).toBytes();
    peer.send(nodeClient, stray);
    t.scheduler.runUntilIdle();
    assertFalse(f.isDone(), "another tid does not match");
    peer.send(nodeClient, pong);
    t.scheduler.runUntilIdle();
    assertEquals(peer.address(), f.join().from());
    peer.send(nodeClient, pong); // a duplicate after completion
    t.scheduler.runUntilIdle();
    assertEquals(2, dht.stats().unmatched());
  }

  @Test
  void tidsStartAtRandomAndWrapAt65536() {
    SecureRandom top = new SecureRandom() {
      @Override
      public int nextInt(int bound) {
        return bound - 1;
      }
    };
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT, top);
    RawPeer peer = t.raw();
    dht.ping(peer.address());
    dht.ping(peer.address());
    t.scheduler.runUntilIdle();
    assertEquals(65535, DhtRequest.decode(org.maiaos.mesh.hypercore.encoding.State.of(peer.received.get(0))).tid());
    assertEquals(0, DhtRequest.decode(org.maiaos.mesh.hypercore.encoding.State.of(peer.received.get(1))).tid());
  }

  @Test
  void theLimiterHoldsTheEightyFirstSendUntilTheNextSlot() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
    RawPeer peer = t.raw();
    for (int i = 0; i < 81; i++) dht.ping(peer.address());
    t.scheduler.runUntilIdle();
    assertEquals(80, peer.received.size());
    t.scheduler.advance(RpcIo.DRAIN_MILLIS);
    assertEquals(81, peer.received.size());
  }

  @Test
  void requestsBeyondThePendingBoundFailAtOnce() {
    RpcLimits l = RpcLimits.DEFAULT;
    RpcLimits small = new RpcLimits(l.requestTimeout(), l.retries(), 2, 3, l.maxInflight(), l.maxInbox(),
        l.maxDatagramBytes(), l.maxPingDelay(), l.maxDelayedPings());
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT.withLimits(small));
    RawPeer peer = t.raw();
    List<CompletableFuture<Reply>> fs = new ArrayList<>();
    for (int i = 0; i < 6; i++) fs.add(dht.ping(peer.address()));
    t.scheduler.runUntilIdle();
    assertEquals(2, peer.received.size(), "2 sent, 3 queued");
    assertEquals(RpcError.TOO_MANY_REQUESTS, code(fs.get(5)));
  }

  @Test
  void tooManyRequestsInFlightFailAtOnce() {
    RpcLimits l = RpcLimits.DEFAULT;
    RpcLimits small = new RpcLimits(l.requestTimeout(), l.retries(), l.maxWindow(), l.maxPending(), 4, l.maxInbox(),
        l.maxDatagramBytes(), l.maxPingDelay(), l.maxDelayedPings());
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT.withLimits(small));
    RawPeer peer = t.raw();
    List<CompletableFuture<Reply>> fs = new ArrayList<>();
    for (int i = 0; i < 5; i++) fs.add(dht.ping(peer.address()));
    t.scheduler.runUntilIdle();
    assertEquals(4, peer.received.size());
    assertEquals(RpcError.TOO_MANY_REQUESTS, code(fs.get(4)));
  }

  @Test
  void dropsGarbageShortAndPortZeroDatagramsAndKeepsServing() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
    RawPeer peer = t.raw();
    PeerAddress server = dht.serverAddress();
    Random r = new Random(11);
    int sent = 0;
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[r.nextInt(80)];
      r.nextBytes(junk);
      if (junk.length > 0 && r.nextBoolean()) junk[0] = (byte) (r.nextBoolean() ? 0x03 : 0x13);
      peer.send(server, junk);
      sent++;
    }
    t.net.inject(new PeerAddress("127.0.0.1", 0), server, new DhtRequest(1, server, null, null, true, 0, null, null)
        .toBytes());
    peer.send(server, new byte[] {0x03});
    t.scheduler.runUntilIdle();
    assertTrue(dht.stats().malformed() >= 2, "short and port-0 datagrams counted");
    int before = peer.received.size();
    peer.send(server, new DhtRequest(9, server, null, null, true, Commands.PING, null, null).toBytes());
    t.scheduler.runUntilIdle();
    assertEquals(before + 1, peer.received.size(), "still answers a ping after " + sent + " junk datagrams");
    assertEquals(9, peer.lastResponse().tid());
  }

  @Test
  void aFloodBeyondTheInboxIsDroppedAndCounted() {
    RpcLimits l = RpcLimits.DEFAULT;
    RpcLimits small = new RpcLimits(l.requestTimeout(), l.retries(), l.maxWindow(), l.maxPending(), l.maxInflight(),
        100, l.maxDatagramBytes(), l.maxPingDelay(), l.maxDelayedPings());
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT.withLimits(small));
    RawPeer peer = t.raw();
    byte[] ping = new DhtRequest(1, dht.serverAddress(), null, null, true, Commands.PING, null, null).toBytes();
    for (int i = 0; i < 1000; i++) dht.io().receive(dht.io().serverSocket(), ping, peer.address());
    assertEquals(900, dht.stats().flooded());
    t.scheduler.runUntilIdle();
    assertEquals(100, peer.received.size());
  }

  @Test
  void dropsDatagramsOverTheSizeLimit() {
    RpcLimits l = RpcLimits.DEFAULT;
    RpcLimits small = new RpcLimits(l.requestTimeout(), l.retries(), l.maxWindow(), l.maxPending(), l.maxInflight(),
        l.maxInbox(), 64, l.maxPingDelay(), l.maxDelayedPings());
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT.withLimits(small));
    RawPeer peer = t.raw();
    byte[] big = new DhtRequest(1, dht.serverAddress(), null, null, true, Commands.PING, null, new byte[100]).toBytes();
    peer.send(dht.serverAddress(), big);
    t.scheduler.runUntilIdle();
    assertEquals(0, peer.received.size());
    assertEquals(1, dht.stats().malformed());
  }

  @Test
  void closingFailsWhatIsInFlight() {
    DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
    CompletableFuture<Reply> f = dht.ping(t.raw().address());
    t.scheduler.runUntilIdle();
    t.scheduler.execute(() -> dht.io().close());
    t.scheduler.runUntilIdle();
    assertEquals(RpcError.REQUEST_DESTROYED, code(f));
    assertEquals(Duration.ofMillis(1000), RpcLimits.DEFAULT.requestTimeout());
  }
}
