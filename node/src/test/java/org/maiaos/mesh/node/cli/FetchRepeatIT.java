package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Issue 12: an interrupt must never reach file I/O. A fetch that closed its replicator with
 * {@code shutdownNow} interrupted the thread syncing the downloaded block, and 10-20% of runs
 * printed {@code IO_ERROR: sync of ... failed: ClosedByInterruptException}. 200 fetches through
 * the CLI's own code path (in this JVM, so its log lines are captured) must all be correct and
 * print no such line.
 */
class FetchRepeatIT {
  private static final String SEED = "0303030303030303030303030303030303030303030303030303030303030303";
  private static final int FETCHES = 200;
  private static final int BLOCKS = 40;

  @TempDir Path tmp;

  @Test
  void twoHundredFetchesAreCorrectAndNoneInterruptsFileIo() throws Exception {
    Path dir = tmp.resolve("core");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < BLOCKS; i++) lines.append("block ").append(i).append('\n');
    String key = CoreServeProcess.createCore(dir, SEED, lines.toString());

    try (CoreServeProcess serve = CoreServeProcess.start(dir, tmp.resolve("serve.err"))) {
      String endpoint = serve.endpoint();
      int bad = 0;
      StringBuilder badErr = new StringBuilder();
      for (int n = 0; n < FETCHES; n++) {
        int index = n % BLOCKS;
        CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "core", "fetch", key, "--connect", endpoint, "--index", String.valueOf(index), "--json");
        assertEquals(0, r.code(), "fetch " + n + ": " + r.err());
        JsonNode j = NodeScript.JSON.readTree(r.outText());
        assertEquals(HexFormat.of().formatHex(("block " + index).getBytes(StandardCharsets.UTF_8)), j.get("value").asText(), "fetch " + n);
        if (r.err().contains("ClosedByInterrupt") || r.err().contains("IO_ERROR")) {
          bad++;
          if (badErr.length() < 4000) badErr.append("fetch ").append(n).append(": ").append(r.err()).append('\n');
        }
      }
      assertEquals(0, bad, bad + " of " + FETCHES + " fetches interrupted file I/O:\n" + badErr);
    }
  }
}
