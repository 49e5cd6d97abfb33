package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * {@code mesh dht} and {@code mesh swarm} as outside scripts use them, each command a child JVM
 * on a private DHT of one {@code mesh dht bootstrap} node on 127.0.0.1 (never the public nodes).
 * Every child and every wait is bounded.
 */
class SwarmCommandsIT {
  private static final String CORE_SEED = "0505050505050505050505050505050505050505050505050505050505050505";
  private static final String SERVE_SEED = "0606060606060606060606060606060606060606060606060606060606060606";
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration RUN = Duration.ofSeconds(90);

  @TempDir static Path shared;
  private static MeshProcess bootstrapNode;
  private static String bootstrap;

  @TempDir Path tmp;

  @BeforeAll
  static void startBootstrapNode() throws Exception {
    bootstrapNode = MeshProcess.start(shared.resolve("bootstrap.err"), "dht", "bootstrap", "--listen", "127.0.0.1:0");
    bootstrap = bootstrapNode.expect("listening ", READY);
    assertTrue(bootstrap.matches("127\\.0\\.0\\.1:[1-9][0-9]*"), bootstrap);
  }

  @AfterAll
  static void stopBootstrapNode() throws Exception {
    if (bootstrapNode != null) bootstrapNode.close();
  }

  private static String publicKey(String seed) {
    return Ed25519.keyPair(HexFormat.of().parseHex(seed)).publicKey().hex();
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode info(Path dir) throws Exception {
    return NodeScript.JSON.readTree(CoreCommandsTest.mesh(null, "core", "info", dir.toString(), "--json").outText());
  }

  private MeshProcess serve(Path dir, String topic) throws Exception {
    MeshProcess serve = MeshProcess.start(tmp.resolve("serve.err"), "swarm", "serve", dir.toString(), "--topic", topic,
        "--bootstrap", bootstrap, "--seed", SERVE_SEED);
    try {
      assertEquals(topic, serve.expect("joined ", READY));
      return serve;
    } catch (Exception | Error e) {
      serve.close();
      throw e;
    }
  }

  private MeshProcess.Result fetch(String key, String topic, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("swarm", "fetch", key, "--topic", topic, "--bootstrap", bootstrap));
    args.addAll(List.of(more));
    return MeshProcess.run(tmp.resolve("fetch.err"), RUN, args.toArray(new String[0]));
  }

  @Test
  void swarmFetchDownloadsOneBlockOfACoreServedUnderItsTopic() throws Exception {
    Path dir = tmp.resolve("core");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 300; i++) lines.append("line ").append(i).append('\n');
    String key = CoreServeProcess.createCore(dir, CORE_SEED, lines.toString());
    String topic = info(dir).get("discoveryKey").asText();

    try (MeshProcess serve = serve(dir, topic)) {
      MeshProcess.Result r = fetch(key, topic, "--index", "123", "--json");
      assertEquals(0, r.code(), r.err());
      assertEquals(1, r.out().size(), r.out().toString());
      JsonNode j = NodeScript.JSON.readTree(r.out().get(0));
      List<String> fields = new ArrayList<>();
      j.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("index", "value", "remoteLength", "downloadedBlocks", "remotePublicKey"), fields);
      assertEquals(123, j.get("index").asLong());
      assertEquals(hex("line 123"), j.get("value").asText());
      assertEquals(300, j.get("remoteLength").asLong());
      assertEquals(1, j.get("downloadedBlocks").asLong());
      assertEquals(publicKey(SERVE_SEED), j.get("remotePublicKey").asText());

      MeshProcess.Result past = fetch(key, topic, "--index", "300", "--json");
      assertEquals(1, past.code(), past.err());
      assertTrue(past.out().isEmpty(), past.out().toString());
      assertTrue(past.err().startsWith("mesh: BLOCK_NOT_AVAILABLE: block 300 is out of range (remote length 300)"), past.err());

