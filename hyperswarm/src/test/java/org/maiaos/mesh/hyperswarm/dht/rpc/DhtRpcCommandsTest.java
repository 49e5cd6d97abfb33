package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

class DhtRpcCommandsTest {
  private static final Key32 TARGET = Key32.of(new byte[32]);
  private final TestNodes t = new TestNodes();
  private final DhtRpc dht = t.start(DhtRpcOptions.DEFAULT);
  private final RawPeer peer = t.raw();
  private final PeerAddress server = dht.serverAddress();

  private DhtResponse ask(DhtRequest q) {
    int before = peer.received.size();
    peer.send(server, q.toBytes());
    t.scheduler.runUntilIdle();
    assertEquals(before + 1, peer.received.size(), "one reply to " + q);
    return peer.lastResponse();
  }

  private void askExpectingSilence(DhtRequest q) {
    int before = peer.received.size();
    peer.send(server, q.toBytes());
    t.scheduler.advance(20_000);
    assertEquals(before, peer.received.size(), "no reply to " + q);
  }

  private static DhtRequest internal(int tid, int cmd, Key32 target, byte[] value) {
    return new DhtRequest(tid, new PeerAddress("127.0.0.1", 1), null, null, true, cmd, target, value);
  }

  private static DhtRequest app(int tid, long cmd, Key32 token, Key32 target, byte[] value) {
    return new DhtRequest(tid, new PeerAddress("127.0.0.1", 1), null, token, false, cmd, target, value);
  }

  private void fillTable(int n) {
    for (int i = 0; i < n; i++) dht.addNode(new PeerAddress("127.0.0.1", 20_000 + i));
    t.scheduler.runUntilIdle();
  }

  @Test
  void pingGetsAnEmptyReplyThatTellsUsOurAddress() {
    DhtResponse r = ask(internal(77, Commands.PING, null, null));
    assertEquals(77, r.tid());
    assertEquals(peer.address(), r.to());
    assertEquals(0, r.flags(), "no id (ephemeral), no token, no nodes, no error, no value");
  }

  @Test
  void pingNatAnswersToTheNamedPortOnTheSameHost() {
    RawPeer other = t.raw();
    int port = other.address().port();
    peer.send(server, internal(5, Commands.PING_NAT, null, new byte[] {(byte) port, (byte) (port >>> 8)}).toBytes());
    t.scheduler.runUntilIdle();
    assertEquals(0, peer.received.size());
    assertEquals(1, other.received.size());
    assertEquals(other.address(), other.lastResponse().to());
    askExpectingSilence(internal(6, Commands.PING_NAT, null, new byte[] {1})); // short value
    askExpectingSilence(internal(7, Commands.PING_NAT, null, new byte[] {0, 0})); // port 0
  }

  @Test
  void findNodeRepliesWithCloserNodesOnly() {
    fillTable(30);
    DhtResponse r = ask(internal(1, Commands.FIND_NODE, TARGET, null));
    assertEquals(20, r.closerNodes().size());
    assertNull(r.token());
    assertEquals(0, r.error());
    askExpectingSilence(internal(2, Commands.FIND_NODE, null, null));
  }

  @Test
  void unknownInternalCommandIsErrorOneWithCloserNodesWhenTargeted() {
    fillTable(3);
    DhtResponse r = ask(internal(1, 99, TARGET, null));
    assertEquals(RpcError.UNKNOWN_COMMAND, r.error());
    assertEquals(3, r.closerNodes().size());
    assertEquals(0, ask(internal(2, 99, null, null)).closerNodes().size());
  }

  @Test
  void anApplicationCommandNobodyHandlesIsErrorOne() {
    DhtResponse r = ask(app(1, 42, null, null, new byte[] {1}));
    assertEquals(RpcError.UNKNOWN_COMMAND, r.error());
    assertNull(r.token());
  }

  @Test
  void aHandlerReplyCarriesValueTokenAndCloserNodes() {
    fillTable(5);
    dht.setRequestHandler(req -> {
      if (req.command() != 42) return false;
      req.reply(new byte[] {9, 9});
      return true;
    });
    DhtResponse r = ask(app(1, 42, null, TARGET, null));
    assertEquals(0, r.error());
    assertEquals(List.of((byte) 9, (byte) 9), List.of(r.value()[0], r.value()[1]));
    assertEquals(dht.io().tokens().current("127.0.0.1"), r.token());
    assertEquals(5, r.closerNodes().size());
  }

  @Test
  void theIssuedTokenIsAcceptedAndAWrongOneIsErrorTwoWithAFreshToken() {
    List<Key32> seen = new ArrayList<>();
    dht.setRequestHandler(req -> {
      seen.add(req.token());
      req.reply(null);
      return true;
    });
    Key32 token = ask(app(1, 50, null, null, null)).token();
    assertEquals(0, ask(app(2, 51, token, null, null)).error());
    assertEquals(token, seen.get(1));
    DhtResponse bad = ask(app(3, 51, Key32.of(new byte[32]), null, null));
    assertEquals(RpcError.INVALID_TOKEN, bad.error());
    assertEquals(token, bad.token(), "error 2 carries the current token");
    assertEquals(2, seen.size(), "the handler never saw the bad token");
  }

