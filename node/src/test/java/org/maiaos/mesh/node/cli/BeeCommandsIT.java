package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hyperswarm.replication.JsCorePeer;

/**
 * {@code mesh bee ...} against JS hyperbee 2.27.3: the same operations give byte-identical cores
 * (length, tree hash, signature); get and range answer as a model map does; {@code mesh bee fetch}
 * reads one key of a remote JS bee sparsely.
 */
class BeeCommandsIT {
  private static final String SEED = "0404040404040404040404040404040404040404040404040404040404040404";

  @TempDir Path tmp;

  @Test
  void applyMatchesJsByteForByteAndReadsMatchAModel() throws Exception {
    Random r = TestSeeds.random("BeeCommandsIT");
    ArrayNode ops = NodeScript.JSON.createArrayNode();
    TreeMap<String, String> model = new TreeMap<>();
    StringBuilder stdin = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      ObjectNode op;
      if (r.nextInt(10) == 0) {
        op = NodeScript.JSON.createObjectNode();
        ArrayNode batch = op.putArray("batch");
        for (int j = r.nextInt(30); j >= 0; j--) batch.add(randomOp(r, model));
      } else {
        op = randomOp(r, model);
      }
      ops.add(op);
      stdin.append(NodeScript.JSON.writeValueAsString(op)).append('\n');
    }
    Path dir = tmp.resolve("bee");
    assertEquals(0, CoreCommandsTest.mesh(null, "bee", "create", dir.toString(), "--seed", SEED).code());
    CoreCommandsTest.Result applied = CoreCommandsTest.mesh(stdin.toString(), "bee", "apply", dir.toString());
    assertEquals(0, applied.code(), applied.err());
    JsonNode info = NodeScript.JSON.readTree(CoreCommandsTest.mesh(null, "core", "info", dir.toString(), "--json").outText());
    try (JsCorePeer js = new JsCorePeer()) {
      JsonNode jsInfo = js.call(JsCorePeer.cmd("bee-ops").put("name", "b").put("seed", SEED).set("ops", ops));
      assertEquals(jsInfo.get("key").asText(), info.get("key").asText());
      assertEquals(jsInfo.get("length").asLong(), info.get("length").asLong());
      assertEquals(jsInfo.get("treeHash").asText(), info.get("treeHash").asText());
      assertEquals(jsInfo.get("signature").asText(), info.get("signature").asText());
    }
    for (int k = 0; k < 30; k++) {
      String key = "k" + r.nextInt(60);
      JsonNode got = NodeScript.JSON.readTree(CoreCommandsTest.mesh(null, "bee", "get", dir.toString(), key, "--json").outText());
      assertEquals(model.get(key), got.get("value").isNull() ? null : got.get("value").asText(), key);
    }
    List<String> lines = List.of(CoreCommandsTest.mesh(null, "bee", "range", dir.toString(), "--gte", "k2", "--lt", "k5").outText().split("\n"));
    List<String> want = new ArrayList<>(model.subMap("k2", true, "k5", false).keySet());
    List<String> gotKeys = new ArrayList<>();
    for (String l : lines) if (!l.isBlank()) gotKeys.add(NodeScript.JSON.readTree(l).get("key").asText());
    assertEquals(want, gotKeys);
    String rev = CoreCommandsTest.mesh(null, "bee", "range", dir.toString(), "--reverse", "--limit", "1").outText().trim();
    if (!model.isEmpty()) assertEquals(model.lastKey(), NodeScript.JSON.readTree(rev).get("key").asText());
  }

  @Test
  void fetchReadsOneKeyOfARemoteJsBeeSparsely() throws Exception {
    try (JsCorePeer js = new JsCorePeer()) {
      ArrayNode ops = NodeScript.JSON.createArrayNode();
      ObjectNode batch = NodeScript.JSON.createObjectNode();
      ArrayNode b = batch.putArray("batch");
      for (int i = 0; i < 3000; i++) {
        ObjectNode put = NodeScript.JSON.createObjectNode();
        put.putArray("put").add(String.format("key-%05d", i)).add("value " + i);
        b.add(put);
      }
      ops.add(batch);
      JsonNode bee = js.call(JsCorePeer.cmd("bee-ops").put("name", "b").put("seed", SEED).set("ops", ops));
      int port = js.listen(false);
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "bee", "fetch", bee.get("key").asText(), "--connect", "127.0.0.1:" + port, "--get", "key-01234", "--json");
      assertEquals(0, r.code(), r.err());
      JsonNode j = NodeScript.JSON.readTree(r.outText());
      assertEquals("key-01234", j.get("key").asText());
      assertEquals("value 1234", j.get("value").asText());
      assertEquals(1235, j.get("seq").asLong());
      assertEquals(3001, j.get("remoteLength").asLong());
      long downloaded = j.get("downloadedBlocks").asLong();
      assertTrue(downloaded > 0 && downloaded < 60, "a sparse get touches a few blocks, got " + downloaded);
      CoreCommandsTest.Result missing = CoreCommandsTest.mesh(null, "bee", "fetch", bee.get("key").asText(), "--connect", "127.0.0.1:" + port, "--get", "nope", "--json");
      assertEquals(0, missing.code(), missing.err());
      assertTrue(NodeScript.JSON.readTree(missing.outText()).get("value").isNull());
    }
  }

  private static ObjectNode randomOp(Random r, TreeMap<String, String> model) {
    ObjectNode op = NodeScript.JSON.createObjectNode();
    String key = "k" + r.nextInt(60);
    if (r.nextInt(4) == 0) {
      op.put("del", key);
      model.remove(key);
    } else {
      String value = "v" + r.nextInt(1000) + "é";
      op.putArray("put").add(key).add(value);
      model.put(key, value);
    }
    return op;
  }
}
