package org.maiaos.mesh.hyperswarm.replication;

import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * The transport under one {@link Peer}: a Protomux channel {@code hypercore/alpha} for one core on
 * one secret-stream. Implementations must be safe to call from the replicator's thread and must
 * not block it (they queue the bytes on the connection).
 */
public interface PeerChannel {
  /** Sends one channel message of {@code type} ({@link MessageType}) with its encoded body. */
  void send(int type, byte[] body);

  /** Starts a batch: messages until {@link #uncork()} leave in one frame (Protomux cork). */
  default void cork() {}

  default void uncork() {}

  /**
   * False while the connection's outgoing buffer is over its high-water mark (the peer is not
   * reading as fast as we answer): the replicator then holds further answers back.
   */
  default boolean writable() {
    return true;
  }

  /** True when this side initiated the secret-stream (not the channel). */
  boolean isInitiator();

  /** The Noise handshake hash of the stream, which the capability binds to. */
  byte[] handshakeHash();

  /** Closes this channel only (the stream and its other channels go on). */
  void close();

  /** Destroys the whole stream: the remote misbehaved ({@code reason} is logged). */
  void destroy(HypercoreException reason);

  /** A short name for logs: the remote address or public key. */
  String describe();
}
