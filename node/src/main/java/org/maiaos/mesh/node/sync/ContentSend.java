package org.maiaos.mesh.node.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.node.sync.protocol.KnownMessage;

/**
 * Internal. One {@code sendNewContent} to one client ({@code sync.ts}): the pieces it lacks of a
 * value, dependencies first, streamed from storage a batch at a time. The next batch is read only
 * once the client's outgoing queue has drained below {@link #RESUME_BELOW_BYTES}, so a big value
 * for a slow client never sits whole in memory. A forced reply ends in {@code known}: for a value
 * held in memory only when nothing was missing; for one read from storage always, right after
 * its first piece (what the reference does when it streams a value from storage).
 *
 * <p>Reads run on the client's {@linkplain PeerState#reads lane}, so its replies keep the order of
 * its requests. A load of a value not yet activated is answered from one read ({@link
 * #startActivating}): the head that activates the entry and the first batch, instead of one
 * round trip for the head and another for the cut.
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

  /** Starts on a reader thread. */
  void start() {
    engine.worker().read(peer.reads(), () -> {
      StorageApi.PieceStream stream;
      try {
        stream = engine.worker().storage().openPieces(id, peer::known, !fromStorage).orElse(null);
      } catch (RuntimeException e) {
        engine.loop().execute(this::finish);
        throw e;
      }
      if (stream == null) engine.loop().execute(this::finish);
      else pump(stream, null);
    });
  }

  /**
   * A load of {@code fresh}, an entry just created and still loading: reads its head and, when it
   * is stored, the first batch, in one read; activates the entry on the engine, then goes on as
   * {@link #start}. {@code then} runs on the engine once the entry is activated and the first
   * batch (or the {@code known} of a value not stored) is queued.
   */
  void startActivating(CoValueEntry fresh, Runnable then) {
    engine.worker().read(peer.reads(), () -> {
      StorageApi.PieceStream stream;
      try {
        // the stream's head activates the entry: nothing of a value still loading is stored (its content waits)
        stream = engine.worker().storage().openPieces(id, peer::known, !fromStorage).orElse(null);
      } catch (RuntimeException e) {
        // as a failed activation read always did: the entry stays loading, nothing is answered
        engine.loop().execute(() -> {
          peer.sending().remove(id);
          then.run();
        });
        throw e;
      }
      Activation a = new Activation(fresh, stream == null ? null : stream.head(), then);
      if (stream != null) pump(stream, a);
      else engine.loop().execute(() -> {
        if (!a.activate()) return;
        finish();
        then.run();
      });
    });
  }

  /** An entry to activate with the first batch; see {@link #startActivating}. */
  private final class Activation {
    private final CoValueEntry entry;
    private final StorageApi.StoredHead head;
    private final Runnable then;

    Activation(CoValueEntry entry, StorageApi.StoredHead head, Runnable then) {
      this.entry = entry;
      this.head = head;
      this.then = then;
    }

    /** Engine thread: activates the entry; false (the send is over) when the value is not stored. */
    boolean activate() {
      entry.loaded(head == null ? null : head.header(), head == null ? null : head.knownState());
      if (entry.found()) return true;
      peer.sending().remove(id);
      engine.send(peer, new KnownMessage(KnownState.empty(id), false));
      rerunRequested();
      then.run();
      return false;
    }
  }

  /** Reader thread: reads one batch and hands it to the engine (activating the entry first, if asked). */
  private void pump(StorageApi.PieceStream stream, Activation activation) {
    List<ContentMessage> pieces = new ArrayList<>();
    List<String> encoded = new ArrayList<>();
    boolean more;
    try {
      more = !peer.closed && stream.next(BATCH_BYTES, pieces::add);
      // encoded here, on the reader, not on the one engine thread: a message's JSON is the same wherever it is made
      for (ContentMessage m : pieces) encoded.add(m.toJson());
    } catch (RuntimeException e) {
      stream.close();
      engine.loop().execute(() -> {
        if (activation != null && !activation.activate()) return;
        finish();
        if (activation != null) activation.then.run();
      });
      throw e;
    }
    boolean again = more;
    engine.loop().execute(() -> {
      if (activation != null && !activation.activate()) return;
      send(pieces, encoded);
      if (again && !peer.closed) resumeWhenDrained(stream);
      else {
        stream.close(); // only drops the cursors: no read of it is under way
        finish();
      }
      if (activation != null) activation.then.run();
    });
  }

  private void resumeWhenDrained(StorageApi.PieceStream stream) {
    if (peer.closed) {
      stream.close();
      finish();
    } else if (peer.connection.queuedBytes() < RESUME_BELOW_BYTES) {
      engine.worker().read(peer.reads(), () -> pump(stream, null));
    } else {
      engine.loop().schedule(() -> resumeWhenDrained(stream), 10, TimeUnit.MILLISECONDS);
    }
  }

  private void send(List<ContentMessage> pieces, List<String> encoded) {
    for (int i = 0; i < pieces.size(); i++) {
      ContentMessage m = pieces.get(i);
      peer.holds(m);
      peer.told().add(m.id());
      engine.markInMemory(m.id());
      engine.sendEncoded(peer, encoded.get(i), m.priority());
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
    peer.sending().remove(id);
    CoValueEntry e = engine.existing(id);
    if (e != null && e.found() && sentOwn) engine.markInMemory(e); // storageSync.ts loads the dependencies too
    if (e != null && forceReply && !knownSent && !sentOwn) {
      engine.send(peer, new KnownMessage(e.durable, false));
      peer.told().add(id);
    } else if (e != null && !forceReply && !sentOwn && peer.told().add(id)) {
      engine.send(peer, new KnownMessage(e.durable, false));
    }
    rerunRequested();
  }

  /** A send of this value to this client that was requested while this one ran goes now. */
  private void rerunRequested() {
    if (peer.forceAgain().remove(id)) engine.sendNewContent(peer, id, true);
    else if (peer.sendAgain().remove(id)) engine.sendNewContent(peer, id, false);
  }
}
