package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.node.cli.CoreCommandsTest.Result;

/**
 * While {@code mesh core serve} (another process) holds a core, the read-only commands still
 * work, as snapshots of what it has committed; {@code --append-stdin} appends to the served core,
 * and a peer fetches what was appended; another process's append is still refused.
 */
class CoreServeReadersIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SEED = "11".repeat(32);
  @TempDir Path tmp;

  private static JsonNode info(Path dir) throws Exception {
    Result r = CoreCommandsTest.mesh(null, "core", "info", dir.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    return NodeScript.JSON.readTree(r.outText());
  }

  @Test
  void readersWorkBesideAServingProcessThatTakesAppends() throws Exception {
    Path dir = tmp.resolve("core");
    String key = CoreServeProcess.createCore(dir, SEED, "one\ntwo\nthree\n");
    try (MeshProcess serve = MeshProcess.start(tmp.resolve("serve.err"), "core", "serve", dir.toString(), "--listen", "127.0.0.1:0",
        "--append-stdin")) {
      String endpoint = serve.expect("listening ", WAIT);

      assertEquals(3, info(dir).get("length").asInt(), "core info works while serve holds the core");
      Result append = CoreCommandsTest.mesh("x\n", "core", "append", dir.toString());
      assertEquals(1, append.code(), "another process cannot append: " + append.err());
      assertTrue(append.err().contains("STORAGE_CONFLICT"), append.err());

      for (int i = 4; i <= 20; i++) {
        serve.stdin().write(("block " + i + "\n").getBytes(StandardCharsets.UTF_8));
        serve.stdin().flush();
        assertEquals("length " + i, serve.line(WAIT));
        assertEquals(i, info(dir).get("length").asInt(), "a snapshot sees each append once it is acknowledged");
      }
      Result got = CoreCommandsTest.mesh(null, "core", "get", dir.toString(), "19");
      assertEquals(0, got.code(), got.err());
      assertEquals("block 20", got.outText());

      Result fetched = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", endpoint, "--index", "19", "--json");
      assertEquals(0, fetched.code(), fetched.err());
      JsonNode j = NodeScript.JSON.readTree(fetched.outText());
      assertEquals(java.util.HexFormat.of().formatHex("block 20".getBytes(StandardCharsets.UTF_8)), j.get("value").asText(),
          "a peer fetches what was appended while serving");
      assertEquals(20, j.get("remoteLength").asLong());

      serve.stdin().write(("y".repeat(16 << 20) + "\nafter the long line\n").getBytes(StandardCharsets.UTF_8));
      serve.stdin().flush();
      assertEquals("length 21", serve.line(WAIT), "a line over the block limit is skipped, the next appended");
      assertTrue(serve.err().contains("stdin line 18 is over"), serve.err());
    }
  }

  @Test
  void beeReadsWorkBesideAServedBeeAndAppendingRawLinesToItIsRefused() throws Exception {
    Path dir = tmp.resolve("bee");
    assertEquals(0, CoreCommandsTest.mesh(null, "bee", "create", dir.toString()).code());
    assertEquals(0, CoreCommandsTest.mesh("{\"put\":[\"a\",\"1\"]}\n{\"put\":[\"b\",\"2\"]}\n", "bee", "apply", dir.toString()).code());
    Result refused = CoreCommandsTest.mesh(null, "core", "serve", dir.toString(), "--listen", "127.0.0.1:0", "--append-stdin");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("would break the hyperbee"), refused.err());

    try (MeshProcess serve = MeshProcess.start(tmp.resolve("serve-bee.err"), "core", "serve", dir.toString(), "--listen", "127.0.0.1:0")) {
      serve.expect("listening ", WAIT);
      Result get = CoreCommandsTest.mesh(null, "bee", "get", dir.toString(), "b");
      assertEquals(0, get.code(), get.err());
      assertEquals("2", NodeScript.JSON.readTree(get.outText()).get("value").asText());
      Result range = CoreCommandsTest.mesh(null, "bee", "range", dir.toString());
      assertEquals(0, range.code(), range.err());
      assertEquals(2, range.outText().lines().count(), range.outText());
    }
  }
}
