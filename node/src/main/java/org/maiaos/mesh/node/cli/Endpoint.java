package org.maiaos.mesh.node.cli;

/** A {@code HOST:PORT} argument ({@code [v6]:port} for IPv6). */
record Endpoint(String host, int port) {
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

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
