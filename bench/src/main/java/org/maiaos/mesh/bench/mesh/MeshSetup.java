package org.maiaos.mesh.bench.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Setup M: a {@code mesh dht bootstrap} node in its own namespace and one {@code mesh node run}
 * per region in the region's namespace, all through {@code bin/mesh}, on one topic; each region's
 * clients use their own node. The nodes log every region read ({@code RegionRead} at DEBUG), which
 * {@link ReadLog} reads afterwards.
 */
final class MeshSetup implements Setup {
  static final String TOPIC = "6d62".repeat(16);
  static final int SYNC_PORT = 4200;
  static final int DHT_PORT = 49737;

  private final Map<String, String> urls = new LinkedHashMap<>();
  private final Map<String, Path> logs = new LinkedHashMap<>();
  private final List<Child> children = new ArrayList<>();

  /** {@code nodeOpts}: JVM options for every region node ({@code MESH_JAVA_OPTS}), after the heap and the logging ones. */
  static MeshSetup start(Netns net, Path repo, Path dir, List<String> regions, String nodeOpts, Duration deadline) throws Exception {
    MeshSetup s = new MeshSetup();
    try {
      s.startAll(net, repo, dir, regions, nodeOpts, deadline);
    } catch (Exception e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void startAll(Netns net, Path repo, Path dir, List<String> regions, String nodeOpts, Duration deadline) throws Exception {
    Files.createDirectories(dir);
    String mesh = repo.resolve("bin/mesh").toString();
    String dhtAt = net.address("dht") + ":" + DHT_PORT;
    Child boot = Child.start("dht bootstrap", net.exec("dht", Netns.bounded(List.of(mesh, "dht", "bootstrap", "--listen", dhtAt), deadline)),
        Map.of("MESH_JAVA_OPTS", "-Xmx128m"), repo, dir.resolve("dht.log"), false);
    children.add(boot);
    boot.expect("listening ", Duration.ofSeconds(90));
    String opts = "-Dorg.slf4j.simpleLogger.log.org.maiaos.mesh.node.mesh.RegionRead=debug"
        + " -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS " + nodeOpts;
    List<Child> nodes = new ArrayList<>();
    for (String r : regions) {
      String ip = net.address(r);
      Path log = dir.resolve("node-" + r + ".log");
      Child c = Child.start("node " + r, net.exec(r, Netns.bounded(List.of(mesh, "node", "run", "--dir", dir.resolve(r).toString(), "--region", r,
          "--listen", ip + ":" + SYNC_PORT, "--topic", TOPIC, "--bootstrap", dhtAt, "--bind", ip, "--timeout", "120"), deadline)),
          Map.of("MESH_JAVA_OPTS", opts), repo, log, false);
      children.add(c);
      nodes.add(c);
      logs.put(r, log);
    }
    for (int i = 0; i < regions.size(); i++) urls.put(regions.get(i), nodes.get(i).expect("listening ", Duration.ofSeconds(90)).trim());
    for (Child c : nodes) c.expect("joined ", Duration.ofSeconds(150));
  }

  /** The node log of {@code region}. */
  Path log(String region) {
    return logs.get(region);
  }

  String statusUrl(String region) {
    return "http://" + urls.get(region).substring("ws://".length()) + "/status";
  }

  @Override
  public String key() {
    return "M";
  }

  @Override
  public String describe() {
    return "M: mesh, region nodes " + urls;
  }

  @Override
  public String url(String region) {
    return urls.get(region);
  }

  @Override
  public String metricsUrl(String region) {
    return "http://" + urls.get(region).substring("ws://".length()) + "/metrics";
  }

  @Override
  public void close() {
    for (int i = children.size() - 1; i >= 0; i--) children.get(i).close();
  }
}
