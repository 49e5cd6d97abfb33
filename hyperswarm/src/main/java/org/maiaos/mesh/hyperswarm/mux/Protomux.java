package org.maiaos.mesh.hyperswarm.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * protomux 3.12.1 on a Netty pipeline, above the secret-stream: many {@link MuxChannel}s over one
 * stream, one frame per stream message, {@code uint(channel) uint(type) payload}, channel 0 being
 * control (0 batch, 1 open, 2 reject, 3 close). Channels pair by {@code (protocol, id)} when both
 * sides have opened; local ids are allocated and freed exactly as JS does, since the peer accepts
 * only a free id or the next one. Everything runs on the channel's event loop: call the API there
 * ({@link #executor()}), and callbacks arrive there.
 *
 * <p>A peer that breaks the protocol (a malformed frame, an invalid open or reject, a message for a
 * channel it never opened, too many channels) or a callback that throws ends the stream; the
 * reason is logged once at WARN and kept in {@link #failure()}. Messages for a channel the peer
 * opened but this side has since closed are dropped, as in JS (they may have crossed the close).
 */
public final class Protomux extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Protomux.class);
  static final byte BATCH = 0;
  static final byte OPEN = 1;
  static final byte REJECT = 2;
  static final byte CLOSE = 3;

  private final MuxLimits limits;
  private final List<MuxChannel> local = new ArrayList<>();
  private final List<Integer> free = new ArrayList<>();
  private final List<RemoteSlot> remote = new ArrayList<>();
  private final Map<String, ChannelInfo> infos = new LinkedHashMap<>();
  private final Map<String, PairHandler> pairHandlers = new HashMap<>();
  private ChannelHandlerContext ctx;
  private Promise<Void> closePromise;
  private int corked;
  private MuxBatch batch;
  private int pendingOpens;
  private long buffered;
  private boolean paused;
  private boolean reading;
  private boolean flushNeeded;
  private int flushHeld; // > 0 while writeBatch runs: frames are written and flushed once at its end
  private boolean destroyed;
  private volatile HypercoreException failure;
  private final Set<Future<?>> pairTimers = new HashSet<>();

  public Protomux() {
    this(MuxLimits.DEFAULTS);
  }

  public Protomux(MuxLimits limits) {
    this.limits = limits;
  }

  /** The Protomux of a channel's pipeline (JS {@code Protomux.from(stream)}), or null. */
  public static Protomux of(Channel channel) {
    return channel.pipeline().get(Protomux.class);
  }

  public EventExecutor executor() {
    if (ctx == null) throw CoreError.INVALID_OPERATION.error("Protomux not in a pipeline");
    return ctx.executor();
  }

  /** Why this side ended the stream, or null. */
  public HypercoreException failure() {
    return failure;
  }

  /** Completes once the stream is closed and every channel has been closed. */
  public Future<Void> closeFuture() {
    if (closePromise == null) throw CoreError.INVALID_OPERATION.error("Protomux not in a pipeline");
    return closePromise;
  }

  boolean isDestroyed() {
    return destroyed;
  }

  void checkLoop() {
    if (ctx == null) throw CoreError.INVALID_OPERATION.error("Protomux not in a pipeline");
    if (!ctx.executor().inEventLoop()) throw CoreError.INVALID_OPERATION.error("Protomux used off its event loop");
  }

  // ---- the API

  /**
   * A new channel, or null if the stream is gone or {@code unique} and one is already open for the
   * same {@code (protocol, id)}. If the peer's open for it is waiting, the channel pairs with it:
   * call {@link MuxChannel#open} right away; {@code onOpen} follows on a later loop turn.
   */
  public MuxChannel createChannel(MuxChannel.Options options) {
    checkLoop();
    if (destroyed) return null;
    ChannelInfo info = info(options.protocol, options.id, options.aliases);
    if (options.unique && info.opened > 0) return null;
    if (info.incoming.isEmpty()) return new MuxChannel(this, info, options);
    pendingOpens--;
    int remoteId = info.incoming.poll();
    RemoteSlot r = remote.get(remoteId - 1);
    if (r == null) return null;
    MuxChannel session = new MuxChannel(this, info, options);
    session.remoteId = remoteId;
    r.session = session;
    ctx.executor().execute(() -> {
      try {
        session.fullyOpen();
      } catch (RuntimeException e) {
        fail(e);
      }
    });
    return session;
  }

  /** Registers what to do when the peer opens {@code (protocol, id)}; {@code id} null matches any id. */
  public void pair(String protocol, byte[] id, PairHandler handler) {
    checkLoop();
    pairHandlers.put(ChannelInfo.key(protocol, id), handler);
  }

  public void unpair(String protocol, byte[] id) {
    checkLoop();
    pairHandlers.remove(ChannelInfo.key(protocol, id));
  }

  /** True if a local channel for {@code (protocol, id)} is open (JS {@code opened}). */
  public boolean opened(String protocol, byte[] id) {
    checkLoop();
    ChannelInfo info = infos.get(ChannelInfo.key(protocol, id));
    return info != null && info.opened > 0;
  }

  /** The last channel opened for {@code (protocol, id)} and still open, or null. */
  public MuxChannel lastChannel(String protocol, byte[] id) {
    checkLoop();
    ChannelInfo info = infos.get(ChannelInfo.key(protocol, id));
    return info == null ? null : info.lastChannel;
  }

  /** The open local channels. */
  public List<MuxChannel> channels() {
    checkLoop();
    List<MuxChannel> out = new ArrayList<>();
    for (MuxChannel c : local) if (c != null) out.add(c);
    return out;
  }

  /** No local id in use (JS {@code isIdle}). */
  public boolean isIdle() {
    checkLoop();
    return local.size() == free.size();
  }

  /** True while the stream under it is open (any thread). */
  public boolean isOpen() {
    return ctx != null && ctx.channel().isActive();
  }

  public boolean isWritable() {
    return ctx != null && ctx.channel().isWritable();
  }

  /** Batches what is sent, channel messages and opens/closes alike, until the matching {@link #uncork()}. */
  public void cork() {
    checkLoop();
    if (++corked == 1) batch = new MuxBatch();
  }

  public void uncork() {
    checkLoop();
    if (corked == 0) return;
    if (--corked == 0) {
      MuxBatch b = batch;
      batch = null;
      if (!b.isEmpty()) writeFrame(b.encode());
    }
  }

  /**
   * Runs {@code sends} on the event loop, then flushes what they wrote once: a burst of messages
   * handed over from another thread leaves in one write to the socket, not one each. Unlike
   * {@link #cork()} it changes no framing: each message keeps its own frame.
   */
  public void writeBatch(Runnable sends) {
    checkLoop();
    flushHeld++;
    try {
      sends.run();
    } finally {
      if (--flushHeld == 0 && !reading && flushNeeded && ctx != null) {
        flushNeeded = false;
        ctx.flush();
      }
    }
  }

  /** Ends the stream for {@code reason} (e.g. INVALID_CAPABILITY from the layer above). */
  public void destroy(HypercoreException reason) {
    checkLoop();
    fail(reason);
  }

  // ---- used by MuxChannel

  boolean corked() {
    return batch != null;
  }

  int allocateLocalId(MuxChannel channel) {
    int index;
    if (free.isEmpty()) {
      local.add(null);
      index = local.size() - 1;
    } else {
      index = free.remove(free.size() - 1);
    }
    local.set(index, channel);
    return index + 1;
  }

  void freeLocalId(int localId) {
    free.add(localId - 1);
  }

  void clearLocal(int localId) {
    local.set(localId - 1, null);
  }

  RemoteSlot remoteSlot(int remoteId) {
    return remote.get(remoteId - 1);
  }

  void clearRemote(int remoteId) {
    RemoteSlot r = remote.set(remoteId - 1, null);
    if (r != null && r.pending != null) releaseBuffered(r.pending);
  }

  void releaseBuffered(List<RemoteSlot.Pending> held) {
    for (RemoteSlot.Pending p : held) buffered -= p.weight();
    if (paused && buffered <= limits.maxBufferedBytes()) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  void gc(ChannelInfo info) {
    if (!info.unused()) return;
    infos.remove(info.key);
    for (String alias : info.aliasKeys) infos.remove(alias);
  }

  static byte[] controlFrame(byte type, long id) {
    State s = new State();
    s.end = 2;
    Uint.preencode(s, id);
    s.alloc();
    s.buffer[0] = 0;
    s.buffer[1] = type;
    s.start = 2;
    Uint.encode(s, id);
    return s.buffer;
  }

  /** A channel-0 frame: straight out, or into the batch without its leading channel byte. */
  void writeControl(byte[] frame) {
    if (batch != null) pushBatch(0, Arrays.copyOfRange(frame, 1, frame.length));
    else writeFrame(frame);
  }

  void pushBatch(int localId, byte[] item) {
    if (item.length > SecretStreamHandler.MAX_MESSAGE_BYTES - 16) {
      throw CoreError.BAD_ARGUMENT.error("message of %d bytes does not fit one secret-stream message", item.length);
    }
    if (batch.size() >= limits.maxBatchBytes()) {
      writeFrame(batch.encode());
      batch = new MuxBatch();
    }
    batch.add(localId, item);
  }

  boolean writeFrame(byte[] frame) {
    if (frame.length > SecretStreamHandler.MAX_MESSAGE_BYTES) {
      throw CoreError.BAD_ARGUMENT.error("frame of %d bytes does not fit one secret-stream message", frame.length);
    }
    if (destroyed || ctx == null) return false;
    ctx.write(Unpooled.wrappedBuffer(frame));
    if (reading || flushHeld > 0) flushNeeded = true;
    else ctx.flush();
    return ctx.channel().isWritable();
  }

  // ---- pipeline

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.closePromise = ctx.executor().newPromise();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    State frame;
    if (msg instanceof ByteBuf buf) {
      try {
        frame = buf.hasArray()
            ? State.of(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.arrayOffset() + buf.writerIndex())
            : State.of(ByteBufUtil.getBytes(buf));
        onFrame(frame);
      } finally {
        buf.release();
      }
    } else if (msg instanceof byte[] bytes) {
      onFrame(State.of(bytes));
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onFrame(State s) {
    if (destroyed || s.remaining() == 0) return; // empty frames are ignored, as in JS
    reading = true;
    try {
      decode(Uint.decode(s), s);
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      reading = false;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushNeeded) {
      flushNeeded = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      for (MuxChannel c : new ArrayList<>(local)) {
        if (c != null) {
          try {
            c.listener.onDrain(c);
          } catch (RuntimeException e) {
            fail(e);
          }
        }
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    destroyed = true;
    for (Future<?> t : new ArrayList<>(pairTimers)) t.cancel(false);
    // JS _shutdown: every local channel closes as if the peer had closed it
    for (MuxChannel c : new ArrayList<>(local)) {
      if (c != null) {
        try {
          c.closeLocally(true);
        } catch (RuntimeException e) {
          LOG.error("channel close callback failed", e);
        }
      }
    }
    closePromise.trySuccess(null);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
  }

  private void fail(Throwable cause) {
    HypercoreException e = cause instanceof HypercoreException he
        ? he
        : CoreError.ASSERTION.error(cause, "channel callback failed: %s", cause);
    if (destroyed) return;
    destroyed = true;
    failure = e;
    if (e.code() == CoreError.ASSERTION) LOG.error("protomux {} closed: {}", ctx.channel().remoteAddress(), e.getMessage(), e);
    else LOG.warn("protomux {} closed: {}", ctx.channel().remoteAddress(), e.getMessage());
    ctx.close();
  }

  // ---- receiving

  private void decode(long remoteId, State s) {
    long type = Uint.decode(s);
    if (remoteId == 0) {
      control(type, s);
      return;
    }
    if (remoteId > remote.size()) {
      throw CoreError.DECODING_ERROR.error("message for channel %d, which the peer never opened", remoteId);
    }
    RemoteSlot r = remote.get((int) remoteId - 1);
    if (r == null || (r.pending == null && r.session == null)) {
      LOG.debug("dropped a type {} message for closed channel {}", type, remoteId);
      return;
    }
    if (r.pending != null) {
      hold(r, type, s);
      return;
    }
    r.session.recv(type, State.of(s.buffer, s.start, s.end));
  }

  private void control(long type, State s) {
    switch ((int) Math.min(type, 4)) {
      case BATCH -> onBatch(s);
      case OPEN -> onOpen(s);
      case REJECT -> onReject(s);
      case CLOSE -> onClose(s);
      default -> { } // unknown control types are ignored, as in JS
    }
  }

  /** A peer's message for a channel not yet paired here: held (copied) until it is. */
  private void hold(RemoteSlot r, long type, State s) {
    RemoteSlot.Pending p = new RemoteSlot.Pending(type, Arrays.copyOfRange(s.buffer, s.start, s.end));
    r.pending.add(p);
    buffered += p.weight();
    if (!paused && buffered > limits.maxBufferedBytes()) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void onBatch(State s) {
    int end = s.end;
    long channel = Uint.decode(s);
    boolean corkedHere = false;
    while (s.end > s.start) {
      long len = Uint.decode(s);
      if (len == 0) {
        channel = Uint.decode(s);
        continue;
      }
      s.end = (int) Math.min(s.start + len, end); // as JS: an item running past the end is cut short
      if (s.end != end && !corkedHere) {
        corkedHere = true; // several messages: answer them in one batch too
        cork();
      }
      decode(channel, s);
      if (destroyed) return;
      s.start = s.end;
      s.end = end;
    }
    if (corkedHere) uncork();
  }

  private void onOpen(State s) {
    long remoteId = Uint.decode(s);
    String protocol = Bytes.decodeString(s);
    byte[] id = Bytes.decodeOptional(s);
    byte[] handshake = Arrays.copyOfRange(s.buffer, s.start, s.end);
    if (remoteId == 0) throw CoreError.DECODING_ERROR.error("open for channel 0");
    if (remoteId > remote.size() + 1L) {
      throw CoreError.DECODING_ERROR.error("invalid open: channel %d skips ids (next free is %d)", remoteId, remote.size() + 1);
    }
    int rid = (int) remoteId - 1;
    if (rid == remote.size()) {
      if (remote.size() >= limits.maxRemoteChannels()) {
        throw CoreError.DECODING_ERROR.error("peer opened more than %d channels", limits.maxRemoteChannels());
      }
      remote.add(null);
    }
    if (remote.get(rid) != null) throw CoreError.DECODING_ERROR.error("invalid open: channel %d is in use", remoteId);
    ChannelInfo info = info(protocol, id, List.of());

    if (!info.outgoing.isEmpty()) {
      int localId = info.outgoing.remove(0);
      MuxChannel session = local.get(localId - 1);
      if (session == null) { // closed here before the peer's open came: the id is free now
        freeLocalId(localId);
        gc(info);
        return;
      }
      remote.set(rid, new RemoteSlot(handshake, true));
      session.remoteId = (int) remoteId;
      session.fullyOpen();
      return;
    }

    remote.set(rid, new RemoteSlot(handshake, false));
    if (++pendingOpens > limits.maxPendingOpens()) {
      throw CoreError.DECODING_ERROR.error("peer has more than %d channel opens pending", limits.maxPendingOpens());
    }
    info.pairing++;
    info.incoming.add((int) remoteId);
    requestSession(protocol, id, info);
  }

  /** Asks the pair handler, then rejects the peer's opens for this key that nothing claimed. */
  private void requestSession(String protocol, byte[] id, ChannelInfo info) {
    PairHandler h = pairHandlers.get(ChannelInfo.key(protocol, id));
    if (h == null) h = pairHandlers.get(ChannelInfo.key(protocol, null));
    CompletionStage<?> stage = h == null ? null : h.onPair(protocol, id == null ? null : id.clone());
    if (stage == null) {
      afterPair(info);
      return;
    }
    boolean[] done = {false};
    Runnable settle = () -> {
      if (done[0]) return;
      done[0] = true;
      afterPair(info);
    };
    Future<?> timer = ctx.executor().schedule(settle, limits.pairTimeout().toNanos(), TimeUnit.NANOSECONDS);
    pairTimers.add(timer);
    timer.addListener(f -> pairTimers.remove(timer));
    stage.whenComplete((v, err) -> ctx.executor().execute(() -> {
      timer.cancel(false);
      if (err != null) fail(err);
      else settle.run();
    }));
  }

  private void afterPair(ChannelInfo info) {
    if (destroyed) return;
    if (--info.pairing > 0) return;
    while (!info.incoming.isEmpty()) reject(info.incoming.poll());
    gc(info);
  }

  private void reject(int remoteId) {
    clearRemote(remoteId);
    pendingOpens--;
    writeControl(controlFrame(REJECT, remoteId));
  }

  private void onReject(State s) {
    long localId = Uint.decode(s);
    for (ChannelInfo info : new LinkedHashSet<>(infos.values())) {
      int i = info.outgoing.indexOf((int) Math.min(localId, Integer.MAX_VALUE));
      if (i < 0) continue;
      info.outgoing.remove(i);
      MuxChannel session = local.get((int) localId - 1);
      freeLocalId((int) localId);
      if (session != null) session.closeLocally(true);
      gc(info);
      return;
    }
    throw CoreError.DECODING_ERROR.error("reject for channel %d, which has no open pending", localId);
  }

  private void onClose(State s) {
    long remoteId = Uint.decode(s);
    if (remoteId == 0 || remoteId > remote.size()) return;
    RemoteSlot r = remote.get((int) remoteId - 1);
    if (r != null && r.session != null) r.session.closeLocally(true);
  }

  private ChannelInfo info(String protocol, byte[] id, List<String> aliases) {
    String key = ChannelInfo.key(protocol, id);
    ChannelInfo info = infos.get(key);
    if (info != null) return info;
    info = new ChannelInfo(key, protocol, id == null ? null : id.clone());
    infos.put(key, info);
    for (String alias : aliases) {
      String k = ChannelInfo.key(alias, id);
      info.aliasKeys.add(k);
      infos.put(k, info);
    }
    return info;
  }
}
