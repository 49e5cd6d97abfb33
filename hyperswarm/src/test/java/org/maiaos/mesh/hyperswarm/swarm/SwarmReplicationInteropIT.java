package org.maiaos.mesh.hyperswarm.swarm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.JsInteropNet;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.maiaos.mesh.hyperswarm.secretstream.JsPeer;

/**
 * Replication over the swarm against JS hyperswarm 4.17.2 + corestore 7.12.5
 * ({@code store.replicate(conn)} on every connection), on a JS testnet on 127.0.0.1: a Java
 * replica of a JS core and a JS replica of a Java core, each found by its discovery key as the
 * topic, read one block sparsely and verified against the writer's signed tree. Bounded waits.
 */
class SwarmReplicationInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final long WAIT_S = 30;
  private static final int BLOCKS = 200;
  private final JsInteropNet net = new JsInteropNet("hyperdht-peer.js");
  private final List<HyperDht> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();
  private final Random random = new Random(Long.getLong("test.seed", 99L));
  @TempDir Path tmp;

  @AfterEach
  void close() throws Exception {
    for (int i = closeFirst.size() - 1; i >= 0; i--) closeFirst.get(i).close();
    net.close(nodes);
  }

  private JsonNode call(ObjectNode cmd, String event) {
    return net.call(cmd, event);
  }

  private byte[] seed() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }

  private int jsStoreSwarm(List<PeerAddress> boot) {
    ObjectNode c = JsPeer.obj().put("cmd", "node");
    JsInteropNet.addresses(c.putArray("bootstrap"), boot);
    int node = call(c, "node").get("idx").asInt();
    return call(JsPeer.obj().put("cmd", "storeSwarm").put("node", node).put("seed", HEX.formatHex(seed())), "storeSwarm")
        .get("idx").asInt();
  }

  private Hyperswarm javaSwarm(List<PeerAddress> boot, SwarmReplication replication) throws Exception {
    HyperDht d = HyperDht.open(DhtRpcOptions.DEFAULT.withBootstrap(boot), net.scheduler(), net.udx());
    nodes.add(d);
    d.rpc().fullyBootstrapped().get(WAIT_S, TimeUnit.SECONDS);
    Hyperswarm s = new Hyperswarm(d, Ed25519.keyPair(seed()), SwarmOptions.DEFAULT, replication);
    closeFirst.add(s);
    return s;
  }

  private List<byte[]> blocks() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < BLOCKS; i++) {
      byte[] b = new byte[1 + random.nextInt(2000)];
      random.nextBytes(b);
      out.add(b);
    }
    return out;
  }

  @Test
  void aJavaReplicaReadsOneBlockOfAJsCoreFoundByDiscoveryKey() throws Exception {
    List<PeerAddress> boot = JsInteropNet.addresses(call(JsPeer.obj().put("cmd", "testnet").put("size", 3), "testnet").get("bootstrap"));
    int jsSwarm = jsStoreSwarm(boot);
    List<byte[]> blocks = blocks();
    ObjectNode append = JsPeer.obj().put("cmd", "coreAppend").put("swarm", jsSwarm).put("name", "writer");
    blocks.forEach(b -> append.withArray("blocks").add(HEX.formatHex(b)));
    JsonNode core = call(append, "coreAppend");
    Key32 key = Key32.fromHex(core.get("key").asText());
    Key32 discoveryKey = Key32.fromHex(core.get("discoveryKey").asText());
    call(JsPeer.obj().put("cmd", "join").put("swarm", jsSwarm).put("topic", discoveryKey.hex()), "join");

    Hypercore replica = Hypercore.createReplica(Files.createDirectories(tmp.resolve("replica")), key);
    closeFirst.add(replica);
    Replicator replicator = new Replicator(replica);
    closeFirst.add(replicator);
    assertEquals(discoveryKey, replica.discoveryKey());
    SwarmReplication replication = new SwarmReplication();
    replication.add(replicator);
    Hyperswarm swarm = javaSwarm(boot, replication);
    swarm.join(discoveryKey, false, true);

    assertEquals((long) BLOCKS, replicator.update().get(WAIT_S, TimeUnit.SECONDS));
    int index = 137;
    assertArrayEquals(blocks.get(index), replicator.get(index).get(WAIT_S, TimeUnit.SECONDS));
    assertTrue(replica.has(index));
    assertFalse(replica.has(0), "sparse: block 0 was never asked for");
    assertEquals(1, replicator.stats().downloadedBlocks(), "only the block asked for came over");
  }

  @Test
  void aJsReplicaReadsOneBlockOfAJavaCoreFoundByDiscoveryKey() throws Exception {
    List<PeerAddress> boot = JsInteropNet.addresses(call(JsPeer.obj().put("cmd", "testnet").put("size", 3), "testnet").get("bootstrap"));
    Hypercore writer = Hypercore.create(Files.createDirectories(tmp.resolve("writer")),
        HypercoreOptions.builder().keyPair(Ed25519.keyPair(seed())).build());
    closeFirst.add(writer);
    List<byte[]> blocks = blocks();
    writer.append(blocks);
    Replicator replicator = new Replicator(writer);
    closeFirst.add(replicator);
    SwarmReplication replication = new SwarmReplication();
    replication.add(replicator);
    Hyperswarm swarm = javaSwarm(boot, replication);
    swarm.join(writer.discoveryKey(), true, false);
    assertTrue(swarm.flush().get(WAIT_S, TimeUnit.SECONDS));

    int jsSwarm = jsStoreSwarm(boot);
    call(JsPeer.obj().put("cmd", "join").put("swarm", jsSwarm).put("topic", writer.discoveryKey().hex())
        .put("server", false), "join");
    int index = 42;
    JsonNode got = call(JsPeer.obj().put("cmd", "coreGet").put("swarm", jsSwarm).put("key", writer.key().hex())
        .put("index", index), "coreGet");
    assertEquals(HEX.formatHex(blocks.get(index)), got.get("value").asText());
    assertEquals(BLOCKS, got.get("length").asInt());
    assertEquals(0, got.get("contiguousLength").asInt(), "sparse: the JS replica holds block 42, not block 0");
    assertEquals(1, replicator.stats().uploadedBlocks(), "the Java writer sent the one block asked for");
  }
}
