package org.maiaos.mesh.node.sync;

import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.node.sync.protocol.ContentSyncMessage;
import org.maiaos.mesh.node.sync.protocol.SyncMessage;
import org.maiaos.mesh.node.sync.protocol.SyncMessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. Runs as the server starts, before it listens: loads and initialises what the first
 * requests would otherwise load on their way (the storage's read path down to the Hyperbee's
 * protobuf blocks and a piece stream, header parsing, canonical JSON, BLAKE3 and Ed25519 from a
 * signed jar that the JVM verifies on first use, the message codec). Clients that all reconnect
 * after a restart so do not queue behind class loading, which took the first loads about half a
 * second on 2 cores; the JS server loads its modules before it listens too. Reads one key that is
 * not there and the first batch of the first stored value, writes nothing; a failure is only logged.
 */
final class Preload {
  private static final Logger LOG = LoggerFactory.getLogger(Preload.class);
  private static final String HEADER =
      "{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,\"createdAt\":null,\"uniqueness\":\"preload\"}";

  private Preload() {}

  static void run(StorageApi storage, Limits limits) {
    long t0 = System.nanoTime();
    try {
      String id = CoValueHeader.parse(HEADER).coValueId();
      String line = "{\"action\":\"content\",\"id\":\"" + id + "\",\"header\":" + HEADER + ",\"priority\":3,\"new\":{}}";
      SyncMessage m = SyncMessageCodec.decode(line.getBytes(StandardCharsets.UTF_8), limits);
      m.toJson();
      storage.loadHead(id);
      for (String stored : storage.getCoValueIDs(1, 0)) {
        storage.openPieces(stored, x -> null).ifPresent(s -> {
          try (s) {
            s.next(ContentSend.BATCH_BYTES, piece -> new ContentSyncMessage(piece).toJson());
          }
        });
      }
      Ed25519.verify(new byte[1], new byte[Ed25519.SIGNATURE_BYTES], Key32.of(new byte[Key32.BYTES]));
    } catch (RuntimeException e) {
      LOG.debug("preloading the request path failed (the first requests load it instead)", e);
    }
    LOG.debug("request path preloaded in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }
}
