package org.maiaos.mesh.node.mesh;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
  }

  private final MeshHello ours;
  private final Listener listener;
  private volatile MuxChannel mux;
  private boolean loggedBadMessage;

  MeshChannel(MeshHello ours, Listener listener) {
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
    MuxChannel ch = mux.createChannel(MuxChannel.Options.of(MeshHello.PROTOCOL).messages(1).listener(new MuxChannel.Listener() {
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
        if (type != MeshChanged.TYPE || MeshChannel.this.mux == null) return;
        MeshChanged changed;
        try {
          changed = MeshChanged.fromBytes(java.util.Arrays.copyOfRange(message.buffer, message.start, message.end));
        } catch (HypercoreException e) {
          if (!loggedBadMessage) LOG.warn("mesh peer {}: unreadable message dropped (logged once): {}", nodeKey, e.getMessage());
          loggedBadMessage = true;
          return;
        }
        listener.onChanged(changed, nodeKey);
      }
    }));
    if (ch != null) ch.open(ours.toBytes());
  }

  /** Sends {@code changed} to the peer, from any thread; false when the channel is not open (or closed). */
  boolean send(MeshChanged changed) {
    MuxChannel ch = mux;
    if (ch == null || ch.isClosed()) return false;
    byte[] bytes = changed.toBytes();
    ch.mux().executor().execute(() -> ch.send(MeshChanged.TYPE, bytes));
    return true;
  }
}
