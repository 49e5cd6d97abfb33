package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's side of one {@link RegionAgent}: a child JVM in the region's namespace, driven
 * by JSON lines. A subscription's events may come between a command and its reply: they are kept
 * for {@link #event} rather than taken for the reply.
 */
final class AgentProcess implements AutoCloseable {
  final String region;
  private final Child child;
  private final java.util.ArrayDeque<JsonNode> events = new java.util.ArrayDeque<>();

  private AgentProcess(String region, Child child) {
    this.region = region;
    this.child = child;
  }

  static AgentProcess start(Netns net, String region, Path dir, Duration deadline) throws Exception {
    List<String> cmd = List.of(Netns.java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), RegionAgent.class.getName(), region);
    return new AgentProcess(region, Child.start("agent " + region, net.exec(region, Netns.bounded(cmd, deadline)), Map.of(), dir,
        dir.resolve("agent-" + region + ".log"), true));
  }

  static ObjectNode command(String name) {
    ObjectNode c = Conn.JSON.createObjectNode();
    c.put("cmd", name);
    return c;
  }

  void send(ObjectNode cmd) throws Exception {
    child.write(cmd.toString());
  }

  /** The next reply (events before it are kept for {@link #event}); an {@code error} reply fails here. */
  JsonNode next(Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode r = read(end);
      if (!r.has("event")) return r;
      events.add(r);
    }
  }

  /** The next event, kept or new; fails on a reply (none is due while events are awaited). */
  JsonNode event(Duration timeout) throws Exception {
    if (!events.isEmpty()) return events.poll();
    JsonNode r = read(System.nanoTime() + timeout.toNanos());
    if (!r.has("event")) throw new IllegalStateException(region + ": a reply where an event was awaited: " + r);
    return r;
  }

  private JsonNode read(long endNanos) throws Exception {
    JsonNode r = Conn.JSON.readTree(child.line(Duration.ofNanos(Math.max(1_000_000, endNanos - System.nanoTime()))));
    if (r.has("error")) throw new IllegalStateException(r.path("error").asText() + " (see " + child.log + ")");
    return r;
  }

  JsonNode call(ObjectNode cmd, Duration timeout) throws Exception {
    send(cmd);
    return next(timeout);
  }

  @Override
  public void close() {
    child.close();
  }
}
