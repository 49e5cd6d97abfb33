package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.Handshake;
import org.maiaos.mesh.hyperswarm.dht.messages.NoisePayload;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.Reply;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;

/**
 * connect and listen between Java nodes on 127.0.0.1 (a network of three persistent Java nodes
 * relays), and the server's defences: one answer per distinct client message, silence for garbage
 * and for firewalled clients, a bounded memory of answers under a flood, one server per key pair.
 */
class HyperDhtConnectTest {
  private static final long WAIT_S = JavaDhtNet.WAIT_S;
  private final JavaDhtNet net = new JavaDhtNet("hyperswarm-test-connect");
  private final Random random = new Random(Long.getLong("test.seed", 5L));
  private List<PeerAddress> boot;

  @BeforeEach
  void network() throws Exception {
    boot = net.network();
  }

  @AfterEach
  void close() throws Exception {
    net.close();
  }

  private HyperDht client() throws Exception {
    return net.client();
  }

  private KeyPair keyPair() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519.keyPair(seed);
  }

  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  private <T> T onScheduler(java.util.concurrent.Callable<T> c) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    net.scheduler().execute(() -> {
      try {
        out.complete(c.call());
      } catch (Exception e) {
        out.completeExceptionally(e);
      }
    });
    return out.get(WAIT_S, TimeUnit.SECONDS);
  }

  /** A client's first Noise IK message to {@code server}, with a well-formed payload. */
  private static byte[] clientMessage(KeyPair client, KeyPair server) {
    NoisePayload p = new NoisePayload(1, 0, NoisePayload.FIREWALL_UNKNOWN, null, List.of(new PeerAddress("127.0.0.1", 1)),
        List.of(), new NoisePayload.Udx(1, false, 7, 0), new NoisePayload.SecretStream(1), null, null);
    return PeerStreams.initiator(client, server.publicKey()).send(p.toBytes());
  }

  @Test
  void aJavaClientReachesAJavaServerThroughJavaRelaysAndEchoes() throws Exception {
    HyperDht serverNode = client();
    KeyPair serverKp = keyPair();
    HyperDhtServer server = serverNode.listen(serverKp, null, SecretStreamLimits.DEFAULTS,
        ch -> ch.pipeline().addLast(new Echo())).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(!server.relayAddresses().isEmpty());

    KeyPair me = keyPair();
    CollectBytes collect = new CollectBytes(100_000);
    Channel ch = client().connect(serverKp.publicKey(), me, SecretStreamLimits.DEFAULTS,
        c -> c.pipeline().addLast(collect)).get(WAIT_S, TimeUnit.SECONDS);
    SecretStreamHandler ss = ch.pipeline().get(SecretStreamHandler.class);
    assertEquals(serverKp.publicKey(), ss.remotePublicKey());
    assertTrue(ss.isInitiator());
    byte[] data = new byte[100_000];
    random.nextBytes(data);
    ch.writeAndFlush(Unpooled.wrappedBuffer(data));
    assertArrayEquals(data, collect.done.get(WAIT_S, TimeUnit.SECONDS));
    ch.close().await(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void connectingToAKeyNobodyServesFailsWithPeerNotFound() throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> client()
        .connect(keyPair().publicKey(), keyPair(), SecretStreamLimits.DEFAULTS, c -> { }).get(WAIT_S, TimeUnit.SECONDS));
    assertEquals(DhtError.PEER_NOT_FOUND, ((HypercoreException) e.getCause()).code());
  }

  @Test
  void aServerAnswersTheSameMessageOnceAndStaysSilentForGarbageAndFirewalledClients() throws Exception {
    HyperDht serverNode = client();
    KeyPair serverKp = keyPair();
    KeyPair banned = keyPair();
    HyperDhtServer server = serverNode.listen(serverKp, (key, payload, address) -> key.equals(banned.publicKey()),
        SecretStreamLimits.DEFAULTS, ch -> { }).get(WAIT_S, TimeUnit.SECONDS);
    Router.LocalServer route = server.route();
    PeerAddress from = new PeerAddress("127.0.0.1", 9);

    byte[] msg = clientMessage(keyPair(), serverKp);
    CompletableFuture<byte[]> first = onScheduler(() -> route.onHandshake(msg, from, from));
    CompletableFuture<byte[]> again = onScheduler(() -> route.onHandshake(msg.clone(), from, from));
    assertSame(first, again, "the same client message (sent through two relays) gets one answer");
    byte[] answer = first.get(WAIT_S, TimeUnit.SECONDS);
    assertNotNull(answer);
    assertTrue(answer.length > 48, "Noise IK message 2: e (32), then the encrypted payload and its tag (16)");

    assertNull(onScheduler(() -> route.onHandshake(new byte[120], from, from)).get(WAIT_S, TimeUnit.SECONDS),
        "garbage: no answer");
    assertNull(onScheduler(() -> route.onHandshake(clientMessage(keyPair(), keyPair()), from, from)).get(WAIT_S, TimeUnit.SECONDS),
        "a message for another key: no answer");
    assertNull(onScheduler(() -> route.onHandshake(clientMessage(banned, serverKp), from, from)).get(WAIT_S, TimeUnit.SECONDS),
        "a firewalled client: no answer");
  }

  @Test
  void aFloodOfHandshakesIsRememberedOnlyUpToTheBound() throws Exception {
    HyperDht serverNode = client();
    HyperDhtServer server = serverNode.listen(keyPair(), null, SecretStreamLimits.DEFAULTS, ch -> { })
        .get(WAIT_S, TimeUnit.SECONDS);
    Router.LocalServer route = server.route();
    PeerAddress from = new PeerAddress("127.0.0.1", 9);
    int n = HyperDhtServer.MAX_PENDING_HANDSHAKES + 200;
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<byte[]>> all = onScheduler(() -> {
      List<CompletableFuture<byte[]>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] garbage = new byte[100];
        random.nextBytes(garbage);
        out.add(route.onHandshake(garbage, from, from));
      }
      return out;
    });
    for (CompletableFuture<byte[]> f : all) if (f.get(WAIT_S, TimeUnit.SECONDS) != null) answered.incrementAndGet();
    assertEquals(0, answered.get());
    assertEquals(HyperDhtServer.MAX_PENDING_HANDSHAKES, (int) onScheduler(server::rememberedAnswers));
  }

  @Test
  void atTheBoundSettledHandshakesMakeRoomAndWaitingOnesDoNot() throws Exception {
    HyperDht serverNode = client();
    KeyPair serverKp = keyPair();
    HyperDhtServer server = serverNode.listen(serverKp, null, SecretStreamLimits.DEFAULTS, ch -> { })
        .get(WAIT_S, TimeUnit.SECONDS);
    Router.LocalServer route = server.route();
    PeerAddress from = new PeerAddress("127.0.0.1", 9);
    int bound = HyperDhtServer.MAX_PENDING_HANDSHAKES;
    List<byte[]> messages = new ArrayList<>();
    for (int i = 0; i < 2 * bound + 2; i++) messages.add(clientMessage(keyPair(), serverKp));

    // direct handshakes: the server connects at once, so each settles as soon as it is answered
    for (int i = 0; i <= bound; i++) {
      byte[] m = messages.get(i);
      assertNotNull(onScheduler(() -> route.onHandshake(m, null, from)).get(WAIT_S, TimeUnit.SECONDS), "direct " + i);
    }
    assertEquals(bound, (int) onScheduler(server::rememberedAnswers), "the one over the bound took a settled one's place");

    // relayed handshakes of clients behind a firewall: each waits for its client's first packet
    for (int i = bound + 1; i <= 2 * bound; i++) {
      byte[] m = messages.get(i);
      assertNotNull(onScheduler(() -> route.onHandshake(m, from, from)).get(WAIT_S, TimeUnit.SECONDS), "relayed " + i);
    }
    byte[] last = messages.get(2 * bound + 1);
    assertNull(onScheduler(() -> route.onHandshake(last, from, from)).get(WAIT_S, TimeUnit.SECONDS),
        "every remembered handshake waits for its client: no room");
    assertEquals(bound, (int) onScheduler(server::rememberedAnswers));
  }

  @Test
  void oneServerPerKeyPairAndARelayHelpsAClientItCannotRoute() throws Exception {
    HyperDht serverNode = client();
    KeyPair kp = keyPair();
    serverNode.listen(kp, null, SecretStreamLimits.DEFAULTS, ch -> { }).get(WAIT_S, TimeUnit.SECONDS);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> serverNode.listen(kp, null, SecretStreamLimits.DEFAULTS, ch -> { }).get(WAIT_S, TimeUnit.SECONDS));
    assertEquals(DhtError.KEYPAIR_ALREADY_USED, ((HypercoreException) e.getCause()).code());

    // a relay without a route for the target answers with closer nodes and no value
    byte[] hs = new Handshake(Handshake.FROM_CLIENT, clientMessage(keyPair(), kp), null, null).toBytes();
    Reply r = client().rpc().request(null, HyperCommands.PEER_HANDSHAKE, HyperCrypto.hash(keyPair().publicKey()), hs,
        boot.get(0)).get(WAIT_S, TimeUnit.SECONDS);
    assertNull(r.value());
    assertTrue(!r.closerNodes().isEmpty(), "closer nodes to help routing");
  }
}
