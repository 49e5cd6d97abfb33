package org.maiaos.mesh.bench;

import java.nio.file.Path;

/** Entry point of {@code mvn -Pbench -DskipTests verify -Dbench=NAME}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "core";
    Path interop = Path.of(args.length > 1 ? args[1] : "interop");
    switch (which) {
      case "core" -> CoreBench.run(interop);
      case "replication" -> ReplicationBench.run(interop);
      case "bee" -> BeeBench.run(interop, Integer.getInteger("bee.keys", 1_000_000), 1000, Integer.getInteger("bee.gets", 100_000));
      case "udx" -> UdxBench.run(interop);
      case "connect" -> ConnectBench.run(interop);
      case "sync" -> org.maiaos.mesh.bench.sync.SyncBench.run(interop);
      case "mesh" -> org.maiaos.mesh.bench.mesh.MeshBench.run(interop);
      default -> throw new IllegalArgumentException("unknown benchmark: " + which);
    }
  }
}
