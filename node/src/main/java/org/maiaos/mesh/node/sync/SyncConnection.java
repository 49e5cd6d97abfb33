package org.maiaos.mesh.node.sync;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. The sending side of one WebSocket client: the engine queues messages from any thread,
 * the channel's event loop writes them while the channel is writable (in push order, by priority
 * once the socket has backed up: {@link OutgoingQueue}), one message per frame, or
 * joined by {@code \n} up to {@link #BATCH_BYTES} once the client has sent a batched frame itself
 * (cojson-transport-ws switches batching on the same way). A client that stops reading fills its
 * queue and is disconnected.
 */
final class SyncConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SyncConnection.class);
  /** cojson-transport-ws {@code MAX_OUTGOING_MESSAGES_CHUNK_BYTES}. */
  static final int BATCH_BYTES = 25_000;
  // Plain int fields behind updaters rather than AtomicBoolean/AtomicInteger objects: 32 bytes less per client.
  private static final AtomicIntegerFieldUpdater<SyncConnection> FLUSH_SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(SyncConnection.class, "flushScheduled");
  private static final AtomicIntegerFieldUpdater<SyncConnection> IN_FLIGHT =
      AtomicIntegerFieldUpdater.newUpdater(SyncConnection.class, "inFlight");

  /** Null for a {@link #detached} source. */
  final Channel channel;
  /** Created with the first message (an idle client, pinged only, has none); then kept. */
  private volatile OutgoingQueue queue;
  private final long maxQueuedBytes;
  private final Runnable onEnded;
  /** 1 while a flush is queued on the event loop. */
  private volatile int flushScheduled;
  /** Messages from this client not yet fully processed; reading pauses above the high mark. */
  private volatile int inFlight;
  private final int pauseAbove;
  volatile boolean batching;

  SyncConnection(Channel channel, long maxQueuedBytes, int pauseAbove) {
    this(channel, maxQueuedBytes, pauseAbove, null);
  }

  private SyncConnection(Channel channel, long maxQueuedBytes, int pauseAbove, Runnable onEnded) {
    this.channel = channel;
    this.maxQueuedBytes = maxQueuedBytes;
    this.pauseAbove = pauseAbove;
    this.onEnded = onEnded;
  }

  /**
   * The side of a content source that is not a client (another region's bee, read by the mesh):
   * nothing goes back to it, nothing is paused, and {@code onEnded} runs as each of its messages
   * has been processed.
   */
  static SyncConnection detached(Runnable onEnded) {
    return new SyncConnection(null, 0, Integer.MAX_VALUE, onEnded);
  }

  /** Queues one message; disconnects the client when its queue is full. Any thread. */
  void send(String json, int priority) {
    if (channel == null || !channel.isActive()) return;
    OutgoingQueue queue = queue();
    if (!queue.offer(json, priority)) {
      LOG.warn("{}: {}: {} bytes queued for a client that does not read; disconnecting", channel.remoteAddress(),
          SyncError.OUTGOING_QUEUE_FULL.name(), queue.bytes());
      channel.writeAndFlush(new CloseWebSocketFrame(1008, "outgoing queue full")).addListener(f -> channel.close());
      return;
    }
    if (FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) channel.eventLoop().execute(this::flush);
  }

  private OutgoingQueue queue() {
    OutgoingQueue q = queue;
    if (q == null) {
      synchronized (this) {
        if ((q = queue) == null) queue = q = new OutgoingQueue(maxQueuedBytes);
      }
    }
    return q;
  }

  /** Writes queued messages while the channel takes them (event loop only). */
  void flush() {
    flushScheduled = 0;
    OutgoingQueue queue = this.queue;
    if (queue == null) return;
    boolean wrote = false;
    while (channel.isWritable()) {
      String next = queue.poll();
      if (next == null) break;
      if (batching) {
        StringBuilder sb = new StringBuilder(next);
        int len;
        while ((len = queue.peekLength()) >= 0 && sb.length() + 1 + len <= BATCH_BYTES) sb.append('\n').append(queue.poll());
        next = sb.toString();
      }
      // encoded straight into a pooled buffer of the exact size: TextWebSocketFrame(String) copies into an unpooled one first
      int bytes = io.netty.buffer.ByteBufUtil.utf8Bytes(next);
      io.netty.buffer.ByteBuf text = channel.alloc().buffer(bytes);
      io.netty.buffer.ByteBufUtil.reserveAndWriteUtf8(text, next, bytes); // writeUtf8 would reserve 3 bytes a char
      channel.write(new TextWebSocketFrame(text));
      wrote = true;
    }
    if (!channel.isWritable()) queue.backedUp();
    if (wrote) channel.flush();
  }

  long queuedBytes() {
    OutgoingQueue q = queue;
    return q == null ? 0 : q.bytes();
  }

  boolean idle() {
    OutgoingQueue q = queue;
    return q == null || q.isEmpty();
  }

  /** A message of this client entered processing; pauses reading past the bound (work per client stays bounded). */
  void began() {
    if (channel != null && IN_FLIGHT.incrementAndGet(this) == pauseAbove) channel.config().setAutoRead(false);
  }

  void ended() {
    if (channel == null) {
      onEnded.run();
      return;
    }
    if (IN_FLIGHT.decrementAndGet(this) == pauseAbove / 2) channel.config().setAutoRead(true);
  }

  /** Closes the client's connection (a failed store: nothing of it was acknowledged). */
  void close() {
    if (channel != null) channel.close();
  }
}
