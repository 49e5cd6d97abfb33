package org.maiaos.mesh.hyperswarm.dht.rpc;

import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * One bound UDP socket as the RPC layer sees it: send a datagram, learn the bound port, close.
 * Received datagrams go to the {@link Receiver} given at bind time.
 *
 * <p>This is the seam for the shared socket. dht-rpc runs its RPC and UDX streams over the same
 * udx-native socket; the Java {@code UdxSocket} demultiplexes UDX packets (their 0xFF magic byte)
 * and hands every other datagram to a {@code Receiver}. Implementing {@link Binder} over it is all
 * it takes: {@link RpcIo} only ever calls {@link #send} and receives through the callback, and never
 * learns which socket type it runs on. {@link NettyDatagramTransport} is the plain-UDP one.
 */
public interface DatagramTransport extends AutoCloseable {
  /** The bound local port. */
  int localPort();

  /** Sends one datagram, fire-and-forget (UDP semantics: a failure is a lost packet). */
  void send(PeerAddress to, byte[] datagram);

  /** Releases the socket; idempotent. */
  @Override
  void close();

  /** Called for each datagram that is not someone else's (UDX) traffic; may be any thread. */
  @FunctionalInterface
  interface Receiver {
    void onDatagram(DatagramTransport socket, byte[] datagram, PeerAddress from);
  }

  /** Binds sockets. {@code port} 0 means any free port. */
  @FunctionalInterface
  interface Binder {
    DatagramTransport bind(String host, int port, Receiver receiver) throws java.io.IOException;
  }
}
