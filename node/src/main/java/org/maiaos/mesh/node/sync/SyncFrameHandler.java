package org.maiaos.mesh.node.sync;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Instant;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.node.sync.protocol.SyncMessage;
import org.maiaos.mesh.node.sync.protocol.SyncMessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. One sync connection after the upgrade: text messages (fragments gathered up to the
 * size limit, here rather than in a {@code WebSocketFrameAggregator} of each pipeline, so an idle
 * connection holds no aggregator) split on {@code \n}, each line decoded and handed to the
 * engine. A line that is not a message is dropped, logged once per connection, and the connection
 * lives on; a message over the limit closes the connection (1009) with a log line. Pings go out
 * from the upgrade on, every {@code pingInterval}, as {@code jazz-run} sends them ({@link Pinger}).
 */
final class SyncFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> implements Pinger.Member {
  private static final Logger LOG = LoggerFactory.getLogger(SyncFrameHandler.class);

  /** Components of a fragmented message before they are consolidated ({@code MessageAggregator}'s default). */
  private static final int MAX_COMPONENTS = 1024;

  private final SyncServer server;
  private PeerState peer;
  private int pingSlot = -1;
  /** A text message arriving in fragments, until its last one; null between messages. */
  private CompositeByteBuf partial;
  private boolean loggedBadLine;
  private long badLines;

  SyncFrameHandler(SyncServer server) {
    this.server = server;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      ctx.close(); // closed during the handshake: no channelInactive would follow to undo the rest
      return;
    }
    SyncConnection conn = new SyncConnection(ctx.channel(), server.config().maxQueuedBytes(), server.config().maxInFlightPerClient());
    peer = new PeerState(conn, Instant.now());
    LOG.info("client {} connected", peer);
    server.pinger().join(this);
    server.clientConnected();
  }

  @Override
  public Channel channel() {
    return peer.connection.channel;
  }

  @Override
  public int pingSlot() {
    return pingSlot;
  }

  @Override
  public void pingSlot(int slot) {
    pingSlot = slot;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
      onFragment(ctx, frame);
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.channel().writeAndFlush(frame.retain()).addListener(ChannelFutureListener.CLOSE); // echo it, then close
    } else if (frame instanceof BinaryWebSocketFrame) {
      badLine("a binary frame (the protocol sends text)");
    } // pongs: nothing to do
  }

  /**
   * A whole text message goes straight to {@link #onText}; fragments are gathered first. The
   * decoder has checked their order (a continuation only inside a message, none other there), so
   * a continuation with nothing gathered is the rest of a binary message, already counted.
   */
  private void onFragment(ChannelHandlerContext ctx, WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (partial == null) {
      if (frame instanceof ContinuationWebSocketFrame) return;
      if (frame.isFinalFragment()) {
        onText(content);
        return;
      }
      partial = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
    }
    int max = server.config().maxMessageBytes();
    if (content.readableBytes() > max - partial.readableBytes()) {
      releasePartial();
      tooLarge(ctx, "content length exceeded " + max + " bytes.");
      return;
    }
    partial.addComponent(true, content.retain());
    if (frame.isFinalFragment()) {
      try {
        onText(partial);
      } finally {
        releasePartial();
      }
    }
  }

  private void releasePartial() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
  }

  private void onText(ByteBuf content) {
    int from = content.readerIndex();
    int end = content.writerIndex();
    if (content.readableBytes() > 1) peer.connection.batching |= content.indexOf(from, end, (byte) '\n') >= 0;
    while (from < end) {
      int nl = content.indexOf(from, end, (byte) '\n');
      int to = nl < 0 ? end : nl;
      if (to > from) decodeLine(content, from, to);
      from = to + 1;
    }
  }

  private void decodeLine(ByteBuf content, int from, int to) {
    byte[] line = new byte[to - from];
    content.getBytes(from, line);
    SyncMessage m;
    try {
      m = SyncMessageCodec.decode(line, server.config().limits());
    } catch (HypercoreException e) {
      badLine(e.getMessage());
      return;
    }
    server.engine().receive(peer, m);
  }

  private void badLine(String why) {
    badLines++;
    if (!loggedBadLine) {
      loggedBadLine = true;
      LOG.warn("client {}: dropped a line that is not a sync message ({}); later ones are counted, not logged", peer, why);
    }
  }

  /** Writes what is queued (event loop). */
  void flushNow(io.netty.channel.Channel ch) {
    if (peer != null) peer.connection.flush();
  }

  /** Nothing left in the queue nor in Netty's outbound buffer. */
  boolean flushed() {
    return peer == null || (peer.connection.idle() && peer.connection.channel.unsafe().outboundBuffer() != null
        && peer.connection.channel.unsafe().outboundBuffer().isEmpty());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) peer.connection.flush();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePartial();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releasePartial();
    if (peer != null) {
      server.pinger().leave(this);
      server.clientDisconnected();
      server.engine().disconnected(peer);
      LOG.info("client {} disconnected{}", peer, badLines > 0 ? " (" + badLines + " lines dropped)" : "");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    boolean tooLong = cause instanceof TooLongFrameException
        || (cause instanceof CorruptedWebSocketFrameException && String.valueOf(cause.getMessage()).contains("length"));
    if (tooLong) {
      tooLarge(ctx, cause.getMessage());
      return;
    }
    LOG.warn("client {}: connection error: {}", peer, cause.toString());
    ctx.close();
  }

  private void tooLarge(ChannelHandlerContext ctx, String why) {
    LOG.warn("client {}: {}: {} (limit {} bytes); closing", peer, SyncError.FRAME_TOO_LARGE.name(), why,
        server.config().maxMessageBytes());
    ctx.writeAndFlush(new CloseWebSocketFrame(1009, "message too big")).addListener(f -> ctx.close());
  }
}
