package org.maiaos.mesh.bench.mesh;

/** The servers of one setup of the mesh benchmark, running inside the benchmark's namespaces. */
interface Setup extends AutoCloseable {
  /** Short name: {@code M} or {@code C}. */
  String key();

  String describe();

  /** The sync server the clients of {@code region} use. */
  String url(String region);

  /** {@code GET /metrics} of the region's own node, or null when the setup has none. */
  String metricsUrl(String region);

  @Override
  void close();
}
