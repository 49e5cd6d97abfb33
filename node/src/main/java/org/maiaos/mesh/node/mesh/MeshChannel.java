package org.maiaos.mesh.node.mesh;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.mux.MuxChannel;
import org.maiaos.mesh.hyperswarm.mux.Protomux;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh channel on one swarm connection: a Protomux channel {@value MeshHello#PROTOCOL} whose
 * open carries each side's {@link MeshHello}. It sits behind Protomux in the pipeline and opens
 * once the secret-stream is up; a hello we cannot read, or of another version, closes the channel
 * (not the connection: the peer may still replicate) and is logged once.
 */
final class MeshChannel extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MeshChannel.class);

  /** Hears the peer, on the connection's event loop. */
  interface Listener {
    /** The peer's hello; {@code channel} sends to it from now on. */
    void onHello(MeshHello hello, Key32 nodeKey, MeshChannel channel);

    /** A well-formed {@link MeshChanged} from a peer that said hello. */
    default void onChanged(MeshChanged changed, Key32 nodeKey) {}

    /** A {@link MeshReadAhead}: answer it with {@link MeshChannel#answer} (from any thread), always once. */
    default void onReadAhead(MeshReadAhead request, MeshChannel from) {
      from.answer(new MeshBlocks(request.request(), new long[0]));
    }
  }

  /** Read-aheads of ours waiting for an answer, at most; one more is answered empty at once. */
  static final int MAX_PENDING = 256;
  /** Read-aheads of the peer's we are working on, at most; one more is answered empty at once. */
  static final int MAX_ANSWERING = 256;

  /** Our hello as of now (it carries our bee's length when the channel opens). */
  private final java.util.function.Supplier<MeshHello> ours;
  private final Listener listener;
  private volatile MuxChannel mux;
  private boolean loggedBadMessage;
  private final java.util.Map<Long, CompletableFuture<long[]>> pending = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong nextRequest = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger answering = new java.util.concurrent.atomic.AtomicInteger();

  MeshChannel(java.util.function.Supplier<MeshHello> ours, Listener listener) {
    this.ours = ours;
    this.listener = listener;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SecretStreamHandshake hs) open(ctx, hs.remotePublicKey());
    super.userEventTriggered(ctx, evt);
  }

  private void open(ChannelHandlerContext ctx, Key32 nodeKey) {
    Protomux mux = ctx.pipeline().get(Protomux.class);
    if (mux == null) return;
    MuxChannel ch = mux.createChannel(MuxChannel.Options.of(MeshHello.PROTOCOL).messages(3).listener(new MuxChannel.Listener() {
      @Override
      public void onOpen(MuxChannel channel, byte[] handshake) {
        MeshHello hello;
        try {
          hello = MeshHello.fromBytes(handshake);
        } catch (HypercoreException e) {
          LOG.warn("mesh peer {} at {}: unreadable hello, channel closed: {}", nodeKey, ctx.channel().remoteAddress(), e.getMessage());
          channel.close();
          return;
        }
        if (hello.version() != MeshHello.VERSION) {
          LOG.warn("mesh peer {} ({}) speaks mesh version {}, we speak {}: channel closed", nodeKey, hello.region(),
              hello.version(), MeshHello.VERSION);
          channel.close();
          return;
        }
        MeshChannel.this.mux = channel;
        listener.onHello(hello, nodeKey, MeshChannel.this);
      }

      @Override
      public void onMessage(MuxChannel channel, int type, State message) {
        if (MeshChannel.this.mux == null) return;
        byte[] bytes = java.util.Arrays.copyOfRange(message.buffer, message.start, message.end);
        try {
          switch (type) {
            case MeshChanged.TYPE -> listener.onChanged(MeshChanged.fromBytes(bytes), nodeKey);
            case MeshReadAhead.TYPE -> onReadAhead(MeshReadAhead.fromBytes(bytes));
            case MeshBlocks.TYPE -> onBlocks(MeshBlocks.fromBytes(bytes));
            default -> { } // Protomux refuses types past messages(3)
          }
        } catch (HypercoreException e) {
          if (!loggedBadMessage) LOG.warn("mesh peer {}: unreadable message dropped (logged once): {}", nodeKey, e.getMessage());
          loggedBadMessage = true;
        }
      }

      @Override
      public void onClose(MuxChannel channel, boolean remote) {
        for (Long r : pending.keySet()) {
          CompletableFuture<long[]> f = pending.remove(r);
          if (f != null) f.complete(new long[0]);
        }
      }
    }));
    if (ch != null) ch.open(ours.get().toBytes());
  }

  /** True once the peer's hello came and until the channel or its connection closes. */
  boolean isOpen() {
    MuxChannel ch = mux;
    return ch != null && !ch.isClosed() && ch.mux().isOpen();
  }

  /** Sends {@code changed} to the peer, from any thread; false when the channel is not open (or closed). */
  boolean send(MeshChanged changed) {
    return send(MeshChanged.TYPE, changed.toBytes());
  }

  private boolean send(int type, byte[] bytes) {
    MuxChannel ch = mux;
    if (ch == null || ch.isClosed()) return false;
    ch.mux().executor().execute(() -> ch.send(type, bytes));
    return true;
  }

  /**
   * Asks the peer which blocks of its bee, at {@code length}, a read of {@code id} visits. The
   * future completes with the seqs, or with none when the channel closes or too many are pending;
   * the caller bounds the wait.
   */
  CompletableFuture<long[]> readAhead(String id, long length) {
    if (pending.size() >= MAX_PENDING) return CompletableFuture.completedFuture(new long[0]);
    long r = nextRequest.getAndIncrement();
    CompletableFuture<long[]> f = new CompletableFuture<>();
    pending.put(r, f);
    f.whenComplete((v, e) -> pending.remove(r));
    if (!send(MeshReadAhead.TYPE, new MeshReadAhead(r, length, id).toBytes())) f.complete(new long[0]);
    return f;
  }

  private void onBlocks(MeshBlocks b) {
    CompletableFuture<long[]> f = pending.remove(b.request());
    if (f != null) f.complete(b.seqs()); // an answer to nothing we asked is ignored
  }

  private void onReadAhead(MeshReadAhead r) {
    if (answering.incrementAndGet() > MAX_ANSWERING) {
      answer(new MeshBlocks(r.request(), new long[0]));
      return;
    }
    listener.onReadAhead(r, this);
  }

  /** Answers one of the peer's read-aheads (any thread). */
  void answer(MeshBlocks blocks) {
    answering.decrementAndGet();
    send(MeshBlocks.TYPE, blocks.toBytes());
  }
}
