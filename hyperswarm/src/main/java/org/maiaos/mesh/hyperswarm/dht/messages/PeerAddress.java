package org.maiaos.mesh.hyperswarm.dht.messages;

import java.net.InetSocketAddress;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * compact-encoding {@code ipv4Address}: 4 address bytes in network order, then the port as u16 LE.
 * The host is kept as the dotted string because tokens hash exactly that string.
 */
public record PeerAddress(String host, int port) {
  public static final int BYTES = 6;

  public PeerAddress {
    if (port < 0 || port > 0xFFFF) throw CoreError.BAD_ARGUMENT.error("port %d", port);
    parseHost(host); // refuses anything but a dotted IPv4 address
  }

  public static PeerAddress of(InetSocketAddress a) {
    return new PeerAddress(a.getAddress().getHostAddress(), a.getPort());
  }

  public InetSocketAddress toSocketAddress() {
    byte[] ip = new byte[4];
    int v = parseHost(host);
    for (int i = 0; i < 4; i++) ip[i] = (byte) (v >>> (24 - 8 * i));
    try {
      return new InetSocketAddress(java.net.InetAddress.getByAddress(ip), port);
    } catch (java.net.UnknownHostException e) {
      throw CoreError.ASSERTION.error("4-byte address refused: %s", host);
    }
  }

  /** The dht-rpc node id: BLAKE2b-256 over the 6 encoded bytes ({@code dht-rpc/lib/peer.js id}). */
  public Key32 id() {
    return Key32.of(Blake2b.hash(toBytes()));
  }

  public byte[] toBytes() {
    return Codecs.encode(this, PeerAddress::preencode, PeerAddress::encode);
  }

  /** {@code host:port}, the key JS uses for a peer in maps. */
  public String key() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return key();
  }

  public static void preencode(State s, PeerAddress a) {
    s.end += BYTES;
  }

  public static void encode(State s, PeerAddress a) {
    int v = parseHost(a.host);
    byte[] b = s.buffer;
    int i = s.start;
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
    b[i + 4] = (byte) a.port;
    b[i + 5] = (byte) (a.port >>> 8);
    s.start = i + BYTES;
  }

  public static PeerAddress decode(State s) {
    s.require(BYTES);
    byte[] b = s.buffer;
    int i = s.start;
    String host = (b[i] & 0xFF) + "." + (b[i + 1] & 0xFF) + "." + (b[i + 2] & 0xFF) + "." + (b[i + 3] & 0xFF);
    int port = (b[i + 4] & 0xFF) | (b[i + 5] & 0xFF) << 8;
    s.start = i + BYTES;
    return new PeerAddress(host, port);
  }

  /** The address as a big-endian int; one pass over the chars (this runs for every datagram). */
  private static int parseHost(String host) {
    if (host == null) throw CoreError.BAD_ARGUMENT.error("null host");
    int v = 0;
    int parts = 0;
    int n = 0;
    int digits = 0;
    for (int k = 0, len = host.length(); k <= len; k++) {
      char c = k == len ? '.' : host.charAt(k); // the end closes the last part
      if (c == '.') {
        if (digits == 0 || n > 255 || ++parts > 4) throw notIpv4(host);
        v = v << 8 | n;
        n = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9' && ++digits <= 3) {
        n = n * 10 + (c - '0');
      } else {
        throw notIpv4(host);
      }
    }
    if (parts != 4) throw notIpv4(host);
    return v;
  }

  private static RuntimeException notIpv4(String host) {
    return CoreError.BAD_ARGUMENT.error("not an IPv4 address: %s", host);
  }
}
