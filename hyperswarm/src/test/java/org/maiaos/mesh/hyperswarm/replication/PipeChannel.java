package org.maiaos.mesh.hyperswarm.replication;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * A {@link PeerChannel} that hands every message straight to the peer at the other end, for
 * replicator tests without a network. {@link #tamper} can rewrite or drop what this end sends.
 */
final class PipeChannel implements PeerChannel {
  private final boolean initiator;
  private final byte[] handshakeHash;
  private final String name;
  Peer remote;
  PipeChannel other;
  volatile boolean closed;
  final AtomicReference<HypercoreException> destroyedWith = new AtomicReference<>();
  volatile BiFunction<Integer, byte[], byte[]> tamper = (type, body) -> body;
  /** Messages sent before both opens were handed over wait here, as Protomux orders them. */
  private final java.util.ArrayList<Object[]> early = new java.util.ArrayList<>();
  private boolean ready;

  private PipeChannel(boolean initiator, byte[] handshakeHash, String name) {
    this.initiator = initiator;
    this.handshakeHash = handshakeHash;
    this.name = name;
  }

  /** Connects two replicators of the same core; returns {a's channel, b's channel}. */
  static PipeChannel[] connect(Replicator a, Replicator b, String name) {
    return connect(a, b, name, (type, body) -> body);
  }

  /** Same, with {@code tamperA} rewriting (or dropping, with null) what a sends, from the first message on. */
  static PipeChannel[] connect(Replicator a, Replicator b, String name, BiFunction<Integer, byte[], byte[]> tamperA) {
    byte[] hh = new byte[64];
    new java.util.Random(name.hashCode()).nextBytes(hh);
    PipeChannel ca = new PipeChannel(true, hh, name + ":a");
    PipeChannel cb = new PipeChannel(false, hh, name + ":b");
    ca.tamper = tamperA;
    ca.other = cb;
    cb.other = ca;
    Peer pa = a.attach(ca);
    Peer pb = b.attach(cb);
    ca.remote = pb;
    cb.remote = pa;
    pb.onOpen(pa.handshake());
    pa.onOpen(pb.handshake());
    ca.ready();
    cb.ready();
    return new PipeChannel[] {ca, cb};
  }

  @Override
  public synchronized void send(int type, byte[] body) {
    if (closed || other.closed) return;
    if (!ready) {
      early.add(new Object[] {type, body});
      return;
    }
    byte[] out = tamper.apply(type, body);
    if (out != null) remote.onMessage(type, out);
  }

  private synchronized void ready() {
    ready = true;
    for (Object[] m : early) send((Integer) m[0], (byte[]) m[1]);
    early.clear();
  }

  /** What {@link #writable()} answers: false plays a connection whose peer stopped reading. */
  volatile boolean writable = true;

  @Override
  public boolean writable() {
    return writable;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    other.closed = true;
    remote.onClose();
    other.remote.onClose();
  }

  @Override
  public void destroy(HypercoreException reason) {
    destroyedWith.compareAndSet(null, reason);
    close();
  }

  @Override
  public String describe() {
    return name;
  }
}
