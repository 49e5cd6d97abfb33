package org.maiaos.mesh.node.sync;

import java.time.Duration;
import org.maiaos.mesh.cojson.storage.model.Limits;

/**
 * The sync server's settings and limits, with the defaults {@link #defaults()} gives.
 *
 * @param host                 address to bind (default 127.0.0.1, as {@code jazz-run sync})
 * @param port                 port to bind, 0 for any free one (default 4200)
 * @param dc                   the {@code dc} field of pings: the region, or "unknown"
 * @param maxMessageBytes      one WebSocket message (a frame with its fragments; default 16 MiB: cojson
 *                             sends pieces of ~100 KiB and one transaction may reach 1 MiB); a client
 *                             sending more is disconnected
 * @param maxQueuedBytes       replies queued for one client that is not reading (default 64 MiB), then
 *                             it is disconnected
 * @param maxInFlightPerClient messages of one client accepted and not yet processed (default 256); past
 *                             it the server stops reading that connection until half are done
 * @param pingInterval         between pings (default 1.5 s; clients reconnect after 10 s of silence)
 * @param dependencyTimeout    how long content waits for a dependency asked of its sender (default 30 s)
 * @param storageQueue         tasks waiting for the storage thread (default 65,536)
 * @param limits               bounds on each decoded message (the storage model's {@link Limits#DEFAULT})
 */
public record SyncServerConfig(
    String host,
    int port,
    String dc,
    int maxMessageBytes,
    long maxQueuedBytes,
    int maxInFlightPerClient,
    Duration pingInterval,
    Duration dependencyTimeout,
    int storageQueue,
    Limits limits) {

  public static SyncServerConfig defaults() {
    return new SyncServerConfig("127.0.0.1", 4200, "unknown", 16 << 20, 64L << 20, 256, Duration.ofMillis(1500),
        Duration.ofSeconds(30), 65_536, Limits.DEFAULT);
  }

  public SyncServerConfig withAddress(String host, int port) {
    return new SyncServerConfig(host, port, dc, maxMessageBytes, maxQueuedBytes, maxInFlightPerClient, pingInterval,
        dependencyTimeout, storageQueue, limits);
  }

  public SyncServerConfig withDc(String dc) {
    return new SyncServerConfig(host, port, dc, maxMessageBytes, maxQueuedBytes, maxInFlightPerClient, pingInterval,
        dependencyTimeout, storageQueue, limits);
  }

  public SyncServerConfig withMaxMessageBytes(int bytes) {
    return new SyncServerConfig(host, port, dc, bytes, maxQueuedBytes, maxInFlightPerClient, pingInterval,
        dependencyTimeout, storageQueue, limits);
  }
}
