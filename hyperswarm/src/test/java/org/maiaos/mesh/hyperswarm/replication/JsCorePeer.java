package org.maiaos.mesh.hyperswarm.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Drives {@code interop/core-peer.js}, a real JS hypercore 11 peer: one JSON command per line in,
 * one JSON reply per command out; lines with an {@code event} field are events, kept aside.
 */
public final class JsCorePeer implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();
  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
  final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

  public JsCorePeer() throws IOException {
    process = NodeScript.start("core-peer.js");
    stdin = process.getOutputStream();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isBlank()) continue;
          JsonNode n = NodeScript.JSON.readTree(line);
          (n.has("event") ? events : replies).add(n);
        }
      } catch (IOException e) {
        // process gone
      }
    }, "hyperswarm-test-corepeer");
    reader.setDaemon(true);
    reader.start();
  }

  public JsonNode call(ObjectNode cmd) {
    return call(cmd, 60);
  }

  /** Sends a command and waits at most {@code seconds} for its reply (building a large bee takes minutes). */
  public JsonNode call(ObjectNode cmd, long seconds) {
    try {
      stdin.write((NodeScript.JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      JsonNode r = replies.poll(seconds, TimeUnit.SECONDS);
      if (r == null) throw new AssertionError("no reply from core-peer.js to " + cmd);
      if (r.has("error") && !cmd.path("cmd").asText().equals("get")) throw new AssertionError("core-peer.js: " + r.get("error").asText());
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("core-peer.js gone", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  public static ObjectNode cmd(String name) {
    return NodeScript.JSON.createObjectNode().put("cmd", name);
  }

  public JsonNode create(String name, byte[] seed, List<byte[]> blocks) {
    ObjectNode c = cmd("create").put("name", name).put("seed", HEX.formatHex(seed));
    var arr = c.putArray("blocks");
    for (byte[] b : blocks) arr.add(HEX.formatHex(b));
    return call(c);
  }

  public void replica(String name, String keyHex) {
    call(cmd("replica").put("name", name).put("key", keyHex));
  }

  public long append(String name, List<byte[]> blocks) {
    ObjectNode c = cmd("append").put("name", name);
    var arr = c.putArray("blocks");
    for (byte[] b : blocks) arr.add(HEX.formatHex(b));
    return call(c).get("length").asLong();
  }

  public int listen(boolean initiator) {
    return call(cmd("listen").put("initiator", initiator)).get("port").asInt();
  }

  public void connect(int port, boolean initiator) {
    call(cmd("connect").put("port", port).put("initiator", initiator));
  }

  /** The block's bytes, or null with the JS error code. */
  public byte[] get(String name, long index) {
    JsonNode r = call(cmd("get").put("name", name).put("index", index).put("timeoutMs", 15000));
    return r.has("value") ? HEX.parseHex(r.get("value").asText()) : null;
  }

  public long update(String name) {
    return call(cmd("update").put("name", name)).get("length").asLong();
  }

  public JsonNode info(String name) {
    return call(cmd("info").put("name", name));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.write("{\"cmd\":\"close\"}\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
