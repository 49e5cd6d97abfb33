package org.maiaos.mesh.hyperswarm.mux;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.function.Consumer;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * One Protomux channel (JS {@code Channel}): created by {@link Protomux#createChannel}, opened
 * with {@link #open(byte[])}, fully open once the peer has opened the same {@code (protocol, id)}.
 * Messages are typed by index: {@code send(type, bytes)} here arrives as
 * {@code onMessage(channel, type, state)} there; types at or past {@code messages} are ignored on
 * receipt, as JS ignores types it has no encoding for. All methods run on the mux's event loop.
 */
public final class MuxChannel {
  /** Callbacks, all on the mux's event loop. A callback that throws ends the whole stream, as in JS. */
  public interface Listener {
    /** The peer opened its side; {@code handshake} is the rest of its open message (maybe empty). */
    default void onOpen(MuxChannel channel, byte[] handshake) {}

    /** A message of a known type; {@code message} covers its bytes and is valid during the call only. */
    default void onMessage(MuxChannel channel, int type, State message) {}

    /** Closed by this side, the peer ({@code remote}), a reject, or the end of the stream ({@code remote}). */
    default void onClose(MuxChannel channel, boolean remote) {}

    /** After {@link #onClose}; nothing more will be called. */
    default void onDestroy(MuxChannel channel) {}

    /** The stream became writable again after a send returned false. */
    default void onDrain(MuxChannel channel) {}
  }

  /** What {@link Protomux#createChannel} needs (JS {@code createChannel} options). */
  public static final class Options {
    final String protocol;
    byte[] id;
    List<String> aliases = List.of();
    boolean unique = true;
    int messages;
    Listener listener = new Listener() {};

    private Options(String protocol) {
      if (protocol == null) throw CoreError.BAD_ARGUMENT.error("a channel needs a protocol name");
      this.protocol = protocol;
    }

    public static Options of(String protocol) {
      return new Options(protocol);
    }

    /** The channel id (Hypercore: the discovery key); null or empty for none. */
    public Options id(byte[] id) {
      this.id = id == null || id.length == 0 ? null : id.clone();
      return this;
    }

    /** Other names the peer may open this channel under (only used when this side creates the pairing state). */
    public Options aliases(String... aliases) {
      this.aliases = List.of(aliases);
      return this;
    }

    /** When true (the default) no channel is created while another with the same protocol and id is open. */
    public Options unique(boolean unique) {
      this.unique = unique;
      return this;
    }

    /** How many message types the channel knows (types 0 to n - 1). */
    public Options messages(int n) {
      if (n < 0) throw CoreError.BAD_ARGUMENT.error("negative message count");
      this.messages = n;
      return this;
    }

    public Options listener(Listener listener) {
      this.listener = listener;
      return this;
    }
  }

  final Protomux mux;
  final ChannelInfo info;
  final String protocol;
  final byte[] id;
  final int messages;
  final Listener listener;
  int localId;
  int remoteId;
  private boolean opened;
  private boolean closed;
  private boolean destroyed;
  private byte[] remoteHandshake;
  private final Promise<Boolean> fullyOpened;

  MuxChannel(Protomux mux, ChannelInfo info, Options o) {
    this.mux = mux;
    this.info = info;
    this.protocol = o.protocol;
    this.id = o.id;
    this.messages = o.messages;
    this.listener = o.listener;
    this.fullyOpened = mux.executor().newPromise();
  }

  public Protomux mux() {
    return mux;
  }

  public String protocol() {
    return protocol;
  }

  /** A copy of the channel id, or null. */
  public byte[] id() {
    return id == null ? null : id.clone();
  }

  /** The id this side uses on the wire; 0 before {@link #open} and after close. */
  public int localId() {
    return localId;
  }

  /** The id the peer uses on the wire; 0 until paired and after close. */
  public int remoteId() {
    return remoteId;
  }

  /** Both sides have opened and {@link Listener#onOpen} has run. */
  public boolean isOpened() {
    return opened;
  }

  public boolean isClosed() {
    return closed;
  }

  /** The handshake the peer sent with its open, once paired; else null. */
  public byte[] remoteHandshake() {
    return remoteHandshake == null ? null : remoteHandshake.clone();
  }

  /** Completes with true once fully open, false if closed before. */
  public Future<Boolean> fullyOpened() {
    return fullyOpened;
  }

  /**
   * Sends this side's open: {@code 00 01 uint(localId) string(protocol) optionalBuffer(id) handshake}.
   * The local id is the most recently freed one, else one past the highest, as JS allocates them.
   * {@code handshake} is written raw (null for none).
   */
  public void open(byte[] handshake) {
    mux.checkLoop();
    if (localId != 0 || closed) throw CoreError.INVALID_OPERATION.error("channel %s already opened or closed", protocol);
    localId = mux.allocateLocalId(this);
    info.opened++;
    info.lastChannel = this;
    if (remoteId == 0) info.outgoing.add(localId);
    byte[] hs = handshake == null ? new byte[0] : handshake;
    State s = new State();
    s.end = 2;
    Uint.preencode(s, localId);
    Bytes.preencodeString(s, protocol);
    Bytes.preencodeOptional(s, id);
    s.end += hs.length;
    s.alloc();
    s.buffer[0] = 0;
    s.buffer[1] = Protomux.OPEN;
    s.start = 2;
    Uint.encode(s, localId);
    Bytes.encodeString(s, protocol);
    Bytes.encodeOptional(s, id);
    Bytes.encodeRaw(s, hs);
    mux.writeControl(s.buffer);
  }

  /**
   * Sends message {@code type}: {@code uint(localId) uint(type) message}, or one batch item when
   * corked. Returns false if the channel is closed or the stream is not writable right now (wait
   * for {@link Listener#onDrain}); the message is sent anyway in the latter case.
   */
  public boolean send(int type, byte[] message) {
    return send(type, message.length, s -> Bytes.encodeRaw(s, message));
  }

  /**
   * Same, encoding in place: {@code encoder} must write exactly {@code size} bytes from
   * {@code state.start}, e.g. a record's compact-encoding {@code encode} after its
   * {@code preencode} gave the size. The frame is allocated once.
   */
  public boolean send(int type, int size, Consumer<State> encoder) {
    mux.checkLoop();
    if (closed) return false;
    if (localId == 0) throw CoreError.INVALID_OPERATION.error("send on channel %s before open()", protocol);
    if (type < 0 || size < 0) throw CoreError.BAD_ARGUMENT.error("negative type or size");
    boolean batched = mux.corked();
    State s = new State();
    if (!batched) Uint.preencode(s, localId);
    Uint.preencode(s, type);
    s.end += size;
    s.alloc();
    if (!batched) Uint.encode(s, localId);
    Uint.encode(s, type);
    encoder.accept(s);
    if (s.start != s.end) throw CoreError.ASSERTION.error("encoder did not write exactly the %d bytes announced", size);
    if (batched) {
      mux.pushBatch(localId, s.buffer);
      return true;
    }
    return mux.writeFrame(s.buffer);
  }

  /** JS {@code cork()}: batch what is sent until the matching {@link #uncork()}. */
  public void cork() {
    mux.cork();
  }

  public void uncork() {
    mux.uncork();
  }

  /** Closes this side: {@code 00 03 uint(localId)}; the peer closes its side without answering. */
  public void close() {
    mux.checkLoop();
    if (closed) return;
    int lid = localId;
    closeLocally(false);
    if (lid > 0) mux.writeControl(Protomux.controlFrame(Protomux.CLOSE, lid));
  }

  /** The peer opened its side (JS {@code _fullyOpen}): hand over its handshake and held messages. */
  void fullyOpen() {
    if (opened || closed) return;
    RemoteSlot remote = mux.remoteSlot(remoteId);
    remoteHandshake = remote.handshake;
    remote.handshake = null;
    remote.session = this;
    listener.onOpen(this, remoteHandshake.clone());
    if (remote.pending != null) {
      List<RemoteSlot.Pending> held = remote.pending;
      remote.pending = null;
      mux.releaseBuffered(held);
      for (RemoteSlot.Pending p : held) {
        if (closed || mux.isDestroyed()) break;
        recv(p.type(), State.of(p.message()));
      }
    }
    if (mux.isDestroyed() || closed) return;
    opened = true;
    fullyOpened.trySuccess(true);
  }

  void recv(long type, State message) {
    if (type < messages) listener.onMessage(this, (int) type, message);
  }

  /** JS {@code _close}: frees the ids, tells the listener. */
  void closeLocally(boolean remote) {
    if (closed) return;
    closed = true;
    if (localId > 0) info.opened--;
    if (info.lastChannel == this) info.lastChannel = null;
    if (remoteId > 0) {
      mux.clearRemote(remoteId);
      remoteId = 0;
      // the peer has answered our open (or we answered its), so our id is free to reuse now;
      // otherwise it is freed when the peer's open or reject for it arrives
      if (localId > 0) mux.freeLocalId(localId);
    }
    if (localId > 0) mux.clearLocal(localId);
    localId = 0;
    mux.gc(info);
    try {
      listener.onClose(this, remote);
    } finally {
      destroyed = true;
      fullyOpened.trySuccess(false);
      listener.onDestroy(this);
    }
  }

  boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "MuxChannel[" + ChannelInfo.key(protocol, id) + ", local " + localId + ", remote " + remoteId
        + (closed ? ", closed" : opened ? ", open" : "") + "]";
  }
}
