package org.maiaos.mesh.hyperswarm.replication;

import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hyperswarm.mux.MuxChannel;
import org.maiaos.mesh.hyperswarm.mux.Protomux;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamHandshake;

/**
 * A {@link PeerChannel} on a Protomux channel. Protomux lives on its event loop, the replicator on
 * its own thread: calls queue up in order and one task on the loop runs all that are queued, with
 * a single flush at the end, so a burst of answers costs one wake-up of the loop and one socket
 * write, and a cork, the messages and the uncork still leave as one batch.
 */
final class MuxPeerChannel implements PeerChannel {
  private final Protomux mux;
  private final EventExecutor loop;
  private final SecretStreamHandshake session;
  private final String name;
  MuxChannel channel;
  private final Queue<Runnable> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  /** Most queued calls one loop task runs before it yields the loop to other channels. */
  private static final int MAX_CALLS_PER_TASK = 1024;

  MuxPeerChannel(Protomux mux, SecretStreamHandshake session, String name) {
    this.mux = mux;
    this.loop = mux.executor();
    this.session = session;
    this.name = name;
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop() && outbox.isEmpty()) {
      r.run();
      return;
    }
    outbox.add(r);
    if (drainQueued.compareAndSet(false, true)) loop.execute(this::drain);
  }

  private void drain() {
    drainQueued.set(false);
    mux.writeBatch(() -> {
      Runnable r;
      for (int n = 0; n < MAX_CALLS_PER_TASK && (r = outbox.poll()) != null; n++) r.run();
    });
    if (!outbox.isEmpty() && drainQueued.compareAndSet(false, true)) loop.execute(this::drain);
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
