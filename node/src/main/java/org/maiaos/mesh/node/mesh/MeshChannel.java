package org.maiaos.mesh.node.mesh;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
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

  /** Hears the peer's hello, on the connection's event loop. */
  @FunctionalInterface
  interface Listener {
    void onHello(MeshHello hello, Key32 nodeKey);
  }

  private final MeshHello ours;
  private final Listener listener;

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
    MuxChannel ch = mux.createChannel(MuxChannel.Options.of(MeshHello.PROTOCOL).messages(0).listener(new MuxChannel.Listener() {
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
        listener.onHello(hello, nodeKey);
      }
    }));
    if (ch != null) ch.open(ours.toBytes());
  }
}
