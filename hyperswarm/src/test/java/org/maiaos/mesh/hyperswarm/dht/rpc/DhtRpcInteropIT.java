package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet.addresses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * Java dht-rpc nodes and real JS dht-rpc 6.27.0 nodes ({@code interop/dht-rpc-peer.js}) in one
 * network on 127.0.0.1, over real UDP: Java joins JS, JS joins Java, queries agree, tokens work both
 * ways. Every wait is bounded (JsPeer: 60 s per event; futures: 30 s).
 */
class DhtRpcInteropIT {
  private static final long WAIT_S = 30;
  private static final int APP_COMMAND = 77;
  private final JsInteropNet net = new JsInteropNet("dht-rpc-peer.js");
  private final List<DhtRpc> javaNodes = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 99L));

  @AfterEach
  void close() throws Exception {
    net.close(javaNodes);
  }

  private DhtRpc java(DhtRpcOptions opts) throws Exception {
    DhtRpc d = DhtRpc.open(opts, net.scheduler(), net.udp());
    javaNodes.add(d);
    d.fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  private JsonNode jsTestnet(int size) {
    ObjectNode c = JsPeer.obj().put("cmd", "testnet").put("size", size);
    return net.call(c, "testnet");
  }

  private JsonNode jsNode(List<PeerAddress> bootstrap, Boolean ephemeral, Boolean firewalled) {
    ObjectNode c = JsPeer.obj().put("cmd", "node");
    ObjectNode o = c.putObject("opts");
    addresses(o.putArray("bootstrap"), bootstrap);
    if (ephemeral != null) o.put("ephemeral", ephemeral);
    if (firewalled != null) o.put("firewalled", firewalled);
    return net.call(c, "node");
  }

  private List<PeerAddress> jsFindNode(int node, Key32 target) {
    JsonNode e = net.call(JsPeer.obj().put("cmd", "findNode").put("node", node).put("target", target.hex()), "findNode");
    return addresses(e.get("closest"));
  }

  private List<PeerAddress> javaFindNode(DhtRpc d, Key32 target) throws Exception {
    return d.findNode(target).finished().get(WAIT_S, TimeUnit.SECONDS).closestNodes();
  }


  private static List<PeerAddress> persistentJs(JsonNode testnet) {
    List<PeerAddress> out = new ArrayList<>();
    for (JsonNode n : testnet.get("nodes")) {
      if (!n.get("ephemeral").asBoolean()) out.add(new PeerAddress("127.0.0.1", n.get("port").asInt()));
    }
    return out;
  }

  private Key32 randomKey() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Key32.of(b);
  }

  @Test
  void aJavaEphemeralNodeBootstrapsOffJsAndFindsWhatJsFinds() throws Exception {
    JsonNode testnet = jsTestnet(10);
    List<PeerAddress> boot = addresses(testnet.get("bootstrap"));
    DhtRpc client = java(DhtRpcOptions.DEFAULT.withBootstrap(boot));
    assertTrue(client.ephemeral());
    int jsClient = jsNode(boot, null, null).get("idx").asInt();
    List<PeerAddress> persistent = persistentJs(testnet);
    assertEquals(9, persistent.size(), "the testnet's first node stays ephemeral, as in JS");
    for (int i = 0; i < 5; i++) {
      Key32 target = randomKey();
      List<PeerAddress> ours = javaFindNode(client, target);
      assertEquals(jsFindNode(jsClient, target), ours, "target " + target);
      assertEquals(QueryTest.bruteForce(persistent, target, 20), ours);
    }
    // an ephemeral node never sends an id, so it is in no JS table
    for (JsonNode n : testnet.get("nodes")) {
      JsonNode t = net.call(JsPeer.obj().put("cmd", "table").put("node", n.get("idx").asInt())
          .put("id", client.serverAddress().id().hex()), "table");
      assertFalse(t.get("has").asBoolean());
    }
  }

  @Test
  void aJavaPersistentNodeJoinsJsAndJsRoutesThroughIt() throws Exception {
    JsonNode testnet = jsTestnet(8);
    List<PeerAddress> boot = addresses(testnet.get("bootstrap"));
    DhtRpc node = java(DhtRpcOptions.persistent(boot));
    assertFalse(node.ephemeral(), "persistent once its address was sampled from JS replies");
    assertEquals(node.serverAddress().id(), node.id());
    int holders = 0;
    for (JsonNode n : testnet.get("nodes")) {
      JsonNode t = net.call(JsPeer.obj().put("cmd", "table").put("node", n.get("idx").asInt()).put("id", node.id().hex()),
          "table");
      if (t.get("has").asBoolean()) holders++;
    }
    assertTrue(holders >= 3, "JS nodes added the Java node to their tables: " + holders);
    // a fresh JS client reaches the Java node through the JS nodes and gets its reply
    int jsClient = jsNode(boot, null, null).get("idx").asInt();
    List<PeerAddress> closest = jsFindNode(jsClient, node.id());
    assertEquals(node.serverAddress(), closest.get(0), "the Java node is the closest to its own id");
    List<PeerAddress> all = new ArrayList<>(persistentJs(testnet));
    all.add(node.serverAddress());
    Key32 target = randomKey();
    assertEquals(QueryTest.bruteForce(all, target, 20), jsFindNode(jsClient, target));
  }

  @Test
  void jsNodesBootstrapFromOnlyJavaNodes() throws Exception {
    DhtRpc first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.serverAddress());
    List<PeerAddress> all = new ArrayList<>(List.of(first.serverAddress()));
    for (int i = 0; i < 7; i++) all.add(java(DhtRpcOptions.persistent(boot)).serverAddress());
    for (DhtRpc d : javaNodes) assertFalse(d.ephemeral());
    JsonNode jsPersistent = jsNode(boot, false, false);
    assertFalse(jsPersistent.get("ephemeral").asBoolean(), "JS turned persistent from Java's address samples");
    assertNotNull(jsPersistent.get("id").textValue());
    all.add(new PeerAddress("127.0.0.1", jsPersistent.get("port").asInt()));
    int jsClient = jsNode(boot, null, null).get("idx").asInt();
    for (int i = 0; i < 3; i++) {
      Key32 target = randomKey();
      List<PeerAddress> got = jsFindNode(jsClient, target);
      assertEquals(QueryTest.bruteForce(all, target, 20), got, "JS query over Java nodes");
      // a node's own query never lists itself (query.js skips its own id), so compare without it
      DhtRpc asker = javaNodes.get(3);
      List<PeerAddress> expected = new ArrayList<>(got);
      expected.remove(asker.serverAddress());
      assertEquals(expected, javaFindNode(asker, target));
    }
  }

  @Test
  void tokensIssuedByEachSideAreAcceptedByItAndWrongOnesGetErrorTwo() throws Exception {
    DhtRpc first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.serverAddress());
    for (int i = 0; i < 4; i++) java(DhtRpcOptions.persistent(boot));
    int[] stored = new int[1];
    for (DhtRpc d : javaNodes) {
      d.setRequestHandler(req -> {
        if (req.command() != APP_COMMAND) return false;
        if (req.token() == null) {
          req.reply("need-token".getBytes(StandardCharsets.UTF_8));
        } else {
          synchronized (stored) {
            stored[0]++;
          }
          req.reply("stored".getBytes(StandardCharsets.UTF_8));
        }
        return true;
      });
    }
    int jsIdx = jsNode(boot, false, false).get("idx").asInt();
    PeerAddress jsAddr = addresses(net.call(JsPeer.obj().put("cmd", "describe"), "describe").get("nodes")).get(jsIdx);

    // JS asks Java: no token, then Java's token, then a wrong one
    PeerAddress javaAddr = first.serverAddress();
    ObjectNode ask = JsPeer.obj().put("cmd", "request").put("node", jsIdx).put("command", APP_COMMAND);
    ask.putObject("to").put("host", javaAddr.host()).put("port", javaAddr.port());
    JsonNode r1 = net.call(ask.deepCopy(), "reply");
    assertEquals("need-token", r1.get("value").asText());
    String javaToken = r1.get("token").asText();
    JsonNode r2 = net.call(ask.deepCopy().put("token", javaToken), "reply");
    assertEquals(0, r2.get("error").asInt());
    assertEquals("stored", r2.get("value").asText());
    JsonNode r3 = net.call(ask.deepCopy().put("token", "00".repeat(32)), "reply");
    assertEquals(RpcError.INVALID_TOKEN, r3.get("error").asInt());
    assertEquals(javaToken, r3.get("token").asText(), "error 2 carries the valid token");
    assertEquals(1, stored[0]);

    // Java asks JS the same way
    Reply j1 = first.request(null, APP_COMMAND, null, null, jsAddr).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals("need-token", new String(j1.value(), StandardCharsets.UTF_8));
    assertNotNull(j1.token());
    Reply j2 = first.request(j1.token(), APP_COMMAND, null, null, jsAddr).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(0, j2.error());
    assertEquals("stored", new String(j2.value(), StandardCharsets.UTF_8));
    Reply j3 = first.request(Key32.of(new byte[32]), APP_COMMAND, null, null, jsAddr).get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(RpcError.INVALID_TOKEN, j3.error());

    // a JS query with commit: true writes to every closest Java node with the token each issued
    stored[0] = 0;
    JsonNode q = net.call(JsPeer.obj().put("cmd", "commitQuery").put("node", jsIdx).put("target", randomKey().hex()),
        "commitQuery");
    int javaCommits = 0;
    for (PeerAddress a : addresses(q.get("closest"))) {
      if (!a.equals(jsAddr)) javaCommits++;
    }
    assertEquals(javaNodes.size(), javaCommits, "all Java nodes are among the closest");
    synchronized (stored) {
      assertEquals(javaCommits, stored[0]);
    }
    // and a Java commit query writes to the JS node with JS's token
    QueryResult res = javaNodes.get(2).query(randomKey(), APP_COMMAND, new byte[] {1},
        QueryOptions.DEFAULT.withCommit(QueryOptions.AUTO_COMMIT)).finished().get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(res.closestNodes().contains(jsAddr));
    JsonNode commits = net.call(JsPeer.obj().put("cmd", "commits"), "commits").get("commits");
    assertEquals(2, commits.path(String.valueOf(jsIdx)).asInt(), "one direct write plus the commit");
  }

  @Test
  void thePingNatFirewallCheckWorksAcrossImplementations() throws Exception {
    JsonNode testnet = jsTestnet(6);
    List<PeerAddress> jsBoot = addresses(testnet.get("bootstrap"));
    DhtRpc adaptive = java(DhtRpcOptions.DEFAULT.withBootstrap(jsBoot));
    assertFalse(adaptive.firewalled(), "JS answered PING_NAT on our server socket: unfirewalled");
    assertTrue(adaptive.ephemeral(), "adaptive nodes wait ~20 min before turning persistent");

    DhtRpc first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> javaBoot = List.of(first.serverAddress());
    for (int i = 0; i < 5; i++) java(DhtRpcOptions.persistent(javaBoot));
    // JS's own PING_NAT check, run by a JS node against Java nodes, finds it reachable
    int jsOnJava = jsNode(javaBoot, null, null).get("idx").asInt();
    JsonNode check = net.call(JsPeer.obj().put("cmd", "checkFirewall").put("node", jsOnJava), "checkFirewall");
    assertFalse(check.get("firewalled").asBoolean(), check.toString());
    assertEquals("127.0.0.1", check.get("natHost").asText(), "JS sampled its address from Java replies");
  }

  @Test
  void aJsQueryThatHitsADeadJavaNodeMakesTheOthersDropIt() throws Exception {
    DhtRpc first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.serverAddress());
    for (int i = 0; i < 5; i++) java(DhtRpcOptions.persistent(boot));
    DhtRpc victim = javaNodes.get(5);
    Key32 victimId = victim.id();
    int holders = countHolders(victim.serverAddress());
    assertTrue(holders >= 3, "known before: " + holders);
    int jsClient = jsNode(boot, null, null).get("idx").asInt();
    victim.close();
    javaNodes.remove(victim);
    // JS times out on the victim and sends DOWN_HINT to every Java node that referred it; they
    // ping it and drop it (well before their own 8-tick maintenance would)
    List<PeerAddress> closest = jsFindNode(jsClient, victimId);
    assertFalse(closest.contains(victim.serverAddress()));
    CompletableFuture<Void> dropped = new CompletableFuture<>();
    pollUntil(() -> countHolders(victim.serverAddress()) == 0, dropped);
    dropped.get(WAIT_S, TimeUnit.SECONDS); // a TimeoutException here fails the test
    assertEquals(0, countHolders(victim.serverAddress()));
  }

  /** Re-checks {@code condition} on the node scheduler every 200 ms until it holds. */
  private void pollUntil(java.util.concurrent.Callable<Boolean> condition, CompletableFuture<Void> done) {
    net.scheduler().schedule(200, () -> java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
      try {
        if (condition.call()) done.complete(null);
        else if (!done.isDone()) pollUntil(condition, done);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    }));
  }

  private int countHolders(PeerAddress a) throws Exception {
    int n = 0;
    for (DhtRpc d : javaNodes) {
      if (d.nodes().get(WAIT_S, TimeUnit.SECONDS).contains(a)) n++;
    }
    return n;
  }

  @Test
  void garbageAndStrayRepliesOverUdpAreDroppedAndTheNodeKeepsServing() throws Exception {
    DhtRpc node = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    PeerAddress at = node.serverAddress();
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
      InetAddress lo = InetAddress.getByName("127.0.0.1");
      for (int i = 0; i < 300; i++) {
        byte[] junk = new byte[1 + random.nextInt(100)];
        random.nextBytes(junk);
        junk[0] = (byte) (i % 3 == 0 ? 0x03 : i % 3 == 1 ? 0x13 : junk[0]);
        if (i % 3 == 0 && junk.length > 1) junk[1] = (byte) 0x1f; // every optional field claimed, few bytes
        s.send(new DatagramPacket(junk, junk.length, lo, at.port()));
      }
      // a response with a huge closer-node count, and one for a tid nobody asked
      byte[] huge = java.util.HexFormat.of().parseHex("130400007f0000010100feffffff0f");
      s.send(new DatagramPacket(huge, huge.length, lo, at.port()));
      byte[] stray = new org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse(1234, at, null, null, List.of(), 0, null)
          .toBytes();
      s.send(new DatagramPacket(stray, stray.length, lo, at.port()));
      byte[] ping = new DhtRequest(4242, at, null, null, true, Commands.PING, null, null).toBytes();
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      int tid = -1;
      // the kernel may drop part of the burst (a full receive buffer on a busy machine), the ping
      // too: it is sent again each second until answered, and the test fails after WAIT_S
      s.setSoTimeout(1000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
      while (tid != 4242) {
        if (System.nanoTime() > deadline) throw new AssertionError("no answer to the ping in " + WAIT_S + " s");
        s.send(new DatagramPacket(ping, ping.length, lo, at.port()));
        try {
          while (tid != 4242) { // replies to junk that happened to parse may come first
            s.receive(p);
            byte[] got = java.util.Arrays.copyOf(p.getData(), p.getLength());
            tid = (got[2] & 0xFF) | (got[3] & 0xFF) << 8;
          }
        } catch (java.net.SocketTimeoutException e) {
          // not answered within a second: ask again
        }
      }
    }
    assertTrue(node.stats().malformed() > 100, "malformed counted: " + node.stats().malformed());
    assertTrue(node.stats().unmatched() >= 1);
    assertTrue(node.nodes().get(WAIT_S, TimeUnit.SECONDS).isEmpty(), "no junk made it into the table");
  }
}
