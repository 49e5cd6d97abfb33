package org.maiaos.mesh.hyperswarm.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DatagramTransport;
import org.maiaos.mesh.hyperswarm.udx.UdxLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxSocket;

/**
 * dht-rpc over a {@link UdxSocket}: the RPC datagrams and the UDX streams of one node share a UDP
 * port, as hyperdht's do, so a stream connects to the very address a relay saw us at. The socket
 * hands every datagram that is not a UDX packet of one of its streams to the RPC receiver.
 */
public final class UdxDatagramTransport implements DatagramTransport {
  private final UdxSocket socket;
  private final int port;

  private UdxDatagramTransport(UdxSocket socket) {
    this.socket = socket;
    this.port = socket.localAddress().getPort();
  }

  /** A binder whose sockets carry both dht-rpc and UDX, on {@code group}. */
  public static Binder binder(EventLoopGroup group, UdxLimits limits, int maxDatagramBytes) {
    return (host, port, receiver) -> {
      UdxSocket s;
      try {
        s = UdxSocket.bind(group, new InetSocketAddress(host, port), limits);
      } catch (HypercoreException e) {
        throw new java.io.IOException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
      }
      UdxDatagramTransport t = new UdxDatagramTransport(s);
      s.onMessage((datagram, sender) -> {
        if (datagram.readableBytes() > maxDatagramBytes || sender.getAddress().getAddress().length != 4) return;
        byte[] bytes = new byte[datagram.readableBytes()];
        datagram.getBytes(datagram.readerIndex(), bytes);
        receiver.onDatagram(t, bytes, PeerAddress.of(sender));
      });
      return t;
    };
  }

  /** The UDX socket behind this transport, for streams on the node's own port. */
  public UdxSocket udx() {
    return socket;
  }

  @Override
  public int localPort() {
    return port;
  }

  @Override
  public void send(PeerAddress to, byte[] datagram) {
    ByteBuf b = Unpooled.wrappedBuffer(datagram);
    socket.send(b, to.toSocketAddress());
  }

  @Override
  public void close() {
    socket.close();
  }
}
