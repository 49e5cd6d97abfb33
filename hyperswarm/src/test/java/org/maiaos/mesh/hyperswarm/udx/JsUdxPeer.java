package org.maiaos.mesh.hyperswarm.udx;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/** interop/udx-peer.js in a child process: one udx-native stream; its JSON lines on stdout. */
final class JsUdxPeer implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  final int port;

  JsUdxPeer(Map<String, Object> options) throws IOException, InterruptedException {
    process = NodeScript.start("udx-peer.js", NodeScript.JSON.writeValueAsString(options));
    process.getOutputStream().close();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (!line.isBlank()) events.add(NodeScript.JSON.readTree(line));
        }
      } catch (IOException e) {
        // the process went away; await() times out or sees what came before
      }
    }, "udx-test-jsreader");
    reader.setDaemon(true);
    reader.start();
    JsonNode ready = await("ready", 60);
    port = ready.get("port").asInt();
  }

  /** The next event named {@code name}, failing after {@code seconds}. */
  JsonNode await(String name, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) throw new AssertionError("udx-peer.js: no '" + name + "' within " + seconds + " s (alive=" + process.isAlive() + ")");
      if (name.equals(e.path("event").asText())) return e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reader.join(5000);
  }
}
