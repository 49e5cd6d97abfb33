package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * How a {@link DhtRpc} node starts ({@code new DHT(opts)} in JS).
 *
 * @param host the address both sockets bind to; 127.0.0.1 unless told otherwise
 * @param port the server port to try first (then the next four, then any); 0 for any
 * @param bootstrap the nodes to bootstrap from; empty means none. There is no implicit public
 *     list: {@link #PUBLIC_BOOTSTRAP} is only ever used when passed here explicitly
 * @param ephemeral {@code Boolean.FALSE} for a node that becomes persistent as soon as it knows its
 *     address (bootstrap and testnet nodes), {@code TRUE} to stay ephemeral, null for adaptive
 * @param firewalled start as firewalled (requests from the client socket) until shown otherwise
 * @param bootstrapper also count our bound address as a NAT sample, as {@code DHT.bootstrapper()}
 *     does: the first node of a network has nobody else to learn its address from
 * @param concurrency parallel requests of a query
 * @param quickFirewall run the PING_NAT heuristic on the first bootstrap reply
 * @param limits bounds of the RPC layer
 */
public record DhtRpcOptions(String host, int port, List<PeerAddress> bootstrap, Boolean ephemeral, boolean firewalled,
    boolean bootstrapper, int concurrency, boolean quickFirewall, RpcLimits limits) {
  /** hyperdht's public bootstrap nodes (suggested IPs); never a default, never used by tests. */
  public static final List<String> PUBLIC_BOOTSTRAP = List.of("88.99.3.86@node1.hyperdht.org:49737",
      "142.93.90.113@node2.hyperdht.org:49737", "138.68.147.8@node3.hyperdht.org:49737");

  public static final DhtRpcOptions DEFAULT = new DhtRpcOptions("127.0.0.1", 0, List.of(), null, true, false, 10,
      true, RpcLimits.DEFAULT);

  public DhtRpcOptions {
    bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
    if (concurrency < 1 || port < 0 || port > 0xFFFF) throw CoreError.BAD_ARGUMENT.error("bad options");
    if (limits == null) limits = RpcLimits.DEFAULT;
  }

  /** A persistent, unfirewalled node like those of a testnet. */
  public static DhtRpcOptions persistent(List<PeerAddress> bootstrap) {
    return DEFAULT.withBootstrap(bootstrap).withEphemeral(false).withFirewalled(false);
  }

  public DhtRpcOptions withHost(String h) {
    return new DhtRpcOptions(h, port, bootstrap, ephemeral, firewalled, bootstrapper, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withPort(int p) {
    return new DhtRpcOptions(host, p, bootstrap, ephemeral, firewalled, bootstrapper, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withBootstrap(List<PeerAddress> b) {
    return new DhtRpcOptions(host, port, b, ephemeral, firewalled, bootstrapper, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withEphemeral(Boolean e) {
    return new DhtRpcOptions(host, port, bootstrap, e, firewalled, bootstrapper, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withFirewalled(boolean f) {
    return new DhtRpcOptions(host, port, bootstrap, ephemeral, f, bootstrapper, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withBootstrapper(boolean b) {
    return new DhtRpcOptions(host, port, bootstrap, ephemeral, firewalled, b, concurrency, quickFirewall, limits);
  }

  public DhtRpcOptions withLimits(RpcLimits l) {
    return new DhtRpcOptions(host, port, bootstrap, ephemeral, firewalled, bootstrapper, concurrency, quickFirewall, l);
  }

  /**
   * Parses {@code host:port} entries; {@code suggestedIP@hostname:port} uses the suggested IP
   * (hostnames are not resolved: this layer never does DNS on its own).
   */
  public static List<PeerAddress> parseBootstrap(List<String> entries) {
    List<PeerAddress> out = new ArrayList<>();
    for (String e : entries) {
      int colon = e.lastIndexOf(':');
      if (colon < 0) throw CoreError.BAD_ARGUMENT.error("bootstrap node format is host:port: %s", e);
      String host = e.substring(0, colon);
      int at = host.indexOf('@');
      if (at >= 0) host = host.substring(0, at);
      int p;
      try {
        p = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException x) {
        throw CoreError.BAD_ARGUMENT.error("bad port in %s", e);
      }
      out.add(new PeerAddress(host, p));
    }
    return List.copyOf(out);
  }
}
