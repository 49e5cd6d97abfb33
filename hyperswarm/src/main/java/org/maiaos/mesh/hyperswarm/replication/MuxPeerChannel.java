package org.maiaos.mesh.hyperswarm.replication;

import io.netty.util.concurrent.EventExecutor;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hyperswarm.mux.MuxChannel;
import org.maiaos.mesh.hyperswarm.mux.Protomux;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandshake;

/**
 * A {@link PeerChannel} on a Protomux channel. Protomux lives on its event loop, the replicator on
 * its own thread: every call hops to the loop in order, so a cork, the messages and the uncork
 * still leave as one batch.
 */
final class MuxPeerChannel implements PeerChannel {
  private final Protomux mux;
  private final EventExecutor loop;
  private final SecretStreamHandshake session;
  private final String name;
  MuxChannel channel;

  MuxPeerChannel(Protomux mux, SecretStreamHandshake session, String name) {
    this.mux = mux;
    this.loop = mux.executor();
    this.session = session;
    this.name = name;
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) r.run();
    else loop.execute(r);
  }

  @Override
  public void send(int type, byte[] body) {
    onLoop(() -> {
      if (channel != null && !channel.isClosed()) channel.send(type, body);
    });
  }

  @Override
  public void cork() {
    onLoop(() -> {
      if (channel != null) channel.cork();
    });
  }

  @Override
  public void uncork() {
    onLoop(() -> {
      if (channel != null) channel.uncork();
    });
  }

  @Override
  public boolean writable() {
    return mux.isWritable();
  }

  @Override
  public boolean isInitiator() {
    return session.initiator();
  }

  @Override
  public byte[] handshakeHash() {
    return session.handshakeHash();
  }

  @Override
  public void close() {
    onLoop(() -> {
      if (channel != null) channel.close();
    });
  }

  @Override
  public void destroy(HypercoreException reason) {
    onLoop(() -> mux.destroy(reason));
  }

  @Override
  public String describe() {
    return name;
  }
}
