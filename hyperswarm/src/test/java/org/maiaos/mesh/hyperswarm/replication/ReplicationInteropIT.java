package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * Replication against real JS hypercore 11.37.1 over TCP on 127.0.0.1 ({@code interop/core-peer.js}
 * replicates with {@code core.replicate(isInitiator)} piped to a net socket), both directions and
 * both Noise roles.
 */
class ReplicationInteropIT {
  @TempDir Path tmp;
  private TcpPeers net;
  private JsCorePeer js;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    net = new TcpPeers();
    js = new JsCorePeer();
  }

  @AfterEach
  void stop() throws Exception {
    js.close();
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    net.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  static byte[] block(Random r, int i) {
    byte[] b = new byte[r.nextInt(3000)];
    r.nextBytes(b);
    byte[] tag = ("#" + i).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[tag.length + b.length];
    System.arraycopy(tag, 0, out, 0, tag.length);
    System.arraycopy(b, 0, out, tag.length, b.length);
    return out;
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void javaReadsSingleBlocksOfAJsWriterAsInitiatorAndAsResponder() throws Exception {
    Random r = TestSeeds.random("ReplicationInteropIT.javaReads");
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 200; i++) blocks.add(block(r, i));
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    String key = js.create("w", seed, blocks).get("key").asText();
    for (boolean javaInitiator : new boolean[] {true, false}) {
      Hypercore replica = track(Hypercore.createReplica(tmp.resolve("r-" + javaInitiator), Key32.fromHex(key)));
      Replicator rep = track(new Replicator(replica));
      int port = js.listen(!javaInitiator);
      net.connect(port, javaInitiator, List.of(rep));
      assertEquals(200L, await(rep.update()), "verified remote length");
      Set<Integer> asked = new HashSet<>();
      for (int k = 0; k < 15; k++) {
        int i = r.nextInt(200);
        asked.add(i);
        assertArrayEquals(blocks.get(i), await(rep.get(i)), "block " + i);
      }
      assertEquals(asked.size(), rep.stats().downloadedBlocks(), "only the blocks asked were downloaded");
      assertEquals(replica.manifest().hash().hex(), key, "the manifest learned from JS hashes to the key");
    }
  }

  @Test
  void jsReadsSingleBlocksOfAJavaWriterInBothRoles() throws Exception {
    Random r = TestSeeds.random("ReplicationInteropIT.jsReads");
    Hypercore w = track(Hypercore.create(tmp.resolve("w"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build()));
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 150; i++) blocks.add(block(r, i));
    w.append(blocks);
    Replicator rw = track(new Replicator(w));
    for (boolean javaInitiator : new boolean[] {false, true}) {
      // a JS process per role: one JS process replicates every core it holds on each stream
      try (JsCorePeer reader = new JsCorePeer()) {
        reader.replica("r", w.key().hex());
        int port = TcpPeers.port(net.listen(javaInitiator, List.of(rw)));
        reader.connect(port, !javaInitiator);
        Set<Integer> asked = new HashSet<>();
        for (int k = 0; k < 12; k++) {
          int i = r.nextInt(150);
          asked.add(i);
          assertArrayEquals(blocks.get(i), reader.get("r", i), "JS got block " + i + " (Java initiator: " + javaInitiator + ")");
        }
        JsonNode info = reader.info("r");
        assertEquals(150, info.get("length").asLong());
        assertEquals(asked.size(), info.get("has").size(), "JS holds only what it asked for");
      }
    }
    assertTrue(rw.stats().uploadedBlocks() >= 2);
  }

  @Test
  void aJavaSparseReplicaReservesAJsWritersBlocksToAJsReader() throws Exception {
    Random r = TestSeeds.random("ReplicationInteropIT.reserve");
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 100; i++) blocks.add(block(r, i));
    String key = js.create("w", new byte[32], blocks).get("key").asText();
    Hypercore mid = track(Hypercore.createReplica(tmp.resolve("mid"), Key32.fromHex(key)));
    Replicator rm = track(new Replicator(mid));
    net.connect(js.listen(false), true, List.of(rm));
    await(rm.get(10));
    await(rm.get(77));

    try (JsCorePeer reader = new JsCorePeer()) {
      reader.replica("r", key);
      int port = TcpPeers.port(net.listen(false, List.of(rm)));
      reader.connect(port, true);
      assertArrayEquals(blocks.get(77), reader.get("r", 77));
      assertArrayEquals(blocks.get(10), reader.get("r", 10));
      assertEquals(null, reader.get("r", 11), "the middle replica does not have block 11");
    }
  }

  @Test
  void liveAppendsPropagateBothWays() throws Exception {
    Random r = TestSeeds.random("ReplicationInteropIT.live");
    String key = js.create("w", new byte[32], List.of(block(r, 0))).get("key").asText();
    Hypercore replica = track(Hypercore.createReplica(tmp.resolve("r"), Key32.fromHex(key)));
    Replicator rep = track(new Replicator(replica));
    net.connect(js.listen(false), true, List.of(rep));
    assertEquals(1L, await(rep.update()));
    byte[] next = block(r, 1);
    js.append("w", List.of(next, block(r, 2)));
    assertArrayEquals(next, await(rep.get(1)), "a block appended in JS after connecting");

    Hypercore w = track(Hypercore.create(tmp.resolve("w2"), HypercoreOptions.defaults()));
    w.append(block(r, 0));
    Replicator rw = track(new Replicator(w));
    js.replica("r2", w.key().hex());
    js.connect(TcpPeers.port(net.listen(false, List.of(rw))), true);
    assertEquals(1, js.update("r2"));
    byte[] appended = block(r, 1);
    w.append(appended);
    assertArrayEquals(appended, js.get("r2", 1), "a block appended in Java after connecting");
  }

  @Test
  void extensionMessagesRoundTripWithJs() throws Exception {
    String key = js.create("w", new byte[32], List.of(block(new Random(1), 0))).get("key").asText();
    Hypercore replica = track(Hypercore.createReplica(tmp.resolve("r"), Key32.fromHex(key)));
    Replicator rep = track(new Replicator(replica));
    java.util.concurrent.CompletableFuture<byte[]> got = new java.util.concurrent.CompletableFuture<>();
    rep.registerExtension("echo-ext", (peer, message) -> {
      got.complete(message);
      // JS's default extension encoding is c.buffer: a length prefix, then the bytes
      rep.sendExtension(peer, "echo-ext", lengthPrefixed("re: hello".getBytes(StandardCharsets.UTF_8)));
    });
    net.connect(js.listen(false), true, List.of(rep));
    assertEquals(1L, await(rep.update()));
    js.call(JsCorePeer.cmd("extension").put("name", "w").put("ext", "echo-ext").put("send", java.util.HexFormat.of().formatHex("hello".getBytes(StandardCharsets.UTF_8))));
    assertArrayEquals(lengthPrefixed("hello".getBytes(StandardCharsets.UTF_8)), await(got), "JS's message as sent on the wire");
    JsonNode event = js.events.poll(30, TimeUnit.SECONDS);
    assertTrue(event != null && event.get("event").asText().equals("extension"), "JS received the reply: " + event);
    assertEquals("re: hello", new String(java.util.HexFormat.of().parseHex(event.get("message").asText()), StandardCharsets.UTF_8));
  }

  private static byte[] lengthPrefixed(byte[] b) {
    org.maiaos.mesh.hypercore.encoding.State s = new org.maiaos.mesh.hypercore.encoding.State();
    org.maiaos.mesh.hypercore.encoding.Bytes.preencode(s, b);
    s.alloc();
    org.maiaos.mesh.hypercore.encoding.Bytes.encode(s, b);
    return s.buffer;
  }

  @Test
  void manyCoresShareOneStream() throws Exception {
    Random r = TestSeeds.random("ReplicationInteropIT.many");
    List<String> keys = new ArrayList<>();
    List<List<byte[]>> all = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      List<byte[]> blocks = new ArrayList<>();
      for (int i = 0; i < 20; i++) blocks.add(block(r, i));
      byte[] seed = new byte[32];
      seed[0] = (byte) c;
      keys.add(js.create("c" + c, seed, blocks).get("key").asText());
      all.add(blocks);
    }
    List<Replicator> reps = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      reps.add(track(new Replicator(track(Hypercore.createReplica(tmp.resolve("c" + c), Key32.fromHex(keys.get(c)))))));
    }
    net.connect(js.listen(false), true, reps); // one connection for all five
    for (int c = 0; c < 5; c++) {
      int i = r.nextInt(20);
      assertArrayEquals(all.get(c).get(i), await(reps.get(c).get(i)), "core " + c + " block " + i);
    }
  }
}
