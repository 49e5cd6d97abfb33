package org.maiaos.mesh.hyperswarm.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.JavaDhtNet;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;

/**
 * Java swarms on a network of Java nodes on 127.0.0.1: the firewall refuses and bans a key on
 * both the dialling and the accepting side, {@code maxPeers} caps the connections, and leaving a
 * topic keeps its connections but finds no new peers. Bounded waits.
 */
class HyperswarmTest {
  private static final long WAIT_S = JavaDhtNet.WAIT_S;
  private final JavaDhtNet net = new JavaDhtNet("hyperswarm-test-swarm");
  private final List<Hyperswarm> swarms = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 8L));

  @BeforeEach
  void network() throws Exception {
    net.network();
  }

  @AfterEach
  void close() throws Exception {
    for (Hyperswarm s : swarms) s.close();
    net.close();
  }

  private Hyperswarm swarm(KeyPair kp, SwarmOptions opts) throws Exception {
    Hyperswarm s = new Hyperswarm(net.client(), kp, opts, (ch, peer) -> { });
    swarms.add(s);
    return s;
  }

  private KeyPair keyPair() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    return Ed25519.keyPair(seed);
  }

  private static void waitFor(String what, BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void theFirewallRefusesAndBansAKeyOnBothSides() throws Exception {
    Key32 topic = Key32.of(new byte[32]);
    KeyPair unwanted = keyPair();
    Hyperswarm server = swarm(keyPair(), SwarmOptions.DEFAULT.withFirewall(k -> k.equals(unwanted.publicKey())));
    server.join(topic, true, false);
    assertTrue(server.flush().get(WAIT_S, TimeUnit.SECONDS));

    // the server stays silent to a refused key, so the dial fails by timeout (PEER_CONNECTION_FAILED)
    Hyperswarm refused = swarm(unwanted, SwarmOptions.DEFAULT);
    refused.join(topic, false, true);
    waitFor("the refused client's first dial to fail", () -> refused.attemptedConnections() >= 1
        && refused.connectingCount() == 0);
    assertEquals(0, refused.connectionCount());
    assertEquals(0, server.connectionCount());
    assertTrue(server.peer(unwanted.publicKey()).banned(), "the server banned the refused key");

    Hyperswarm wanted = swarm(keyPair(), SwarmOptions.DEFAULT);
    wanted.join(topic, false, true);
    waitFor("a wanted client to connect", () -> wanted.connectionCount() == 1 && server.connectionCount() == 1);

    // the dialling side's firewall: a client that refuses the server never dials it
    Hyperswarm picky = swarm(keyPair(), SwarmOptions.DEFAULT.withFirewall(k -> k.equals(server.keyPair().publicKey())));
    picky.join(topic, false, true);
    assertTrue(picky.flush().get(WAIT_S, TimeUnit.SECONDS));
    assertEquals(0, picky.attemptedConnections());
    assertTrue(picky.peer(server.keyPair().publicKey()).banned());
  }

  @Test
  void maxPeersCapsTheConnections() throws Exception {
    Key32 topic = Key32.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32});
    for (int i = 0; i < 3; i++) {
      Hyperswarm s = swarm(keyPair(), SwarmOptions.DEFAULT);
      s.join(topic, true, false);
      assertTrue(s.flush().get(WAIT_S, TimeUnit.SECONDS));
    }
    Hyperswarm client = swarm(keyPair(), SwarmOptions.DEFAULT.withMaxPeers(2));
    client.join(topic, false, true);
    assertTrue(client.flush().get(WAIT_S, TimeUnit.SECONDS));
    waitFor("two connections", () -> client.connectionCount() == 2);
    Thread.sleep(500);
    assertEquals(2, client.connectionCount(), "the third server is found but not dialled");
    assertEquals(2, client.attemptedConnections());
  }
}