      // the topic is served, but not this core: the server refuses its channel
      String other = "ab".repeat(32);
      MeshProcess.Result wrong = fetch(other, topic, "--index", "0", "--timeout", "20");
      assertEquals(1, wrong.code(), wrong.err());
      assertTrue(wrong.err().startsWith("mesh: BLOCK_NOT_AVAILABLE: the 1 peer under topic " + topic + " do not have core " + other), wrong.err());
    }
  }

  @Test
  void swarmFetchReadsABlockOfABee() throws Exception {
    Path dir = tmp.resolve("bee");
    assertEquals(0, CoreCommandsTest.mesh(null, "bee", "create", dir.toString(), "--seed", CORE_SEED).code());
    CoreCommandsTest.Result applied = CoreCommandsTest.mesh("{\"put\":[\"a\",\"1\"]}\n{\"put\":[\"b\",\"2\"]}\n", "bee", "apply", dir.toString());
    assertEquals(0, applied.code(), applied.err());
    JsonNode info = info(dir);
    assertEquals(3, info.get("length").asLong());
    String block2 = HexFormat.of().formatHex(CoreCommandsTest.mesh(null, "core", "get", dir.toString(), "2").out());
    String topic = info.get("discoveryKey").asText();

    try (MeshProcess serve = serve(dir, topic)) {
      MeshProcess.Result r = fetch(info.get("key").asText(), topic, "--index", "2", "--json");
      assertEquals(0, r.code(), r.err());
      JsonNode j = NodeScript.JSON.readTree(r.out().get(0));
      assertEquals(block2, j.get("value").asText());
      assertEquals(3, j.get("remoteLength").asLong());
      assertEquals(1, j.get("downloadedBlocks").asLong());
      assertEquals(publicKey(SERVE_SEED), j.get("remotePublicKey").asText());
    }
  }

  @Test
  void lookupFindsTheAnnouncedKeyOnce() throws Exception {
    String topic = "7e".repeat(32);
    String seed = "0707070707070707070707070707070707070707070707070707070707070707";
    try (MeshProcess announce = MeshProcess.start(tmp.resolve("announce.err"), "dht", "announce", topic, "--bootstrap", bootstrap, "--seed", seed)) {
      assertEquals(publicKey(seed), announce.expect("announced ", READY));
      MeshProcess.Result r = MeshProcess.run(tmp.resolve("lookup.err"), RUN, "dht", "lookup", topic, "--bootstrap", bootstrap, "--json");
      assertEquals(0, r.code(), r.err());
      assertEquals(1, r.out().size(), r.out().toString());
      JsonNode j = NodeScript.JSON.readTree(r.out().get(0));
      assertEquals(publicKey(seed), j.get("publicKey").asText());
      assertTrue(j.get("relayAddresses").isArray(), j.toString());
    }
    MeshProcess.Result none = MeshProcess.run(tmp.resolve("lookup2.err"), RUN, "dht", "lookup", "7f".repeat(32), "--bootstrap", bootstrap, "--json");
    assertEquals(0, none.code(), none.err());
    assertEquals(List.of(), none.out());
  }

  @Test
  void aTopicNobodyServesFailsAtTheTimeout() throws Exception {
    MeshProcess.Result r = fetch("ab".repeat(32), "cd".repeat(32), "--index", "0", "--json", "--timeout", "3");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().isEmpty(), r.out().toString());
    assertTrue(r.err().startsWith("mesh: PEER_NOT_FOUND: no peer under topic " + "cd".repeat(32) + " could be reached within 3 s (--timeout)"), r.err());
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    String key = "ab".repeat(32);
    String topic = "cd".repeat(32);
    List<String[]> cases = List.of(
        new String[] {"swarm", "fetch", "xyz", "--topic", topic, "--bootstrap", "127.0.0.1:1", "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", "12", "--bootstrap", "127.0.0.1:1", "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--bootstrap", "127.0.0.1", "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--bootstrap", "127.0.0.1:1,", "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--bootstrap", "", "--index", "0", "--json"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--bootstrap", "127.0.0.1:1", "--index", "0", "--timeout", "0"},
        new String[] {"swarm", "serve", tmp.toString(), "--topic", topic, "--bootstrap", "127.0.0.1:x"},
        new String[] {"swarm", "fetch", key, "--topic", topic, "--bootstrap", "127.0.0.1:1", "--index", "0", "--bind", "300.0.0.1"},
        new String[] {"dht", "announce", topic},
        new String[] {"dht", "announce", topic, "--bootstrap", "127.0.0.1:1", "--seed", "00"},
        new String[] {"dht", "lookup", topic, "--bootstrap", "999.1.1.1:5", "--json"},
        new String[] {"dht", "bootstrap", "--listen", "[::1]:0"});
    for (String[] args : cases) {
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, args);
      String what = String.join(" ", args) + " -> " + r.err();
      assertTrue(r.code() != 0, what);
      assertEquals(0, r.out().length, what);
      assertTrue(r.err().startsWith("mesh: BAD_ARGUMENT: "), what);
      assertEquals(1, r.err().strip().lines().count(), what);
    }
  }

  @Test
  void everyLevelHasHelp() {
    for (String[] args : List.of(new String[] {"dht", "--help"}, new String[] {"swarm", "--help"}, new String[] {"help", "dht"},
        new String[] {"dht", "help", "announce"}, new String[] {"swarm", "help", "fetch"}, new String[] {"swarm", "serve", "--help"},
        new String[] {"dht", "bootstrap", "--help"}, new String[] {"dht", "lookup", "--help"})) {
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, args);
      assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.outText().startsWith("Usage: mesh "), r.outText());
    }
  }
}
