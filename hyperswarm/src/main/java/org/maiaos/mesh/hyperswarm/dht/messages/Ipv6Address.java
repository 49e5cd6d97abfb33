package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.State;

/** compact-encoding {@code ipv6Address}: 16 address bytes in network order, then the port as u16 LE. */
public record Ipv6Address(byte[] address, int port) {
  public static final int BYTES = 18;

  public Ipv6Address {
    if (address == null || address.length != 16) throw CoreError.BAD_ARGUMENT.error("not 16 address bytes");
    if (port < 0 || port > 0xFFFF) throw CoreError.BAD_ARGUMENT.error("port %d", port);
    address = address.clone();
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /** The uncompressed text form, eight hex groups. */
  public String host() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) b.append(':');
      b.append(Integer.toHexString((address[i] & 0xFF) << 8 | (address[i + 1] & 0xFF)));
    }
    return b.toString();
  }

  public static void preencode(State s, Ipv6Address a) {
    s.end += BYTES;
  }

  public static void encode(State s, Ipv6Address a) {
    System.arraycopy(a.address, 0, s.buffer, s.start, 16);
    s.buffer[s.start + 16] = (byte) a.port;
    s.buffer[s.start + 17] = (byte) (a.port >>> 8);
    s.start += BYTES;
  }

  public static Ipv6Address decode(State s) {
    s.require(BYTES);
    byte[] ip = java.util.Arrays.copyOfRange(s.buffer, s.start, s.start + 16);
    int port = (s.buffer[s.start + 16] & 0xFF) | (s.buffer[s.start + 17] & 0xFF) << 8;
    s.start += BYTES;
    return new Ipv6Address(ip, port);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv6Address a && port == a.port && java.util.Arrays.equals(address, a.address);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(address) * 31 + port;
  }

  @Override
  public String toString() {
    return "[" + host() + "]:" + port;
  }
}
