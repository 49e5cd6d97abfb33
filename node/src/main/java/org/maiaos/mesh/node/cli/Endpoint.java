package org.maiaos.mesh.node.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** A {@code HOST:PORT} argument ({@code [v6]:port} for IPv6). */
record Endpoint(String host, int port) {
  private static final Pattern DOTTED = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  static Endpoint parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw new CliException("BAD_ARGUMENT: expected HOST:PORT, got '" + s + "'");
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CliException("BAD_ARGUMENT: bad port in '" + s + "'");
    }
    if (port < 0 || port > 65535) throw new CliException("BAD_ARGUMENT: port out of range in '" + s + "'");
    return new Endpoint(host, port);
  }

  /**
   * The address as the DHT takes it, a dotted IPv4 address: a name is resolved to its first IPv4
   * address (the DHT's wire format has no IPv6 and no names).
   */
  PeerAddress ipv4() {
    if (host.contains(":")) throw new CliException("BAD_ARGUMENT: the DHT is IPv4 only, got '" + this + "'");
    if (DOTTED.matcher(host).matches()) {
      for (String octet : host.split("\\.")) {
        if (Integer.parseInt(octet) > 255) throw new CliException("BAD_ARGUMENT: bad IPv4 address in '" + this + "'");
      }
      return new PeerAddress(host, port);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address) return new PeerAddress(a.getHostAddress(), port);
      }
    } catch (UnknownHostException e) {
      throw new CliException("BAD_ARGUMENT: unknown host '" + host + "'");
    }
    throw new CliException("BAD_ARGUMENT: " + host + " has no IPv4 address (the DHT is IPv4 only)");
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
