package org.maiaos.mesh.bench.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Setup C: one JS reference sync server ({@code interop/sync-ref-server.js}: cojson 0.20.19 {@code
 * LocalNode} with its SQLite storage, as {@code jazz-run sync} builds it) in its own namespace;
 * every region's clients use it over the emulated link.
 */
final class CentralSetup implements Setup {
  private final Child server;
  private final String url;

  private CentralSetup(Child server, String url) {
    this.server = server;
    this.url = url;
  }

  static CentralSetup start(Netns net, Path interop, Path dir, Duration deadline) throws Exception {
    Files.createDirectories(dir);
    Child c = Child.start("central JS server", net.exec("central", Netns.bounded(List.of("node", interop.resolve("sync-ref-server.js").toString(),
        "--host", net.address("central"), "--port", String.valueOf(MeshSetup.SYNC_PORT), "--db", dir.resolve("storage.db").toString()), deadline)),
        Map.of(), interop, dir.resolve("central.log"), true);
    try {
      return new CentralSetup(c, c.expect("listening ", Duration.ofSeconds(90)).trim());
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  @Override
  public String key() {
    return "C";
  }

  @Override
  public String describe() {
    return "C: central JS reference server " + url;
  }

  @Override
  public String url(String region) {
    return url;
  }

  @Override
  public String metricsUrl(String region) {
    return null;
  }

  @Override
  public void close() {
    server.close();
  }
}
