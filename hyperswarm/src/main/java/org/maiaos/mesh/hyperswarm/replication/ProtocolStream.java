package org.maiaos.mesh.hyperswarm.replication;

import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.mux.MuxChannel;
import org.maiaos.mesh.hyperswarm.mux.Protomux;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandler;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandshake;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;
import org.maiaos.mesh.hyperswarm.wire.Handshake;

/**
 * Replication of many cores over one connection, as JS {@code core.replicate(isInitiator)} and
 * Corestore do: the pipeline is secret-stream, Protomux, then this handler, which opens a
 * {@code hypercore/alpha} channel (id = discovery key) for every core it is given once the Noise
 * handshake is done, and answers the peer's opens for cores it can look up by discovery key.
 */
public final class ProtocolStream extends ChannelInboundHandlerAdapter {
  static final String PROTOCOL = "hypercore/alpha";

  /** The cores a stream may replicate. */
  public interface Cores {
    /** The replicator of the core with this discovery key, or null (the open is rejected). */
    Replicator byDiscoveryKey(Key32 discoveryKey);

    /** The cores to open channels for as soon as the stream is up. */
    Collection<Replicator> eager();
  }

  private final Cores cores;
  private final List<Replicator> pendingAdds = new ArrayList<>();
  private final Map<Key32, CompletableFuture<Boolean>> remoteOpens = new ConcurrentHashMap<>();
  /** The peers on this stream, told when the connection drains (event loop only). */
  private final List<Peer> peers = new ArrayList<>();
  private Channel channel;
  private Protomux mux;
  private SecretStreamHandshake session;
  private String name;

  private ProtocolStream(Cores cores) {
    this.cores = cores;
  }

  /** Installs secret-stream + Protomux + replication on a fresh channel's pipeline. */
  /**
   * How much of our answers may wait in the connection's outgoing buffer before the replicator
   * holds further answers back (Netty's default, 32-64 KiB, is a single 64 KiB block: each answer
   * then waited for the socket to drain and for a hop to the replicator thread and back).
   */
  static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(1 << 20, 2 << 20);

  public static ProtocolStream install(Channel ch, boolean initiator, KeyPair keyPair, Cores cores) {
    ProtocolStream stream = new ProtocolStream(cores);
    ch.config().setWriteBufferWaterMark(WRITE_BUFFER);
    ch.pipeline().addLast(new SecretStreamHandler(initiator, keyPair, SecretStreamLimits.DEFAULTS), new Protomux(), stream);
    return stream;
  }

  /**
   * Adds Protomux and replication behind a secret-stream already in the pipeline, as on a swarm
   * connection (whose secret-stream starts from the DHT's Noise handshake).
   */
  public static ProtocolStream attach(Channel ch, Cores cores) {
    ProtocolStream stream = new ProtocolStream(cores);
    ch.pipeline().addLast(new Protomux(), stream);
    return stream;
  }

  /** The cores of a fixed list (e.g. one core for the CLI). */
  public static Cores of(Collection<Replicator> replicators) {
    List<Replicator> list = List.copyOf(replicators);
    return new Cores() {
      @Override
      public Replicator byDiscoveryKey(Key32 dk) {
        for (Replicator r : list) {
          if (r.core().discoveryKey().equals(dk)) return r;
        }
        return null;
      }

      @Override
      public Collection<Replicator> eager() {
        return list;
      }
    };
  }

  /**
   * Whether the peer opened its side of the channel of the core with {@code discoveryKey}: true
   * once it did; false if it rejected or closed the channel while the stream was up (it does not
   * have the core, or will not replicate it). Fails with SESSION_CLOSED if the stream ended first.
   */
  public CompletableFuture<Boolean> remoteOpened(Key32 discoveryKey) {
    return remoteOpens.computeIfAbsent(discoveryKey, k -> new CompletableFuture<>());
  }

  /** A drained connection lets held-back answers go at once, not at the replicator's next poll. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) for (Peer p : peers) p.writable();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (Map.Entry<Key32, CompletableFuture<Boolean>> e : remoteOpens.entrySet()) {
      e.getValue().completeExceptionally(CoreError.SESSION_CLOSED.error("the stream to %s ended before the channel of %s opened", name, e.getKey()));
    }
    super.channelInactive(ctx);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    mux = ctx.pipeline().get(Protomux.class);
    name = String.valueOf(ctx.channel().remoteAddress());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SecretStreamHandshake hs) {
      session = hs;
      name = ctx.channel().remoteAddress() + "/" + hs.remotePublicKey().hex().substring(0, 8);
      mux.pair(PROTOCOL, null, (protocol, id) -> {
        if (id == null || id.length != 32) return null;
        Replicator r = cores.byDiscoveryKey(Key32.of(id));
        if (r != null && !mux.opened(PROTOCOL, id)) open(r);
        return null;
      });
      for (Replicator r : cores.eager()) open(r);
      for (Replicator r : pendingAdds) open(r);
      pendingAdds.clear();
    }
    super.userEventTriggered(ctx, evt);
  }

  /** Starts replicating one more core on this stream (on the stream's event loop). */
  public void add(Replicator r) {
    mux.executor().execute(() -> {
      if (session == null) pendingAdds.add(r);
      else if (!mux.opened(PROTOCOL, r.core().discoveryKey().toByteArray())) open(r);
    });
  }

  private void open(Replicator r) {
    MuxPeerChannel pc = new MuxPeerChannel(mux, session, name);
    Peer peer = r.attach(pc);
    peers.add(peer);
    CompletableFuture<Boolean> remoteOpen = remoteOpened(r.core().discoveryKey());
    MuxChannel ch = mux.createChannel(MuxChannel.Options.of(PROTOCOL)
        .id(r.core().discoveryKey().toByteArray())
        .aliases("hypercore")
        .messages(MessageType.COUNT)
        .listener(new MuxChannel.Listener() {
          @Override
          public void onOpen(MuxChannel channel, byte[] handshake) {
            Handshake h;
            try {
              State s = State.of(handshake);
              h = Handshake.decode(s);
            } catch (HypercoreException e) {
              mux.destroy(CoreError.DECODING_ERROR.error(e, "bad hypercore/alpha open: %s", e.getMessage()));
              return;
            }
            remoteOpen.complete(true);
            peer.onOpen(h);
          }

          @Override
          public void onMessage(MuxChannel channel, int type, State message) {
            peer.onMessage(type, Bytes.decodeRaw(message));
          }

          @Override
          public void onClose(MuxChannel ch, boolean remote) {
            // a close or reject before the peer's open, with the stream still up: it lacks the core
            if (ProtocolStream.this.channel.isActive()) remoteOpen.complete(false);
            peer.onClose();
          }
        }));
    if (ch == null) return; // the stream is gone, or the core is already open on it
    pc.channel = ch;
    ch.open(Peer.encode(peer.handshake(), Handshake::preencode, Handshake::encode));
  }
}
