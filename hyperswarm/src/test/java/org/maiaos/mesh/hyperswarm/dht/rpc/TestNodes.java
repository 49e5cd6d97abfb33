package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** Nodes on one {@link MemoryNetwork} and one {@link ManualScheduler}. */
final class TestNodes {
  final ManualScheduler scheduler = new ManualScheduler();
  final MemoryNetwork net = new MemoryNetwork(scheduler);
  final List<DhtRpc> all = new ArrayList<>();

  DhtRpc start(DhtRpcOptions opts) {
    return start(opts, new SecureRandom());
  }

  DhtRpc start(DhtRpcOptions opts, SecureRandom random) {
    DhtRpc d = DhtRpc.create(opts, scheduler, random);
    try {
      d.start(net);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    all.add(d);
    scheduler.runUntilIdle();
    return d;
  }

  /** A bootstrapper plus {@code n - 1} persistent nodes, like a JS testnet; settled. */
  List<DhtRpc> testnet(int n) {
    DhtRpc first = start(DhtRpcOptions.persistent(List.of()).withBootstrapper(true));
    List<PeerAddress> boot = List.of(first.serverAddress());
    for (int i = 1; i < n; i++) start(DhtRpcOptions.persistent(boot));
    scheduler.advance(10_000);
    return List.copyOf(all);
  }

  RawPeer raw() {
    try {
      return new RawPeer(net);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
