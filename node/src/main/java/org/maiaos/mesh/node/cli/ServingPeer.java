package org.maiaos.mesh.node.cli;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.swarm.Hyperswarm;
import org.maiaos.mesh.hyperswarm.swarm.PeerInfo;
import org.maiaos.mesh.hyperswarm.swarm.SwarmReplication;

/**
 * Hands every swarm connection to a {@link SwarmReplication} and watches it for one core: tells
 * which peer first opened that core's channel back (it has the core), and how many refused it.
 */
final class ServingPeer implements Hyperswarm.ConnectionHandler {
  private final SwarmReplication replication;
  private final Key32 discoveryKey;
  private final CompletableFuture<Key32> found = new CompletableFuture<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger refusals = new AtomicInteger();

  ServingPeer(SwarmReplication replication, Key32 discoveryKey) {
    this.replication = replication;
    this.discoveryKey = discoveryKey;
  }

  @Override
  public void onConnection(Channel channel, PeerInfo peer) {
    replication.onConnection(channel, peer);
    connections.incrementAndGet();
    ProtocolStream stream = channel.pipeline().get(ProtocolStream.class);
    if (stream == null) return; // closed before replication was attached
    stream.remoteOpened(discoveryKey).whenComplete((opened, e) -> {
      if (e != null) return; // the connection ended first
      if (opened) found.complete(peer.publicKey());
      else refusals.incrementAndGet();
    });
  }

  /** The public key of the first peer that opened the core's channel. */
  CompletableFuture<Key32> found() {
    return found;
  }

  /** Connections handed over so far. */
  int connections() {
    return connections.get();
  }

  /** Connections whose peer refused the core (it does not have it). */
  int refusals() {
    return refusals.get();
  }
}
