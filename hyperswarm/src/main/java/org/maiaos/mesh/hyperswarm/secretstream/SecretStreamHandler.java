package org.maiaos.mesh.hyperswarm.secretstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.crypto.SecretStream;
import org.maiaos.mesh.hyperswarm.udx.UdxError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One @hyperswarm/secret-stream 6.9.2 connection on a Netty channel: it adds its
 * {@link SecretStreamFrameDecoder} in front of itself, runs the Noise XX handshake as initiator or
 * responder, exchanges the stream-id headers, then encrypts every outbound message ({@link ByteBuf}
 * or {@code byte[]}, one message each) into one frame and passes every inbound message up as an
 * unpooled {@link ByteBuf} (which the next handler releases). Writes issued before the handshake
 * completes are queued. Once established, {@link #handshakeFuture()} completes and a
 * {@link SecretStreamHandshake} user event goes up the pipeline.
 *
 * <p>Anything malformed, forged or over a limit closes the channel; the reason, a
 * {@link HypercoreException} (DECODING_ERROR, or REQUEST_TIMEOUT for a timer), is logged once at
 * WARN and kept in {@link #failure()}. There is no in-band close: {@link #end()} flushes and
 * half-closes, as JS {@code end()} does.
 */
public final class SecretStreamHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SecretStreamHandler.class);
  /** {@code namespace("hyperswarm/secret-stream", 3)}: NS_INITIATOR, NS_RESPONDER, NS_SEND. */
  private static final byte[][] NS = Caps.namespace("hyperswarm/secret-stream", 3);
  private static final int STREAM_ID_BYTES = 32;
  /** The largest plaintext one frame can carry. */
  public static final int MAX_MESSAGE_BYTES = SecretStreamLimits.MAX_FRAME_BYTES - SecretStream.A_BYTES;

  private enum Phase { NEW, HANDSHAKE, HEADER, OPEN, CLOSED }

  private record PendingWrite(Object msg, int bytes, ChannelPromise promise) {}

  private final boolean initiator;
  private final KeyPair keyPair;
  private final SecretStreamLimits limits;
  private final SecretStreamFrameDecoder decoder;
  /** Null when the stream starts from a finished handshake ({@link #fromHandshake}). */
  private final NoiseXX noise;
  private final NoiseResult finished;
  private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
  private long pendingBytes;
  private ChannelHandlerContext ctx;
  private Promise<SecretStreamHandshake> handshakePromise;
  private Promise<Void> closePromise;
  private Phase phase = Phase.NEW;
  private volatile SecretStreamHandshake session;
  private SecretStream.Push push;
  private SecretStream.Pull pull;
  private ChannelFuture lastWrite;
  private Future<?> handshakeTimer;
  private Future<?> keepAliveTimer;
  private Future<?> timeoutTimer;
  private boolean wroteSinceTick;
  private long bytesSeenAtTick;
  private volatile HypercoreException failure;

  /** A stream with a fresh random static key pair and the default limits. */
  public SecretStreamHandler(boolean initiator) {
    this(initiator, null, SecretStreamLimits.DEFAULTS);
  }

  /** {@code keyPair} is the static Noise key (the peer sees its public key); null for a random one. */
  public SecretStreamHandler(boolean initiator, KeyPair keyPair, SecretStreamLimits limits) {
    this.initiator = initiator;
    this.keyPair = keyPair == null ? Ed25519.keyPair() : keyPair;
    this.limits = limits;
    this.noise = new NoiseXX(initiator, this.keyPair);
    this.finished = null;
    this.decoder = new SecretStreamFrameDecoder(limits.maxHandshakeBytes());
  }

  private SecretStreamHandler(boolean initiator, KeyPair keyPair, NoiseResult finished, SecretStreamLimits limits) {
    this.initiator = initiator;
    this.keyPair = keyPair;
    this.limits = limits;
    this.noise = null;
    this.finished = finished;
    this.decoder = new SecretStreamFrameDecoder(SecretStreamLimits.HEADER_MESSAGE_BYTES);
  }

  /**
   * A stream whose Noise handshake already happened elsewhere (HyperDHT's IK exchange through the
   * DHT, JS {@code opts.handshake}): it sends the stream-id header at once and runs no handshake.
   * {@code keyPair} is the static key that handshake used (its public half is reported).
   */
  public static SecretStreamHandler fromHandshake(boolean initiator, KeyPair keyPair, NoiseResult finished,
      SecretStreamLimits limits) {
    if (keyPair == null || finished == null) throw CoreError.BAD_ARGUMENT.error("a finished handshake needs its key pair");
    return new SecretStreamHandler(initiator, keyPair, finished, limits);
  }

  public boolean isInitiator() {
    return initiator;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  /** Completes once the handshake is done, fails with the reason if the stream closes first. */
  public Future<SecretStreamHandshake> handshakeFuture() {
    if (handshakePromise == null) throw CoreError.INVALID_OPERATION.error("handler not in a pipeline");
    return handshakePromise;
  }

  /**
   * Completes once this handler has seen the channel go inactive, when {@link #failure()} is
   * final; unlike the channel's own close future, which may complete before the handlers hear it.
   */
  public Future<Void> closeFuture() {
    if (closePromise == null) throw CoreError.INVALID_OPERATION.error("handler not in a pipeline");
    return closePromise;
  }

  /**
   * The peer's static public key: known from the start for a stream made {@link #fromHandshake},
   * else once the handshake is done (null before).
   */
  public Key32 remotePublicKey() {
    if (finished != null) return finished.remotePublicKey();
    SecretStreamHandshake s = session;
    return s == null ? null : s.remotePublicKey();
  }

  /** The session once established, else null. */
  public SecretStreamHandshake handshake() {
    return session;
  }

  /** Why the stream was closed by this side, or null (open, or closed cleanly or by the peer). */
  public HypercoreException failure() {
    return failure;
  }

  /**
   * Flushes what was written and half-closes the connection (TCP FIN), as JS {@code end()}; a JS
   * peer then ends its side too. Channels that cannot half-close are closed.
   */
  public ChannelFuture end() {
    ChannelPromise done = ctx.newPromise();
    ctx.executor().execute(() -> {
      ctx.flush();
      ChannelFuture last = lastWrite != null ? lastWrite : ctx.newSucceededFuture();
      last.addListener(f -> {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) duplex.shutdownOutput(done);
        else ctx.close(done);
      });
    });
    return done;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.handshakePromise = ctx.executor().newPromise();
    this.closePromise = ctx.executor().newPromise();
    ctx.pipeline().addBefore(ctx.name(), null, decoder);
    if (ctx.channel().isActive()) start();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimers();
    if (ctx.pipeline().context(decoder) != null) ctx.pipeline().remove(decoder);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  private void start() {
    if (phase != Phase.NEW) return;
    phase = Phase.HANDSHAKE;
    decoder.maxFrameBytes(limits.maxHandshakeBytes());
    Duration t = limits.handshakeTimeout();
    handshakeTimer = ctx.executor().schedule(
        () -> fail(CoreError.REQUEST_TIMEOUT.error("secret-stream handshake not complete after %s", t)),
        t.toNanos(), TimeUnit.NANOSECONDS);
    if (limits.timeout().compareTo(Duration.ZERO) > 0) {
      long period = limits.timeout().toNanos();
      bytesSeenAtTick = decoder.bytesSeen();
      timeoutTimer = ctx.executor().scheduleAtFixedRate(this::onTimeoutTick, period, period, TimeUnit.NANOSECONDS);
    }
    if (finished != null) {
      established();
      ctx.flush();
    } else if (initiator) {
      writeFrame(noise.send());
      ctx.flush();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof byte[] body)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      switch (phase) {
        case HANDSHAKE -> onHandshakeMessage(body);
        case HEADER -> onHeader(body);
        case OPEN -> onMessage(body);
        default -> { } // closing: drop
      }
    } catch (HypercoreException e) {
      fail(e);
    }
  }

  private void onHandshakeMessage(byte[] body) {
    if (noise == null || noise.isSending()) throw CoreError.DECODING_ERROR.error("unexpected handshake message of %d bytes", body.length);
    noise.recv(body);
    if (!noise.isComplete()) {
      writeFrame(noise.send());
    }
    if (noise.isComplete()) established();
    ctx.flush();
  }

  private void established() {
    NoiseResult r = finished != null ? finished : noise.result();
    session = new SecretStreamHandshake(initiator, keyPair.publicKey(), r.remotePublicKey(), r.handshakeHash());
    push = new SecretStream.Push(r.tx());
    pull = new SecretStream.Pull(r.rx());
    byte[] header = new byte[SecretStreamLimits.HEADER_MESSAGE_BYTES];
    System.arraycopy(streamId(r.handshakeHash(), initiator), 0, header, 0, STREAM_ID_BYTES);
    System.arraycopy(push.header(), 0, header, STREAM_ID_BYTES, SecretStream.HEADER_BYTES);
    writeFrame(header);
    phase = Phase.HEADER;
    decoder.maxFrameBytes(SecretStreamLimits.HEADER_MESSAGE_BYTES);
    while (!pending.isEmpty()) {
      PendingWrite w = pending.poll();
      encryptAndWrite(w.msg, w.promise);
    }
    pendingBytes = 0;
    if (limits.keepAlive().compareTo(Duration.ZERO) > 0) {
      long period = Math.max(1, limits.keepAlive().toNanos() / 2);
      keepAliveTimer = ctx.executor().scheduleAtFixedRate(this::onKeepAliveTick, period, period, TimeUnit.NANOSECONDS);
    }
    LOG.debug("secret-stream {} established as {}, remote key {}", ctx.channel().remoteAddress(),
        initiator ? "initiator" : "responder", session.remotePublicKey());
    handshakePromise.trySuccess(session);
    ctx.fireUserEventTriggered(session);
  }

  private void onHeader(byte[] body) {
    if (body.length != SecretStreamLimits.HEADER_MESSAGE_BYTES) {
      throw CoreError.DECODING_ERROR.error("header message of %d bytes, expected 56", body.length);
    }
    byte[] expected = streamId(session.handshakeHash(), !initiator);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(body, STREAM_ID_BYTES))) {
      throw CoreError.DECODING_ERROR.error("header message carries the wrong stream id");
    }
    pull.init(Arrays.copyOfRange(body, STREAM_ID_BYTES, body.length));
    phase = Phase.OPEN;
    decoder.maxFrameBytes(limits.maxFrameBytes());
    if (handshakeTimer != null) handshakeTimer.cancel(false);
  }

  private void onMessage(byte[] body) {
    byte[] plain = pull.next(body);
    // with keep-alives on, empty messages are the peer's keep-alives (JS filterZeroByteMessages)
    if (plain.length == 0 && limits.keepAlive().compareTo(Duration.ZERO) > 0) return;
    ctx.fireChannelRead(Unpooled.wrappedBuffer(plain));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf) && !(msg instanceof byte[])) {
      ctx.write(msg, promise);
      return;
    }
    switch (phase) {
      case NEW, HANDSHAKE -> queue(msg, promise);
      case HEADER, OPEN -> encryptAndWrite(msg, promise);
      default -> {
        ReferenceCountUtil.release(msg);
        promise.tryFailure(CoreError.SESSION_CLOSED.error("secret-stream closed"));
      }
    }
  }

  private void queue(Object msg, ChannelPromise promise) {
    int n = msg instanceof ByteBuf b ? b.readableBytes() : ((byte[]) msg).length;
    if (pendingBytes + n > limits.maxPendingWriteBytes()) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(CoreError.BAD_ARGUMENT.error("%d bytes already queued before the handshake (limit %d)",
          pendingBytes, limits.maxPendingWriteBytes()));
      return;
    }
    pendingBytes += n;
    pending.add(new PendingWrite(msg, n, promise));
  }

  private void encryptAndWrite(Object msg, ChannelPromise promise) {
    byte[] cipher;
    try {
      byte[] plain = plaintext(msg);
      if (plain.length > MAX_MESSAGE_BYTES) {
        promise.tryFailure(CoreError.BAD_ARGUMENT.error("message of %d bytes does not fit one frame (max %d)",
            plain.length, MAX_MESSAGE_BYTES));
        return;
      }
      // libsodium copies the plaintext in during the call, so the buffer may be released after
      cipher = push.next(plain);
    } finally {
      ReferenceCountUtil.release(msg);
    }
    ChannelPromise p = promise.isVoid() ? ctx.newPromise() : promise;
    ctx.write(Unpooled.wrappedBuffer(length(cipher.length), cipher), p);
    lastWrite = p;
    wroteSinceTick = true;
  }

  private static byte[] plaintext(Object msg) {
    if (msg instanceof byte[] b) return b;
    ByteBuf buf = (ByteBuf) msg;
    if (buf.hasArray() && buf.arrayOffset() == 0 && buf.readerIndex() == 0 && buf.readableBytes() == buf.array().length) {
      return buf.array();
    }
    return ByteBufUtil.getBytes(buf);
  }

  private void writeFrame(byte[] body) {
    ChannelPromise p = ctx.newPromise();
    ctx.write(Unpooled.wrappedBuffer(length(body.length), body), p);
    lastWrite = p;
  }

  private static byte[] length(int n) {
    return new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16)};
  }

  private void onKeepAliveTick() {
    if (phase != Phase.HEADER && phase != Phase.OPEN) return;
    if (!wroteSinceTick) {
      encryptAndWrite(new byte[0], ctx.newPromise());
      ctx.flush();
    }
    wroteSinceTick = false;
  }

  private void onTimeoutTick() {
    long seen = decoder.bytesSeen();
    if (seen == bytesSeenAtTick) {
      fail(CoreError.REQUEST_TIMEOUT.error("no data from the peer for %s", limits.timeout()));
    }
    bytesSeenAtTick = seen;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause;
    while (!(c instanceof HypercoreException) && c.getCause() != null && c != c.getCause()) c = c.getCause();
    if (c instanceof HypercoreException he && he.code() == UdxError.ECONNRESET) {
      // the peer destroyed its UDX stream, the usual end of a JS connection: like a TCP reset below
      LOG.debug("secret-stream {} reset by the peer", ctx.channel().remoteAddress());
      ctx.close();
    } else if (c instanceof HypercoreException he) {
      fail(he);
    } else if (cause instanceof IOException) {
      // the connection broke (reset, refused): the transport's doing, not this side's decision
      LOG.debug("secret-stream {} broke: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    } else {
      fail(CoreError.ASSERTION.error(cause, "unexpected %s", cause));
    }
  }

  /**
   * Records why the stream ends, logs it once and closes. It may come after the close: a frame cut
   * short by the peer's end of stream is only known when the decoder sees the channel go inactive.
   */
  private void fail(HypercoreException e) {
    if (failure != null) return;
    failure = e;
    decoder.discardAll();
    if (e.code() == CoreError.ASSERTION) LOG.error("secret-stream {} closed: {}", ctx.channel().remoteAddress(), e.getMessage(), e);
    else LOG.warn("secret-stream {} closed: {}", ctx.channel().remoteAddress(), e.getMessage());
    handshakePromise.tryFailure(e);
    if (phase != Phase.CLOSED) ctx.close();
  }

  /** A close asked for on this side: a frame the peer had only half sent by then is no error. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    decoder.discardAll();
    ctx.close(promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    phase = Phase.CLOSED;
    cancelTimers();
    while (!pending.isEmpty()) {
      PendingWrite w = pending.poll();
      ReferenceCountUtil.release(w.msg);
      w.promise.tryFailure(new ClosedChannelException());
    }
    pendingBytes = 0;
    handshakePromise.tryFailure(failure != null ? failure
        : CoreError.SESSION_CLOSED.error("stream closed before the secret-stream handshake completed"));
    closePromise.trySuccess(null);
    ctx.fireChannelInactive();
  }

  private void cancelTimers() {
    if (handshakeTimer != null) handshakeTimer.cancel(false);
    if (keepAliveTimer != null) keepAliveTimer.cancel(false);
    if (timeoutTimer != null) timeoutTimer.cancel(false);
  }

  /** {@code BLAKE2b-256(NS_INITIATOR or NS_RESPONDER, key = handshakeHash)}, JS {@code streamId}. */
  static byte[] streamId(byte[] handshakeHash, boolean initiator) {
    return Blake2b.keyed(handshakeHash, NS[initiator ? 0 : 1]);
  }
}
