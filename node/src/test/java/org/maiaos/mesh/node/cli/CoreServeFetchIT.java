package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hyperswarm.replication.JsCorePeer;

/**
 * {@code mesh core serve} and {@code mesh core fetch} as outside scripts use them: Java serves
 * and both Java and JS fetch; JS serves and Java fetches one block, downloading nothing else.
 */
class CoreServeFetchIT {
  private static final String SEED = "0202020202020202020202020202020202020202020202020202020202020202";

  @TempDir Path tmp;

  private static String line(int i) {
    return "line " + i;
  }

  @Test
  void javaServesAndJavaAndJsFetchSingleBlocks() throws Exception {
    Path dir = tmp.resolve("core");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 300; i++) lines.append(line(i)).append('\n');
    String key = CoreServeProcess.createCore(dir, SEED, lines.toString());

    try (CoreServeProcess serve = CoreServeProcess.start(dir, tmp.resolve("serve.err"))) {
      String endpoint = serve.endpoint();

      CoreCommandsTest.Result fetched = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", endpoint, "--index", "123", "--json");
      assertEquals(0, fetched.code(), fetched.err());
      JsonNode j = NodeScript.JSON.readTree(fetched.outText());
      assertEquals(123, j.get("index").asLong());
      assertEquals(HexFormat.of().formatHex(line(123).getBytes(StandardCharsets.UTF_8)), j.get("value").asText());
      assertEquals(300, j.get("remoteLength").asLong());
      assertEquals(1, j.get("downloadedBlocks").asLong());
      assertEquals(List.of("index", "value", "remoteLength", "downloadedBlocks"), fieldNames(j));

      try (JsCorePeer js = new JsCorePeer()) {
        js.replica("r", key);
        js.connect(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)), true);
        assertArrayEquals(line(7).getBytes(StandardCharsets.UTF_8), js.get("r", 7));
        assertEquals(1, js.info("r").get("has").size());
      }

      CoreCommandsTest.Result past = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", endpoint, "--index", "300", "--json");
      assertEquals(1, past.code());
      assertTrue(past.err().contains("BLOCK_NOT_AVAILABLE"), past.err());
    }
  }

  @Test
  void javaFetchesOneBlockFromAJsServer() throws Exception {
    try (JsCorePeer js = new JsCorePeer()) {
      List<byte[]> blocks = new ArrayList<>();
      for (int i = 0; i < 500; i++) blocks.add(line(i).getBytes(StandardCharsets.UTF_8));
      String key = js.create("w", HexFormat.of().parseHex(SEED), blocks).get("key").asText();
      int port = js.listen(false);
      Path keep = tmp.resolve("replica");
      CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", "127.0.0.1:" + port, "--index", "321", "--dir", keep.toString(), "--json");
      assertEquals(0, r.code(), r.err());
      JsonNode j = NodeScript.JSON.readTree(r.outText());
      assertEquals(HexFormat.of().formatHex(line(321).getBytes(StandardCharsets.UTF_8)), j.get("value").asText());
      assertEquals(500, j.get("remoteLength").asLong());
      assertEquals(1, j.get("downloadedBlocks").asLong());
      // the kept sparse replica holds that block, verified, and nothing else
      assertEquals("line 321", CoreCommandsTest.mesh(null, "core", "get", keep.toString(), "321").outText());
      assertEquals(1, CoreCommandsTest.mesh(null, "core", "get", keep.toString(), "320").code());
    }
  }

  @Test
  void unreachablePeerIsOneClearLine() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", "00".repeat(32), "--connect", "127.0.0.1:1", "--index", "0", "--json");
    assertEquals(1, r.code());
    assertEquals(0, r.out().length);
    assertTrue(r.err().startsWith("mesh: CONNECTION_FAILED: cannot connect to 127.0.0.1:1"), r.err());
  }

  private static List<String> fieldNames(JsonNode j) {
    List<String> out = new ArrayList<>();
    j.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