  @Test
  void aTokenExpiresAfterTwoRotations() {
    dht.setRequestHandler(req -> {
      req.reply(null);
      return true;
    });
    Key32 token = ask(app(1, 50, null, null, null)).token();
    t.scheduler.advance(10 * RpcIo.DRAIN_MILLIS);
    assertEquals(0, ask(app(2, 51, token, null, null)).error(), "valid after one rotation");
    t.scheduler.advance(10 * RpcIo.DRAIN_MILLIS);
    assertEquals(RpcError.INVALID_TOKEN, ask(app(3, 51, token, null, null)).error());
  }

  @Test
  void aHandlerCanRelayARequestAndReplyToAThirdAddress() {
    RawPeer third = t.raw();
    dht.setRequestHandler(req -> {
      if (req.command() == 60) req.relay(new byte[] {4}, third.address());
      else req.replyTo(new byte[] {5}, false, false, third.address());
      return true;
    });
    peer.send(server, app(31, 60, null, TARGET, new byte[] {1}).toBytes());
    t.scheduler.runUntilIdle();
    DhtRequest relayed = third.lastRequest();
    assertEquals(31, relayed.tid());
    assertEquals(60, relayed.command());
    assertEquals(TARGET, relayed.target());
    assertEquals(third.address(), relayed.to());
    assertNull(relayed.token());
    assertEquals(4, relayed.value()[0]);
    peer.send(server, app(32, 61, null, null, null).toBytes());
    t.scheduler.runUntilIdle();
    assertEquals(32, third.lastResponse().tid());
    assertEquals(5, third.lastResponse().value()[0]);
    assertEquals(0, peer.received.size(), "nothing went back to the requester");
  }

  @Test
  void aReplyOrRelayCanGoOutThroughAnotherSocket() {
    RawPeer puncher = t.raw(); // stands in for a holepuncher's socket
    RawPeer third = t.raw();
    dht.setRequestHandler(req -> {
      if (req.command() == 62) req.relay(null, third.address(), puncher.socket);
      else req.reply(new byte[] {6}, false, false, null, puncher.socket);
      return true;
    });
    int before = t.net.log.size();
    peer.send(server, app(41, 62, null, null, null).toBytes());
    peer.send(server, app(42, 63, null, null, null).toBytes());
    t.scheduler.runUntilIdle();
    List<MemoryNetwork.Packet> out = t.net.log.subList(before + 2, t.net.log.size());
    assertEquals(2, out.size());
    for (MemoryNetwork.Packet p : out) assertEquals(puncher.address(), p.from());
    assertEquals(41, third.lastRequest().tid());
    assertEquals(42, peer.lastResponse().tid());
    assertEquals(6, peer.lastResponse().value()[0]);
  }

  @Test
  void delayedPingAnswersAfterTheDelayAndRefusesTooLongOnes() {
    byte[] ms500 = {(byte) 0xf4, 0x01, 0, 0};
    peer.send(server, internal(1, Commands.DELAYED_PING, null, ms500).toBytes());
    t.scheduler.advance(499);
    assertEquals(0, peer.received.size());
    t.scheduler.advance(1);
    assertEquals(1, peer.received.size());
    byte[] tooLong = {(byte) 0x11, 0x27, 0, 0}; // 10001 ms
    askExpectingSilence(internal(2, Commands.DELAYED_PING, null, tooLong));
  }

  @Test
  void delayedPingsAreBounded() {
    int max = RpcLimits.DEFAULT.maxDelayedPings();
    byte[] s1 = {(byte) 0xe8, 0x03, 0, 0};
    for (int i = 0; i < max + 50; i++) peer.send(server, internal(i, Commands.DELAYED_PING, null, s1).toBytes());
    t.scheduler.advance(1000);
    assertEquals(max, peer.received.size());
  }

  @Test
  void downHintPingsTheNamedNodeAndDropsItWhenDead() {
    PeerAddress deadNode = new PeerAddress("127.0.0.1", 20_000);
    dht.addNode(deadNode);
    t.scheduler.runUntilIdle();
    assertNotNull(dht.table().get(deadNode.id()));
    t.scheduler.advance(5000); // the next tick, so the hint is not deduplicated against the add
    ask(internal(1, Commands.DOWN_HINT, null, deadNode.toBytes()));
    t.scheduler.advance(10_000);
    assertNull(dht.table().get(deadNode.id()), "dead node removed after its ping timed out");
  }

  @Test
  void aPersistentNodeSignsRepliesFromItsServerSocketWithItsId() {
    TestNodes n = new TestNodes();
    DhtRpc p = n.start(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    assertTrue(!p.ephemeral());
    RawPeer q = n.raw();
    q.send(p.serverAddress(), internal(3, Commands.PING, null, null).toBytes());
    n.scheduler.runUntilIdle();
    DhtResponse r = q.lastResponse();
    assertEquals(p.serverAddress().id(), r.id());
    assertEquals(p.id(), r.id());
  }

  @Test
  void requestsWithAValidIdAddTheSenderToTheTableAndForgedIdsDoNot() {
    PeerAddress me = peer.address();
    ask(new DhtRequest(1, server, me.id(), null, true, Commands.PING, null, null));
    assertNotNull(dht.table().get(me.id()));
    RawPeer liar = t.raw();
    Key32 forged = Key32.of(new byte[32]);
    liar.send(server, new DhtRequest(2, server, forged, null, true, Commands.PING, null, null).toBytes());
    t.scheduler.runUntilIdle();
    assertNull(dht.table().get(forged));
    assertNull(dht.table().get(liar.address().id()));
  }
}
