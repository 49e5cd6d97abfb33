package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The coordinator's side of one {@link RegionAgent}: a child JVM in the region's namespace, driven by JSON lines. */
final class AgentProcess implements AutoCloseable {
  final String region;
  private final Child child;

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

  /** The next line (a reply or an event); an {@code error} reply fails here. */
  JsonNode next(Duration timeout) throws Exception {
    JsonNode r = Conn.JSON.readTree(child.line(timeout));
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
