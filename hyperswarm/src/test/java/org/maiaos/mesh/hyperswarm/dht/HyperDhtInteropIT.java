package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet.addresses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.Announce;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryResult;
import org.maiaos.mesh.hyperswarm.dht.rpc.Reply;
import org.maiaos.mesh.hyperswarm.dht.rpc.RpcError;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;

/**
 * Java HyperDHT against real JS hyperdht 6.34.0 ({@code interop/hyperdht-peer.js}) on 127.0.0.1:
 * announces and lookups both ways on a JS testnet, mutable and immutable values both ways with the
 * seq rules, a network of only Java persistent nodes serving JS clients, and misbehaving requests
 * refused. Every wait is bounded (JsPeer: 60 s per event, JS ops 30 s; futures 30 s).
 */
class HyperDhtInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_S = 30;
  private final JsInteropNet net = new JsInteropNet("hyperdht-peer.js");
  private final List<HyperDht> javaNodes = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 123L));

  @AfterEach
  void close() throws Exception {
    net.close(javaNodes);
  }

  private HyperDht java(DhtRpcOptions opts) throws Exception {
    HyperDht d = HyperDht.open(opts, net.scheduler(), net.udp());
    javaNodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    return d;
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_S, TimeUnit.SECONDS);
  }

  private List<PeerAddress> jsTestnet(int size) {
    JsonNode t = net.call(JsPeer.obj().put("cmd", "testnet").put("size", size), "testnet");
    return addresses(t.get("bootstrap"));
  }

  private int jsClient(List<PeerAddress> bootstrap) {
    ObjectNode c = JsPeer.obj().put("cmd", "node");
    addresses(c.putArray("bootstrap"), bootstrap);
    return net.call(c, "node").get("idx").asInt();
  }

  private List<PeerAddress> javaNetwork() throws Exception {
    HyperDht first = java(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.rpc().serverAddress());
    java(DhtRpcOptions.persistent(boot));
    java(DhtRpcOptions.persistent(boot));
    for (HyperDht d : javaNodes) assertFalse(d.rpc().ephemeral(), "Java storer is persistent");
    return boot;
  }

  private HyperDht javaClient(List<PeerAddress> bootstrap) throws Exception {
    return java(DhtRpcOptions.DEFAULT.withBootstrap(bootstrap));
  }

  private byte[] seed() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }

  private Key32 key() {
    return Key32.of(seed());
  }

  private List<String> jsLookup(int node, Key32 topic) {
    JsonNode e = net.call(JsPeer.obj().put("cmd", "lookup").put("node", node).put("topic", topic.hex()), "lookup");
    List<String> keys = new ArrayList<>();
    for (JsonNode r : e.get("replies")) for (JsonNode p : r.get("peers")) keys.add(p.get("publicKey").asText());
    return keys;
  }

  private static List<Key32> javaLookup(HyperDht d, Key32 topic) throws Exception {
    List<Key32> keys = new ArrayList<>();
    for (LookupReply r : await(d.lookup(topic))) for (PeerRecord p : r.peers()) keys.add(p.publicKey());
    return keys;
  }

  private void jsAnnounce(int node, Key32 topic, byte[] seed, List<PeerAddress> relays) {
    ObjectNode c = JsPeer.obj().put("cmd", "announce").put("node", node).put("topic", topic.hex()).put("seed", HEX.formatHex(seed));
    addresses(c.putArray("relayAddresses"), relays);
    net.call(c, "announce");
  }

  private JsonNode jsMutablePut(int node, byte[] seed, byte[] value, long seq) {
    return net.call(JsPeer.obj().put("cmd", "mutablePut").put("node", node).put("seed", HEX.formatHex(seed))
        .put("value", HEX.formatHex(value)).put("seq", seq), "mutablePut");
  }

  private JsonNode jsMutableGet(int node, Key32 pk, long seq) {
    return net.call(JsPeer.obj().put("cmd", "mutableGet").put("node", node).put("publicKey", pk.hex()).put("seq", seq), "mutableGet");
  }

  // ---------------------------------------------------------------- JS testnet

  @Test
  void javaAnnounceIsFoundByJsLookupAndJsAnnounceByJavaLookup() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    HyperDht j = javaClient(boot);
    int c = jsClient(boot);

    Key32 topic = key();
    KeyPair kp = Ed25519.keyPair(seed());
    PeerAddress relay = new PeerAddress("127.0.0.1", 40001);
    QueryResult res = await(j.announce(topic, kp, List.of(relay)));
    assertFalse(res.closestReplies().isEmpty());
    assertTrue(jsLookup(c, topic).contains(kp.publicKey().hex()), "JS lookup finds the Java announce");

    Key32 topic2 = key();
    byte[] jsSeed = seed();
    jsAnnounce(c, topic2, jsSeed, List.of(relay));
    List<LookupReply> replies = await(j.lookup(topic2));
    Key32 jsKey = Ed25519.keyPair(jsSeed).publicKey();
    assertTrue(replies.stream().anyMatch(r -> r.peers().contains(new PeerRecord(jsKey, List.of(relay)))),
        "Java lookup finds the JS announce with its relay address: " + replies);

    // a Java unannounce removes the Java record where JS looks
    await(j.unannounce(topic, kp));
    assertFalse(jsLookup(c, topic).contains(kp.publicKey().hex()), "unannounced");
  }

  @Test
  void mutableValuesPassBothWaysWithTheSeqRules() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    HyperDht j = javaClient(boot);
    int c = jsClient(boot);
    byte[] s = seed();
    KeyPair kp = Ed25519.keyPair(s);

    await(j.mutablePut(kp, "one".getBytes(), 1));
    JsonNode got = jsMutableGet(c, kp.publicKey(), 0);
    assertTrue(got.get("found").asBoolean());
    assertEquals(1, got.get("seq").asLong());
    assertEquals(HEX.formatHex("one".getBytes()), got.get("value").asText());

    assertTrue(jsMutablePut(c, s, "two".getBytes(), 2).get("ok").asBoolean());
    Optional<MutableValue> v = await(j.mutableGet(kp.publicKey(), 0));
    assertEquals(2, v.orElseThrow().seq());
    assertArrayEquals("two".getBytes(), v.get().value());
    assertTrue(await(j.mutableGet(kp.publicKey(), 3)).isEmpty(), "no value with seq >= 3");

    // seq rules, enforced by JS storers against a Java writer and the other way round
    assertEquals(DhtError.SEQ_TOO_LOW, failure(() -> await(j.mutablePut(kp, "old".getBytes(), 1))));
    assertEquals(DhtError.SEQ_REUSED, failure(() -> await(j.mutablePut(kp, "other".getBytes(), 2))));
    // JS mutablePut resolves even when every storer answers 16/17 (dht-rpc resolves error replies),
    // so the refusal shows in what is stored
    jsMutablePut(c, s, "x".getBytes(), 2);
    jsMutablePut(c, s, "y".getBytes(), 1);
    assertArrayEquals("two".getBytes(), await(j.mutableGet(kp.publicKey(), 0)).orElseThrow().value());
    assertEquals(HEX.formatHex("two".getBytes()), jsMutableGet(c, kp.publicKey(), 0).get("value").asText());
  }

  @Test
  void immutableValuesPassBothWays() throws Exception {
    List<PeerAddress> boot = jsTestnet(3);
    HyperDht j = javaClient(boot);
    int c = jsClient(boot);
    byte[] value = seed();
    Key32 hash = await(j.immutablePut(value));
    JsonNode got = net.call(JsPeer.obj().put("cmd", "immutableGet").put("node", c).put("hash", hash.hex()), "immutableGet");
    assertEquals(HEX.formatHex(value), got.get("value").asText());

    byte[] value2 = seed();
    JsonNode put = net.call(JsPeer.obj().put("cmd", "immutablePut").put("node", c).put("value", HEX.formatHex(value2)), "immutablePut");
    Key32 hash2 = Key32.fromHex(put.get("hash").asText());
    assertEquals(HyperCrypto.hash(value2), hash2);
    assertArrayEquals(value2, await(j.immutableGet(hash2)).orElseThrow());
    assertTrue(await(j.immutableGet(key())).isEmpty());
  }

  // ---------------------------------------------------------------- Java-only network

  @Test
  void aNetworkOfOnlyJavaNodesServesJsClients() throws Exception {
    List<PeerAddress> boot = javaNetwork();
    int a = jsClient(boot);
    int b = jsClient(boot);

    Key32 topic = key();
    byte[] s = seed();
    jsAnnounce(a, topic, s, List.of(new PeerAddress("127.0.0.1", 40002)));
    assertTrue(jsLookup(b, topic).contains(Ed25519.keyPair(s).publicKey().hex()), "JS finds JS through Java storers");

    assertTrue(jsMutablePut(a, s, "m1".getBytes(), 5).get("ok").asBoolean());
    JsonNode got = jsMutableGet(b, Ed25519.keyPair(s).publicKey(), 5);
    assertEquals(5, got.get("seq").asLong());
    jsMutablePut(a, s, "m0".getBytes(), 4); // refused by the Java storers with 17 (JS does not reject on it)
    jsMutablePut(a, s, "m9".getBytes(), 5); // refused with 16
    got = jsMutableGet(b, Ed25519.keyPair(s).publicKey(), 0);
    assertEquals(5, got.get("seq").asLong());
    assertEquals(HEX.formatHex("m1".getBytes()), got.get("value").asText());
    assertFalse(jsMutableGet(b, Ed25519.keyPair(s).publicKey(), 6).get("found").asBoolean());
    // and the Java client sees those refusals as failures
    KeyPair jkp = Ed25519.keyPair(s);
    HyperDht jc = javaClient(boot);
    assertEquals(DhtError.SEQ_TOO_LOW, failure(() -> await(jc.mutablePut(jkp, "m0".getBytes(), 4))));
    assertEquals(DhtError.SEQ_REUSED, failure(() -> await(jc.mutablePut(jkp, "m9".getBytes(), 5))));

    // a server's self-announce (target H(pk)) is a route that answers JS findPeer
    HyperDht j = javaClient(boot);
    KeyPair server = Ed25519.keyPair(seed());
    await(j.announce(HyperCrypto.hash(server.publicKey()), server, List.of()));
    JsonNode fp = net.call(JsPeer.obj().put("cmd", "findPeer").put("node", b).put("publicKey", server.publicKey().hex()), "findPeer");
    assertTrue(fp.get("replies").size() > 0, "JS findPeer reaches the Java route: " + fp);
    assertFalse(await(j.findPeer(server.publicKey())).isEmpty());
  }

  @Test
  void javaStorersRefuseBadSignaturesWrongTokensAndOversizedValues() throws Exception {
    List<PeerAddress> boot = javaNetwork();
    HyperDht j = javaClient(boot);
    HyperDht storer = javaNodes.get(1);
    PeerAddress to = storer.rpc().serverAddress();
    Key32 topic = key();
    KeyPair kp = Ed25519.keyPair(seed());

    // a first request gets us the storer's token
    Reply first = await(j.rpc().request(null, HyperCommands.LOOKUP, topic, null, to));
    Key32 token = first.token();
    PeerRecord peer = new PeerRecord(kp.publicKey(), List.of());
    byte[] forged = new Announce(peer, null, HyperCrypto.signAnnounce(topic, topic, token, peer, null, kp), 0).toBytes();
    assertEquals(RpcError.REQUEST_TIMEOUT, failure(() -> await(j.rpc().request(token, HyperCommands.ANNOUNCE, topic, forged, to))),
        "a badly signed announce gets no answer");
    byte[] signed = new Announce(peer, null, HyperCrypto.signAnnounce(topic, first.fromId(), token, peer, null, kp), 0).toBytes();
    Reply bad = await(j.rpc().request(key(), HyperCommands.ANNOUNCE, topic, signed, to));
    assertEquals(RpcError.INVALID_TOKEN, bad.error(), "wrong token");
    assertTrue(javaLookup(j, topic).isEmpty(), "nothing stored");

    byte[] big = new byte[HyperDhtLimits.DEFAULT.maxValueBytes() + 1];
    Key32 h = HyperCrypto.hash(big);
    assertEquals(RpcError.REQUEST_TIMEOUT, failure(() -> await(j.rpc().request(token, HyperCommands.IMMUTABLE_PUT, h, big, to))),
        "an oversized immutable value gets no answer");
    assertEquals(org.maiaos.mesh.hypercore.CoreError.BAD_ARGUMENT, failure(() -> await(j.immutablePut(big))));
    byte[] atLimit = new byte[HyperDhtLimits.DEFAULT.maxValueBytes()];
    assertEquals(0, await(j.rpc().request(token, HyperCommands.IMMUTABLE_PUT, HyperCrypto.hash(atLimit), atLimit, to)).error(),
        "a value at the limit is stored");

    // an ephemeral node stores nothing: commands 2-9 get UNKNOWN_COMMAND
    assertTrue(j.rpc().ephemeral());
    Reply eph = await(storer.rpc().request(null, HyperCommands.LOOKUP, topic, null, j.rpc().serverAddress()));
    assertEquals(RpcError.UNKNOWN_COMMAND, eph.error());

    // and the well-formed announce is accepted
    assertEquals(0, await(j.rpc().request(token, HyperCommands.ANNOUNCE, topic, signed, to)).error());
    assertEquals(List.of(kp.publicKey()), javaLookup(j, topic));
  }

  // ---------------------------------------------------------------- helpers

  private interface Call {
    Object run() throws Exception;
  }

  private static org.maiaos.mesh.hypercore.ErrorCode failure(Call c) {
    try {
      c.run();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HypercoreException h) return h.code();
      throw new AssertionError("unexpected failure", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("unexpected failure", e);
    }
    throw new AssertionError("expected a failure");
  }
}
