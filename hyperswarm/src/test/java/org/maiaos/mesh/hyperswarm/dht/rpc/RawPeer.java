package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** A hand-driven socket on a {@link MemoryNetwork}: it records what it receives and sends raw bytes. */
final class RawPeer {
  final DatagramTransport socket;
  final List<byte[]> received = new ArrayList<>();

  RawPeer(MemoryNetwork net) throws IOException {
    socket = net.bind("127.0.0.1", 0, (s, d, from) -> received.add(d));
  }

  PeerAddress address() {
    return new PeerAddress("127.0.0.1", socket.localPort());
  }

  void send(PeerAddress to, byte[] bytes) {
    socket.send(to, bytes);
  }

  DhtRequest lastRequest() {
    return DhtRequest.decode(State.of(received.get(received.size() - 1)));
  }

  DhtResponse lastResponse() {
    return DhtResponse.decode(State.of(received.get(received.size() - 1)));
  }
}
