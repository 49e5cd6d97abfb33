package org.maiaos.mesh.node.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.node.sync.protocol.ContentSyncMessage;
import org.maiaos.mesh.node.sync.protocol.KnownMessage;

/**
 * Internal. One {@code sendNewContent} to one client ({@code sync.ts}): the pieces it lacks of a
 * value, dependencies first, streamed from storage a batch at a time. The next batch is read only
 * once the client's outgoing queue has drained below {@link #RESUME_BELOW_BYTES}, so a big value
 * for a slow client never sits whole in memory. A forced reply ends in {@code known}: for a value
 * held in memory only when nothing was missing; for one read from storage always, right after
 * its first piece (what the reference does when it streams a value from storage).
 */
final class ContentSend {
  /** Transaction text read from storage per batch. */
  static final long BATCH_BYTES = 1 << 20;
  static final long RESUME_BELOW_BYTES = 4L << 20;

  private final SyncEngine engine;
  private final PeerState peer;
  private final String id;
  private final boolean forceReply;
  private final boolean fromStorage;
  private boolean sentOwn;
  private boolean knownSent;

  ContentSend(SyncEngine engine, PeerState peer, String id, boolean forceReply) {
    this.engine = engine;
    this.peer = peer;
    this.id = id;
    this.forceReply = forceReply;
    this.fromStorage = !engine.inMemory(id);
  }

  /** Starts on the storage thread. */
  void start() {
    engine.worker().read(() -> {
      StorageApi.PieceStream stream = engine.worker().storage().openPieces(id, peer::known, !fromStorage).orElse(null);
      if (stream == null) engine.loop().execute(this::finish);
      else pump(stream);
    });
  }

  /** Storage thread: reads one batch and hands it to the engine. */
  private void pump(StorageApi.PieceStream stream) {
    List<ContentMessage> pieces = new ArrayList<>();
    boolean more;
    try {
      more = !peer.closed && stream.next(BATCH_BYTES, pieces::add);
    } catch (RuntimeException e) {
      stream.close();
      engine.loop().execute(this::finish);
      throw e;
    }
    boolean again = more;
    engine.loop().execute(() -> {
      send(pieces);
      if (again && !peer.closed) resumeWhenDrained(stream);
      else {
        engine.worker().read(stream::close);
        finish();
      }
    });
  }

  private void resumeWhenDrained(StorageApi.PieceStream stream) {
    if (peer.closed) {
      engine.worker().read(stream::close);
      finish();
    } else if (peer.connection.queuedBytes() < RESUME_BELOW_BYTES) {
      engine.worker().read(() -> pump(stream));
    } else {
      engine.loop().schedule(() -> resumeWhenDrained(stream), 10, TimeUnit.MILLISECONDS);
    }
  }

  private void send(List<ContentMessage> pieces) {
    for (ContentMessage m : pieces) {
      peer.holds(m);
      peer.told.add(m.id());
      engine.markInMemory(m.id());
      engine.send(peer, new ContentSyncMessage(m));
      if (!m.id().equals(id)) continue;
      if (!sentOwn && forceReply && fromStorage) {
        engine.send(peer, new KnownMessage(engine.existing(id).durable, false));
        knownSent = true;
      }
      sentOwn = true;
    }
  }

  /** Engine thread: the closing {@code known}, then any send that was requested meanwhile. */
  private void finish() {
    peer.sending.remove(id);
    CoValueEntry e = engine.existing(id);
    if (e != null && e.found() && sentOwn) engine.markInMemory(e); // storageSync.ts loads the dependencies too
    if (e != null && forceReply && !knownSent && !sentOwn) {
      engine.send(peer, new KnownMessage(e.durable, false));
      peer.told.add(id);
    } else if (e != null && !forceReply && !sentOwn && peer.told.add(id)) {
      engine.send(peer, new KnownMessage(e.durable, false));
    }
    if (peer.forceAgain.remove(id)) engine.sendNewContent(peer, id, true);
    else if (peer.sendAgain.remove(id)) engine.sendNewContent(peer, id, false);
  }
}
