package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.keys.KeyLayout;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;
import org.maiaos.mesh.node.mesh.RegionNode;
import org.maiaos.mesh.node.sync.client.CoValueDraft;
import org.maiaos.mesh.node.sync.client.CojsonWriter;

/**
 * A JS peer (hyperswarm 4.17.2 + corestore 7.12.5 + hyperbee 2.27.3) joins a region node's mesh
 * topic on a JS testnet on 127.0.0.1, as any Holepunch app would, and reads one CoValue's header
 * from the node's region bee sparsely: the value is the header as the node stored it, and the JS
 * replica holds only a sliver of the bee. The node speaks its mesh channel to nodes; to the JS peer
 * it is a plain hypercore peer. Bounded waits.
 */
class RegionBeeInteropIT {
  private static final long WAIT_S = 30;
  private final JsInteropNet net = new JsInteropNet("hyperdht-peer.js");
  private final List<HyperDht> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void close() throws Exception {
    for (int i = closeFirst.size() - 1; i >= 0; i--) closeFirst.get(i).close();
    net.close(nodes);
  }

  @Test
  void aJsPeerOnTheMeshTopicReadsARegionBeeSparsely() throws Exception {
    List<PeerAddress> boot = JsInteropNet.addresses(net.call(JsPeer.obj().put("cmd", "testnet").put("size", 3), "testnet").get("bootstrap"));
    Key32 topic = Key32.of(new byte[] {4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2});
    RegionNode us = RegionNode.open(new RegionNode.Config(tmp.resolve("us"), "us", "127.0.0.1", 0, topic, null));
    closeFirst.add(us);

    // the region bee holds 500 CoMaps, stored as the node's sync server stores them
    CojsonWriter alice = CojsonWriter.newAccount();
    CoValueDraft g = alice.newGroup();
    List<ContentMessage> msgs = new ArrayList<>(List.of(ContentMessage.parse(alice.account().full()), ContentMessage.parse(g.full())));
    List<CoValueDraft> maps = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      CoValueDraft m = alice.newMap(g, "n", Integer.toString(i));
      maps.add(m);
      msgs.add(ContentMessage.parse(m.full()));
    }
    try (HyperbeeStorage direct = HyperbeeStorage.of(Hyperbee.open(us.bee(),
        HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).build()), System::currentTimeMillis)) {
      direct.storeAll(msgs);
    }

    HyperDht dht = HyperDht.open(DhtRpcOptions.DEFAULT.withBootstrap(boot), net.scheduler(), net.udx());
    nodes.add(dht);
    dht.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(us.join(dht).get(WAIT_S, TimeUnit.SECONDS));

    ObjectNode node = JsPeer.obj().put("cmd", "node");
    JsInteropNet.addresses(node.putArray("bootstrap"), boot);
    int js = net.call(JsPeer.obj().put("cmd", "storeSwarm").put("node", net.call(node, "node").get("idx").asInt())
        .put("seed", "ab".repeat(32)), "storeSwarm").get("idx").asInt();
    net.call(JsPeer.obj().put("cmd", "join").put("swarm", js).put("topic", topic.hex()).put("server", false), "join");

    // JS flushed() can resolve just before the connection is up; a get with no peer answers nothing
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (net.call(JsPeer.obj().put("cmd", "swarmConnections").put("swarm", js), "swarmConnections").get("connections").isEmpty()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the JS peer never connected to the region node");
      Thread.sleep(50);
    }

    CoValueDraft m = maps.get(321);
    HexFormat hex = HexFormat.of();
    JsonNode got = net.call(JsPeer.obj().put("cmd", "beeGet").put("swarm", js).put("key", us.bee().key().hex())
        .put("k", hex.formatHex(KeyLayout.header(m.id()))), "beeGet");
    assertTrue(got.hasNonNull("value"), "the JS peer found the header key: " + got);
    assertEquals(ContentMessage.parse(m.full()).header().raw(), new String(hex.parseHex(got.get("value").asText()), StandardCharsets.UTF_8), "the header as stored");
    long length = us.bee().length();
    assertEquals(length, got.get("length").asLong());
    long local = got.get("localBlocks").asLong();
    assertTrue(local >= 2 && local < length / 10, "the JS replica holds only the path to the key: " + local + " of " + length);
    System.out.printf("RegionBeeInteropIT: a JS peer read one header of a %d-block region bee holding %d blocks%n", length, local);
  }
}
