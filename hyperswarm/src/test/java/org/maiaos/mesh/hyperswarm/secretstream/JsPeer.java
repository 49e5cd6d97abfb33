package org.maiaos.mesh.hyperswarm.secretstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * A long-running Node peer ({@code interop/stream-peer.js}, {@code interop/mux-peer.js}) that
 * prints one JSON event per line and takes one JSON command per line. Events are queued by a
 * reader thread that ends with the process; every wait for one has a generous bound, so a broken
 * peer fails the test instead of hanging it.
 */
public final class JsPeer implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;
  private static final JsonNode EOF = NodeScript.JSON.createObjectNode().put("event", "eof");
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private JsPeer(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.reader = new Thread(this::readEvents, "hyperswarm-test-jspeer");
    reader.setDaemon(true);
    reader.start();
  }

  public static JsPeer start(String script, ObjectNode options) {
    try {
      return new JsPeer(NodeScript.start(script, NodeScript.JSON.writeValueAsString(options)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + script, e);
    }
  }

  private void readEvents() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) events.add(NodeScript.JSON.readTree(line));
      }
    } catch (IOException e) {
      // the process is gone; EOF below says so
    }
    events.add(EOF);
  }

  /** The next event, whatever it is; fails after the bound. */
  public JsonNode next() {
    try {
      JsonNode e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (e == null) throw new AssertionError("no event from the JS peer within " + WAIT_SECONDS + " s");
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Skips events until one named {@code name} (failing on EOF). */
  public JsonNode expect(String name) {
    for (;;) {
      JsonNode e = next();
      String got = e.path("event").asText();
      if (got.equals(name)) return e;
      if (got.equals("eof")) throw new AssertionError("JS peer exited while waiting for '" + name + "'");
    }
  }

  public void command(ObjectNode cmd) {
    try {
      stdin.write((NodeScript.JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException("JS peer gone", e);
    }
  }

  public static ObjectNode obj() {
    return NodeScript.JSON.createObjectNode();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
  }
}
