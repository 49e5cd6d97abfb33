package org.maiaos.mesh.hyperswarm.udx;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket shared by UDX streams and the other protocols on the same port (dht-rpc,
 * holepunch probes), as udx-native's socket is. Its channel is epoll or NIO, after the group it is
 * bound on ({@link UdxEventLoops}).
 *
 * <p>A datagram that starts {@code FF 01}, has a whole 20-byte header and names a stream of this
 * socket goes to that stream. Every other datagram goes to the {@link MessageHandler} (none: it is
 * dropped). A datagram longer than {@link UdxPacket#MAX_DATAGRAM_BYTES} goes nowhere.
 * {@link #send} sends raw datagrams for those protocols. Streams and the handler run on this
 * socket's event loop; the packets streams send in one turn of it leave together at its end.
 */
public final class UdxSocket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdxSocket.class);
  private static final long BIND_TIMEOUT_SECONDS = 10;
  private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  /**
   * Receives the datagrams that are not for a UDX stream. {@code datagram} is valid only during the
   * call (the socket releases it afterwards); {@code retain()} it to keep it.
   */
  @FunctionalInterface
  public interface MessageHandler {
    void onMessage(ByteBuf datagram, InetSocketAddress sender);
  }

  private final Channel channel;
  private final UdxLimits limits;
  private final Map<Integer, UdxStream> streams = new ConcurrentHashMap<>();
  /** Streams that ended cleanly, kept a while to re-ack a peer's retransmitted END (TIME_WAIT). */
  private final Map<Integer, Linger> lingering = new ConcurrentHashMap<>();
  private static final int MAX_LINGERING = 4096;

  private record Linger(int remoteId, InetSocketAddress remote, int seq, int ack) {}
  private volatile MessageHandler messageHandler;
  /** A flush of this turn's packets is queued on the event loop (read and written only there). */
  private boolean flushQueued;
  private final Runnable flushQueuedPackets = this::flushQueuedPackets;
  private volatile boolean closed;
  private volatile long oversizedDatagrams; // written on the event loop only

  private UdxSocket(Channel channel, UdxLimits limits) {
    this.channel = channel;
    this.limits = limits;
  }

  /** Binds a socket on {@code local} (use 127.0.0.1 in tests) with default limits. */
  public static UdxSocket bind(EventLoopGroup group, InetSocketAddress local) {
    return bind(group, local, UdxLimits.DEFAULTS);
  }

  /** Binds a socket; waits for the bind, at most 10 s. Do not call on an event loop. */
  public static UdxSocket bind(EventLoopGroup group, InetSocketAddress local, UdxLimits limits) {
    UdxSocket[] holder = new UdxSocket[1];
    Bootstrap b = UdxEventLoops.datagramBootstrap(group)
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            holder[0].onDatagram(msg.content(), msg.sender());
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            holder[0].onClosed();
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. ICMP port unreachable surfacing as PortUnreachableException: not fatal for a UDP socket
            LOG.debug("udx socket {}: {}", ctx.channel().localAddress(), cause.toString());
          }
        });
    ChannelFuture f = b.register();
    holder[0] = new UdxSocket(f.channel(), limits);
    f = f.channel().bind(local);
    if (!f.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      f.channel().close();
      throw CoreError.IO_ERROR.error("bind %s timed out", local);
    }
    if (!f.isSuccess()) throw CoreError.IO_ERROR.error(f.cause(), "bind %s", local);
    return holder[0];
  }

  /** Where other protocols' datagrams go; replaces the previous handler. */
  public void onMessage(MessageHandler handler) {
    this.messageHandler = handler;
  }

  /** Sends one raw datagram (takes ownership of {@code datagram}). */
  public ChannelFuture send(ByteBuf datagram, InetSocketAddress to) {
    return channel.writeAndFlush(new DatagramPacket(datagram, to));
  }

  /** A new stream with this socket's limits and NewReno congestion control. */
  public UdxStream createStream(int localId) {
    return createStream(localId, new NewReno(limits.maxInflightPackets()));
  }

  /** A new stream, registered on this socket's event loop, not yet connected. */
  public UdxStream createStream(int localId, CongestionControl cc) {
    if (closed) throw CoreError.INVALID_OPERATION.error("udx socket closed");
    UdxStream s = new UdxStream(this, localId, limits, cc);
    if (streams.putIfAbsent(localId, s) != null) {
      throw CoreError.BAD_ARGUMENT.error("stream id %s in use", Integer.toUnsignedString(localId));
    }
    channel.eventLoop().register(s);
    return s;
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  /** Datagrams dropped for being longer than {@link UdxPacket#MAX_DATAGRAM_BYTES}. */
  public long oversizedDatagrams() {
    return oversizedDatagrams;
  }

  public int streamCount() {
    return streams.size();
  }

  /** Closes the socket and, with it, every stream on it. */
  @Override
  public void close() {
    closeAsync().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  public ChannelFuture closeAsync() {
    closed = true;
    channel.flush(); // packets queued this turn (a stream's last ACK or DESTROY) leave before the close
    return channel.close();
  }

  void removeStream(UdxStream s) {
    streams.remove(s.localId(), s);
  }

  /**
   * Queues one packet. On the event loop the packets of one turn are flushed together at its end
   * (one {@code sendmmsg} on epoll); from another thread a packet is flushed at once.
   */
  void sendPacket(UdxPacket p, InetSocketAddress to) {
    ByteBuf buf = channel.alloc().directBuffer(p.encodedLength());
    p.encode(buf);
    DatagramPacket d = new DatagramPacket(buf, to);
    if (!channel.eventLoop().inEventLoop()) {
      channel.writeAndFlush(d, channel.voidPromise());
      return;
    }
    channel.write(d, channel.voidPromise());
    if (!flushQueued) {
      flushQueued = true;
      channel.eventLoop().execute(flushQueuedPackets);
    }
  }

  private void flushQueuedPackets() {
    flushQueued = false;
    channel.flush();
  }

  /** Called by a stream that closed after both ends: its final ACK may have been lost. */
  void linger(int localId, int remoteId, InetSocketAddress remote, int seq, int ack) {
    if (remote == null || closed || lingering.size() >= MAX_LINGERING) return;
    Linger l = new Linger(remoteId, remote, seq, ack);
    lingering.put(localId, l);
    eventLoop().schedule(() -> lingering.remove(localId, l), limits.maxRto().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onDatagram(ByteBuf content, InetSocketAddress sender) {
    if (sender.getPort() == 0) return;
    if (content.readableBytes() > UdxPacket.MAX_DATAGRAM_BYTES) {
      oversizedDatagrams++; // read cut short at one byte over the limit: never parse a truncated datagram
      return;
    }
    if (UdxPacket.looksLikeUdx(content)) {
      int id = UdxPacket.peekStreamId(content);
      UdxStream s = streams.get(id);
      if (s != null) {
        s.onDatagram(content, sender);
        return;
      }
      Linger l = lingering.get(id);
      if (l != null && l.remote.equals(sender)) {
        int type = content.getUnsignedByte(content.readerIndex() + 2);
        if ((type & (UdxPacket.DATA | UdxPacket.END)) != 0) {
          sendPacket(UdxPacket.of(0, l.remoteId, limits.receiveWindowBytes(), l.seq, l.ack, new byte[0]), sender);
        }
        return;
      }
    }
    MessageHandler h = messageHandler;
    if (h != null) {
      try {
        h.onMessage(content, sender);
      } catch (RuntimeException e) {
        LOG.warn("udx socket message handler failed: {}", e.toString());
      }
    }
  }

  private void onClosed() {
    closed = true;
    for (UdxStream s : streams.values()) s.onSocketClosed();
    streams.clear();
  }
}
