package org.maiaos.mesh.hyperswarm.udx;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reliable, ordered UDX stream as a Netty {@link io.netty.channel.Channel}: write {@link
 * ByteBuf}s, read {@link ByteBuf}s. It lives on its {@link UdxSocket}'s event loop, which owns all
 * of its state.
 *
 * <ul>
 *   <li>{@link #connect(int, InetSocketAddress)} sets the peer's stream id and address (UDX has no
 *       handshake); {@link #connectOnFirstPacket(int)} learns the address from the first packet that
 *       names this stream (libudx's firewall hook).
 *   <li>{@link #shutdownOutput()} sends END after everything flushed; the peer's END arrives as a
 *       {@link ChannelInputShutdownEvent}. When both sides ended and all is acked the channel closes
 *       by itself (libudx {@code close_stream(0)}).
 *   <li>{@code close()} before that is an abort: it sends DESTROY.
 *   <li>Failures ({@link UdxError#ETIMEDOUT}, {@link UdxError#ECONNRESET}) are fired as {@code
 *       exceptionCaught} and then close the channel; {@link #closeCause()} keeps them.
 * </ul>
 *
 * <p>Writes complete when packetised; unsent bytes stay in the channel's outbound buffer, so
 * {@link #isWritable()} follows the write-buffer water marks while the window is full.
 */
public final class UdxStream extends AbstractChannel {
  private static final Logger LOG = LoggerFactory.getLogger(UdxStream.class);
  private static final ChannelMetadata METADATA = new ChannelMetadata(false);
  private static final byte[] EMPTY = new byte[0];

  private final UdxSocket socket;
  private final int localId;
  private final UdxLimits limits;
  private final DefaultChannelConfig config;
  private final UdxReceiver receiver;
  private final UdxSender sender;
  private final ArrayDeque<byte[]> unread = new ArrayDeque<>();
  private long unreadBytes;
  private boolean readRequested;
  private boolean readFired;

  private volatile boolean open = true;
  private volatile boolean connected;
  private volatile InetSocketAddress remoteAddress;
  private int remoteId;
  private boolean learnRemote;
  private boolean endRequested;
  private ChannelPromise endPromise;
  private boolean inputShutdownFired;
  private boolean closingGracefully;
  private volatile Throwable closeCause;
  private long droppedPackets;
  /** Packets that arrived before connect, replayed if connect names their source (bounded). */
  private final ArrayDeque<Early> early = new ArrayDeque<>();
  static final int EARLY_PACKETS = 16;

  private record Early(UdxPacket packet, InetSocketAddress from) {}
  /** Payload bytes taken in from the peer and put into packets for it (udx-native rawBytesRead/Written). */
  private volatile long bytesRead;
  private volatile long bytesWritten;

  UdxStream(UdxSocket socket, int localId, UdxLimits limits, CongestionControl cc) {
    super(null);
    this.socket = socket;
    this.localId = localId;
    this.limits = limits;
    this.config = new DefaultChannelConfig(this);
    config.setWriteBufferWaterMark(new WriteBufferWaterMark(128 * 1024, 256 * 1024));
    this.receiver = new UdxReceiver(limits, new UdxReceiver.Sink() {
      @Override
      public void onData(byte[] payload) {
        unread.add(payload);
        unreadBytes += payload.length;
        bytesRead += payload.length;
      }

      @Override
      public void onRemoteEnd() {
        // delivered after the queued data, see drainReads
      }
    });
    this.sender = new UdxSender(limits, cc, new UdxSender.Io() {
      @Override
      public void transmit(int type, int seq, byte[] payload, int padding) {
        send(new UdxPacket(type, padding, remoteId, rwnd(), seq, receiver.ack(), List.of(), payload));
      }

      @Override
      public void schedule(Runnable task, long delayNanos) {
        eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void timedOut(boolean onlyEndUnacked, String detail) {
        if (onlyEndUnacked && receiver.remoteEnded()) {
          // the peer ended, acked all our data and went away: its ack of our END was lost
          LOG.debug("udx stream {}: END unacked after the peer ended; closing", Integer.toUnsignedString(localId));
          finishGracefully();
          return;
        }
        fail(UdxError.ETIMEDOUT.error("%s", detail));
      }
    });
  }

  // ---- public API ----

  /** This side's stream id (the id the peer puts in its packets). */
  public int localId() {
    return localId;
  }

  /** The peer's stream id (the id this side puts in its packets); 0 until connected. */
  public int remoteId() {
    return remoteId;
  }

  public UdxSocket udxSocket() {
    return socket;
  }

  /** Payload bytes received in order from the peer so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Payload bytes sent (first transmissions) so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** The error the stream closed with, or null while open or after a clean end. */
  public Throwable closeCause() {
    return closeCause;
  }

  /** Connects to the peer's stream {@code remoteId} at {@code address}; no packet is sent. */
  public ChannelFuture connect(int remoteId, InetSocketAddress address) {
    if (address == null || address.isUnresolved() || address.getPort() == 0) {
      throw CoreError.BAD_ARGUMENT.error("remote address %s", address);
    }
    ChannelPromise promise = newPromise();
    eventLoop().execute(() -> {
      if (!open || connected) {
        promise.setFailure(CoreError.INVALID_OPERATION.error(open ? "already connected" : "stream closed"));
        return;
      }
      connect0(remoteId, address);
      promise.setSuccess();
    });
    return promise;
  }

  /** Waits for the first packet naming this stream and connects to its source (libudx firewall hook). */
  public void connectOnFirstPacket(int remoteId) {
    eventLoop().execute(() -> {
      if (!open || connected) return;
      this.remoteId = remoteId;
      this.learnRemote = true;
    });
  }

  /** Sends END after everything flushed so far; completes when the peer acked it. */
  public ChannelFuture shutdownOutput() {
    ChannelPromise promise = newPromise();
    eventLoop().execute(() -> {
      if (!open) {
        promise.setFailure(CoreError.INVALID_OPERATION.error("stream closed"));
        return;
      }
      if (endRequested) {
        endPromise.addListener(f -> {
          if (f.isSuccess()) promise.trySuccess();
          else promise.tryFailure(f.cause());
        });
        return;
      }
      endRequested = true;
      endPromise = promise;
      pump();
    });
    return promise;
  }

  // ---- socket side (event loop) ----

  private void connect0(int remoteId, InetSocketAddress address) {
    this.remoteId = remoteId;
    this.remoteAddress = address;
    this.connected = true;
    this.learnRemote = false;
    if (isRegistered()) pipeline().fireChannelActive();
    // the peer may have connected first and sent before we knew where it is: take those packets now
    while (!early.isEmpty() && open) {
      Early e = early.poll();
      if (e.from().equals(address)) onPacket(e.packet());
      else droppedPackets++;
    }
    early.clear();
  }

  /** A datagram naming this stream; the socket releases {@code buf} afterwards. */
  void onDatagram(ByteBuf buf, InetSocketAddress from) {
    if (!open) return;
    UdxPacket p;
    try {
      p = UdxPacket.decode(buf);
    } catch (HypercoreException e) {
      droppedPackets++;
      LOG.debug("udx stream {}: dropped {}", Integer.toUnsignedString(localId), e.getMessage());
      return;
    }
    if (!connected) {
      if (!learnRemote) {
        if (early.size() < EARLY_PACKETS) early.add(new Early(p, from));
        else droppedPackets++;
        return;
      }
      connect0(remoteId, from);
    } else if (!from.equals(remoteAddress)) {
      droppedPackets++; // stricter than libudx: one stream, one peer address
      return;
    }
    onPacket(p);
  }

  private void onPacket(UdxPacket p) {
    if (p.has(UdxPacket.HEARTBEAT)) {
      sendAck();
      return;
    }
    boolean dataOrEnd = p.has(UdxPacket.DATA) || p.has(UdxPacket.END);
    boolean fresh = UdxPacket.seqDiff(p.seq(), receiver.ack()) >= 0;
    if (dataOrEnd) receiver.onData(p, unreadBytes);
    if (fresh && p.has(UdxPacket.DESTROY)) {
      fail(UdxError.ECONNRESET.error("peer destroyed stream %s", Integer.toUnsignedString(localId)));
      return;
    }
    sender.onAck(p);
    if (!open) return;
    if (dataOrEnd) sendAck();
    drainReads();
    if (!open) return;
    pump();
    checkDone();
  }

  private void sendAck() {
    var sacks = receiver.sacks();
    int type = sacks.isEmpty() ? 0 : UdxPacket.SACK;
    send(new UdxPacket(type, 0, remoteId, rwnd(), sender.nextSeq(), receiver.ack(), sacks, EMPTY));
  }

  private long rwnd() {
    long w = receiver.rwnd(unreadBytes);
    if (w < limits.maxPayloadBytes()) windowWasClosed = true;
    return w;
  }

  private void send(UdxPacket p) {
    InetSocketAddress to = remoteAddress;
    if (to == null) return;
    socket.sendPacket(p, to);
  }

  /** Moves flushed bytes into packets while the window has room; then END if asked for. */
  private void pump() {
    if (!open || !connected) return;
    sender.sendRetransmits();
    ((UdxUnsafe) unsafe()).forceFlush();
    maybeSendEnd();
    ChannelOutboundBuffer out = unsafe().outboundBuffer();
    boolean pending = (out != null && !out.isEmpty()) || (endRequested && !sender.endSent());
    sender.setPendingData(pending);
  }

  private void maybeSendEnd() {
    ChannelOutboundBuffer out = unsafe().outboundBuffer();
    if (!endRequested || sender.endSent() || (out != null && !out.isEmpty())) return;
    if (!sender.canSendNew()) return;
    sender.sendNew(UdxPacket.END, EMPTY);
  }

  private void drainReads() {
    if (readRequested || config.isAutoRead()) {
      boolean any = false;
      while (!unread.isEmpty() && open) {
        byte[] b = unread.poll();
        unreadBytes -= b.length;
        any = true;
        pipeline().fireChannelRead(Unpooled.wrappedBuffer(b));
      }
      if (any) {
        readRequested = false;
        pipeline().fireChannelReadComplete();
        // the window grew: tell a peer that may be waiting on it
        if (open && connected && unread.isEmpty()) maybeWindowUpdate();
      }
    }
    if (open && receiver.remoteEnded() && unread.isEmpty() && !inputShutdownFired) {
      inputShutdownFired = true;
      pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
    }
  }

  private boolean windowWasClosed;

  private void maybeWindowUpdate() {
    if (windowWasClosed) {
      windowWasClosed = false;
      sendAck();
    }
  }

  private void checkDone() {
    if (sender.endAcked() && endPromise != null) endPromise.trySuccess();
    if (!open || !inputShutdownFired || !sender.endAcked() || !sender.allAcked()) return;
    finishGracefully();
  }

  private void finishGracefully() {
    if (endPromise != null) endPromise.trySuccess();
    closingGracefully = true;
    close();
  }

  private void fail(HypercoreException e) {
    if (!open) return;
    closeCause = e;
    closingGracefully = true; // the peer is gone or aborted: no DESTROY back
    if (endPromise != null) endPromise.tryFailure(e);
    pipeline().fireExceptionCaught(e);
    close();
  }

  /** The socket closed under the stream. */
  void onSocketClosed() {
    if (!open) return;
    // not a peer's fault: no exceptionCaught, just closed with a cause
    HypercoreException e = UdxError.SOCKET_CLOSED.error("udx socket closed");
    closeCause = e;
    closingGracefully = true;
    if (endPromise != null) endPromise.tryFailure(e);
    close();
  }

  /** Counters for logs and tests. */
  String stats() {
    return sender.state() + " recvAck=" + Integer.toUnsignedString(receiver.ack()) + " droppedPackets=" + droppedPackets
        + " droppedOverWindow=" + receiver.droppedOverWindow();
  }

  long droppedPackets() {
    return droppedPackets;
  }

  UdxSender sender() {
    return sender;
  }

  UdxReceiver receiver() {
    return receiver;
  }

  // ---- Netty channel ----

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new UdxUnsafe();
  }

  private final class UdxUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(new UnsupportedOperationException("use UdxStream.connect(remoteId, address)"));
    }

    void forceFlush() {
      super.flush0();
    }
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return loop == socket.eventLoop();
  }

  @Override
  protected SocketAddress localAddress0() {
    return socket.localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return remoteAddress;
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a UDX stream is bound through its UdxSocket");
  }

  @Override
  protected void doDisconnect() {
    doClose();
  }

  @Override
  protected void doClose() {
    if (!open) return;
    boolean abort = connected && !closingGracefully;
    if (abort) {
      // libudx udx_stream_destroy: DESTROY takes a seq and is never retransmitted
      send(UdxPacket.of(UdxPacket.DESTROY, remoteId, rwnd(), sender.takeSeq(), receiver.ack(), EMPTY));
    }
    if (!abort && closeCause == null && connected && receiver.remoteEnded()) {
      socket.linger(localId, remoteId, remoteAddress, sender.nextSeq(), receiver.ack());
    }
    open = false;
    connected = false;
    sender.kill();
    unread.clear();
    unreadBytes = 0;
    if (endPromise != null) endPromise.tryFailure(CoreError.SESSION_CLOSED.error("stream closed before END was acked"));
    socket.removeStream(this);
  }

  @Override
  protected void doBeginRead() {
    if (!open) return;
    readRequested = true;
    if (!unread.isEmpty() || (receiver.remoteEnded() && !inputShutdownFired)) {
      eventLoop().execute(this::drainReads);
    }
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    int max = sender.maxPayload();
    while (sender.canSendNew()) {
      Object msg = in.current();
      if (msg == null) break;
      byte[] pkt = new byte[max];
      int filled = 0;
      while (filled < max && (msg = in.current()) != null) {
        ByteBuf b = (ByteBuf) msg;
        int n = Math.min(b.readableBytes(), max - filled);
        b.readBytes(pkt, filled, n);
        filled += n;
        if (!b.isReadable()) in.remove();
        else in.progress(n);
      }
      if (filled > 0) {
        sender.sendNew(UdxPacket.DATA, filled == max ? pkt : Arrays.copyOf(pkt, filled));
        bytesWritten += filled;
      }
    }
    if (in.isEmpty()) maybeSendEnd();
    sender.setPendingData(!in.isEmpty() || (endRequested && !sender.endSent()));
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    if (msg instanceof ByteBuf) return msg;
    throw new UnsupportedOperationException("a UDX stream writes ByteBuf only, not " + msg.getClass().getSimpleName());
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open && connected;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) super.remoteAddress();
  }

  @Override
  public String toString() {
    return "UdxStream[" + Integer.toUnsignedString(localId) + "->" + Integer.toUnsignedString(remoteId) + " " + remoteAddress + "]";
  }
}
