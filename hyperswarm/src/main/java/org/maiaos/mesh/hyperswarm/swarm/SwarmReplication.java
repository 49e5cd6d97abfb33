package org.maiaos.mesh.hyperswarm.swarm;

import io.netty.channel.Channel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * Replicates a set of cores over every swarm connection, as JS {@code corestore.replicate(conn)}:
 * each connection gets Protomux and a {@code hypercore/alpha} channel per core, keyed by discovery
 * key; a peer that opens a channel for a core in the set gets it opened back, one we lack is
 * rejected. A core added later is opened on the connections already up.
 */
public final class SwarmReplication implements Hyperswarm.ConnectionHandler {
  private final Map<Key32, Replicator> cores = new ConcurrentHashMap<>();
  private final Set<ProtocolStream> streams = ConcurrentHashMap.newKeySet();
  private final ProtocolStream.Cores view = new ProtocolStream.Cores() {
    @Override
    public Replicator byDiscoveryKey(Key32 discoveryKey) {
      return cores.get(discoveryKey);
    }

    @Override
    public Collection<Replicator> eager() {
      return List.copyOf(cores.values());
    }
  };

  /** Replicates {@code r}'s core on every connection, now and later. */
  public void add(Replicator r) {
    if (cores.putIfAbsent(r.core().discoveryKey(), r) != null) return;
    for (ProtocolStream s : streams) s.add(r);
  }

  /** Open connections replicating. */
  public int connections() {
    return streams.size();
  }

  @Override
  public void onConnection(Channel channel, PeerInfo peer) {
    ProtocolStream s = ProtocolStream.attach(channel, view);
    streams.add(s);
    channel.closeFuture().addListener(f -> streams.remove(s));
  }
}
