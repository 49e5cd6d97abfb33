package org.maiaos.mesh.node.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/** Runs the real cojson 0.20.19 clients of {@code interop/sync-client.js}, each scenario a child process with a timeout. */
final class JsSyncClient {
  static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);

  private JsSyncClient() {}

  static ObjectNode input(String url) {
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("url", url);
    in.put("timeoutMs", 45_000);
    return in;
  }

  /** Runs {@code scenario} to completion and returns its result; fails with its stderr tail. */
  static JsonNode run(String scenario, ObjectNode input, Path log) throws IOException, InterruptedException {
    try (ChildProcess c = start(scenario, input, log)) {
      String line;
      try {
        line = c.nextLine(SCENARIO_TIMEOUT);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; stderr: " + tail(log), e);
      }
      int code = c.waitFor(Duration.ofSeconds(30));
      if (code != 0) throw new AssertionError(scenario + " exited " + code + "; stderr: " + tail(log));
      return NodeScript.JSON.readTree(line);
    }
  }

  /** The last 2,000 characters of a log file. */
  static String tail(Path log) {
    try {
      String s = java.nio.file.Files.readString(log);
      return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Starts {@code scenario}; the caller reads its lines (subscribe prints a ready line first). */
  static ChildProcess start(String scenario, ObjectNode input, Path log) throws IOException {
    NodeScript.ensureInstalled();
    Path dir = NodeScript.interopDir();
    Process p = new ProcessBuilder(List.of("node", dir.resolve("sync-client.js").toString(), scenario))
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try (OutputStream os = p.getOutputStream()) {
      os.write(NodeScript.JSON.writeValueAsBytes(input));
    }
    return new ChildProcess("sync-client " + scenario, p);
  }
}
