package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * An in-memory UDP network on 127.0.0.1 whose deliveries run on a {@link ManualScheduler}: a
 * {@link DatagramTransport.Binder} for many nodes at once, with dead ports (packets vanish) and a
 * log of every packet for assertions.
 */
final class MemoryNetwork implements DatagramTransport.Binder {
  record Packet(PeerAddress from, PeerAddress to, byte[] bytes) { }

  private final ManualScheduler scheduler;
  private final Map<Integer, Socket> sockets = new HashMap<>();
  final Set<Integer> dead = new HashSet<>();
  final List<Packet> log = new ArrayList<>();
  private int nextPort = 10_000;

  MemoryNetwork(ManualScheduler scheduler) {
    this.scheduler = scheduler;
  }

  final class Socket implements DatagramTransport {
    final int port;
    final Receiver receiver;
    boolean closed;

    Socket(int port, Receiver receiver) {
      this.port = port;
      this.receiver = receiver;
    }

    @Override
    public int localPort() {
      return port;
    }

    @Override
    public void send(PeerAddress to, byte[] datagram) {
      if (closed) return;
      PeerAddress from = new PeerAddress("127.0.0.1", port);
      log.add(new Packet(from, to, datagram.clone()));
      inject(from, to, datagram);
    }

    @Override
    public void close() {
      closed = true;
      sockets.remove(port);
    }
  }

  /** Delivers {@code datagram} to {@code to} as if {@code from} had sent it. */
  void inject(PeerAddress from, PeerAddress to, byte[] datagram) {
    byte[] copy = datagram.clone();
    scheduler.execute(() -> {
      Socket s = sockets.get(to.port());
      if (s == null || s.closed || dead.contains(to.port()) || dead.contains(from.port())) return;
      s.receiver.onDatagram(s, copy, from);
    });
  }

  /** The port the next bind to port 0 gets (a node's server socket binds first). */
  int nextFreePort() {
    int p = nextPort;
    while (sockets.containsKey(p)) p++;
    return p;
  }

  @Override
  public DatagramTransport bind(String host, int port, DatagramTransport.Receiver receiver) throws IOException {
    if (!host.equals("127.0.0.1")) throw new IOException("memory network is 127.0.0.1 only");
    if (port == 0) {
      while (sockets.containsKey(nextPort)) nextPort++;
      port = nextPort++;
    } else if (sockets.containsKey(port)) {
      throw new IOException("port " + port + " taken");
    }
    Socket s = new Socket(port, receiver);
    sockets.put(port, s);
    return s;
  }
}
