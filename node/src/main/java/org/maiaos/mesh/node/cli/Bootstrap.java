package org.maiaos.mesh.node.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;

/**
 * {@code --bootstrap HOST:PORT[,HOST:PORT...]}: the DHT nodes a command bootstraps from. The word
 * {@code public} names the public HyperDHT bootstrap nodes ({@code DhtRpcOptions.PUBLIC_BOOTSTRAP});
 * it is only ever used when typed, never a default.
 */
final class Bootstrap {
  static final String PUBLIC = "public";

  private Bootstrap() {}

  /** The nodes of {@code list}; an empty list is allowed (a first node of a private network). */
  static List<PeerAddress> parse(String list) {
    String s = list.trim();
    if (s.equals(PUBLIC)) return DhtRpcOptions.parseBootstrap(DhtRpcOptions.PUBLIC_BOOTSTRAP);
    if (s.isEmpty()) return List.of();
    Set<PeerAddress> out = new LinkedHashSet<>();
    for (String entry : s.split(",", -1)) {
      String e = entry.trim();
      if (e.isEmpty()) throw new CliException("BAD_ARGUMENT: --bootstrap has an empty entry in '" + list + "'");
      if (e.equals(PUBLIC)) throw new CliException("BAD_ARGUMENT: --bootstrap 'public' stands alone, not in a list");
      Endpoint at;
      try {
        at = Endpoint.parse(e);
      } catch (CliException x) {
        throw new CliException("BAD_ARGUMENT: --bootstrap entry '" + e + "' is not HOST:PORT");
      }
      if (at.port() == 0) throw new CliException("BAD_ARGUMENT: --bootstrap entry '" + e + "' has port 0");
      out.add(at.ipv4());
    }
    return List.copyOf(new ArrayList<>(out));
  }

  /** The nodes of {@code list}, at least one: commands that join a network need somebody to ask. */
  static List<PeerAddress> required(String list) {
    List<PeerAddress> nodes = parse(list);
    if (nodes.isEmpty()) throw new CliException("BAD_ARGUMENT: --bootstrap needs at least one HOST:PORT (or 'public')");
    return nodes;
  }
}
