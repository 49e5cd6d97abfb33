package org.maiaos.mesh.node.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.node.mesh.RegionMesh;
import org.maiaos.mesh.node.mesh.RegionReads;

/**
 * A region node's {@code GET /metrics}: gauges read at scrape time (nothing to keep in step) from
 * the region bee, the sync server and the mesh, in the Prometheus text format of the official
 * Java client. Per peer region: connected, remote length and blocks downloaded, labelled by
 * region (a name {@link org.maiaos.mesh.node.mesh.MeshHello} already restricts to a-z 0-9 -).
 */
public final class NodeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public NodeMetrics(Hypercore bee, IntSupplier clients, RegionMesh mesh) {
    this(bee, clients, mesh, null, () -> 0);
  }

  /** With {@code reads} (may be null): the cost of reads across regions; {@code refused}: connections the firewall refused. */
  public NodeMetrics(Hypercore bee, IntSupplier clients, RegionMesh mesh, RegionReads reads, LongSupplier refused) {
    GaugeWithCallback.builder().name("mesh_bee_length").help("Blocks in this node's region bee.")
        .callback(cb -> cb.call(bee.length())).register(registry);
    GaugeWithCallback.builder().name("mesh_sync_clients").help("Sync clients (WebSocket connections) connected now.")
        .callback(cb -> cb.call(clients.getAsInt())).register(registry);
    GaugeWithCallback.builder().name("mesh_peer_regions").help("Peer regions this node has met.")
        .callback(cb -> cb.call(mesh.peers().size())).register(registry);
    GaugeWithCallback.builder().name("mesh_peer_connected").help("1 while a connection to the peer region is up.")
        .labelNames("region")
        .callback(cb -> mesh.peers().forEach(p -> cb.call(p.connected() ? 1 : 0, p.region()))).register(registry);
    GaugeWithCallback.builder().name("mesh_peer_remote_length").help("The peer region's bee length as last verified here.")
        .labelNames("region")
        .callback(cb -> mesh.peers().forEach(p -> cb.call(p.replicator().core().length(), p.region()))).register(registry);
    GaugeWithCallback.builder().name("mesh_peer_downloaded_blocks").help("Blocks of the peer region's bee downloaded and verified.")
        .labelNames("region")
        .callback(cb -> mesh.peers().forEach(p -> cb.call(p.replicator().stats().downloadedBlocks(), p.region())))
        .register(registry);
    GaugeWithCallback.builder().name("mesh_peer_propagation_lag_seconds")
        .help("From the peer region's last announced write (its clock) to its content stored here.")
        .labelNames("region")
        .callback(cb -> mesh.peers().forEach(p -> {
          if (p.lastLagMillis() >= 0) cb.call(p.lastLagMillis() / 1000.0, p.region());
        })).register(registry);
    GaugeWithCallback.builder().name("mesh_peer_mirrored_blocks").help("Blocks of a mirrored peer region's bee held from its start without a gap.")
        .labelNames("region")
        .callback(cb -> mesh.peers().forEach(p -> {
          if (p.mirrored()) cb.call(p.mirroredBlocks(), p.region());
        })).register(registry);
    CounterWithCallback.builder().name("mesh_refused_connections").help("Connections the --allow firewall refused.")
        .callback(cb -> cb.call(refused.getAsLong())).register(registry);
    if (reads == null) return;
    CounterWithCallback.builder().name("mesh_region_reads").help("Reads of a CoValue in one peer region's bee.")
        .callback(cb -> cb.call(reads.reads())).register(registry);
    CounterWithCallback.builder().name("mesh_region_read_round_trips").help("Round trips those reads waited for.")
        .callback(cb -> cb.call(reads.roundTrips())).register(registry);
    CounterWithCallback.builder().name("mesh_region_read_blocks").help("Blocks those reads fetched from peers.")
        .callback(cb -> cb.call(reads.blocksFetched())).register(registry);
  }

  public String contentType() {
    return writer.getContentType();
  }

  /** One scrape, as text. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
