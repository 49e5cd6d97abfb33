package org.maiaos.mesh.bench.mesh;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device ({@code IFF_TUN | IFF_NO_PI}: whole IP packets, no header) opened through
 * libc with JNA, since the JDK has no ioctl. The device is created in the calling process's
 * network namespace and lives as long as this file descriptor: {@link #close} (or the process's
 * exit) removes it, wherever it was moved to.
 */
final class Tun implements AutoCloseable {
  /** Bytes one read can return at most: above any MTU we set. */
  static final int MAX_PACKET_BYTES = 65_536;
  private static final int O_RDWR = 2;
  private static final long TUNSETIFF = 0x400454caL;
  private static final short IFF_TUN = 0x0001;
  private static final short IFF_NO_PI = 0x1000;
  /** {@code struct ifreq}: 16 bytes of name, then the union (flags at its start). */
  private static final int IFREQ_BYTES = 40;
  private static final int IFNAMSIZ = 16;

  /** The libc calls used, by their C names. */
  interface LibC extends Library {
    int open(String path, int flags);

    int ioctl(int fd, NativeLong request, Pointer arg);

    NativeLong read(int fd, Pointer buf, NativeLong count);

    NativeLong write(int fd, Pointer buf, NativeLong count);

    int close(int fd);
  }

  private static final LibC C = Native.load("c", LibC.class);

  final String name;
  private final int fd;
  private volatile boolean closed;

  private Tun(String name, int fd) {
    this.name = name;
    this.fd = fd;
  }

  /** Creates the device {@code name} (at most 15 bytes) in this process's network namespace. */
  static Tun create(String name) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length == 0 || n.length >= IFNAMSIZ) throw new IllegalArgumentException("BAD_ARGUMENT: interface name of 1 to 15 bytes: " + name);
    int fd = C.open("/dev/net/tun", O_RDWR);
    if (fd < 0) throw new IOException("cannot open /dev/net/tun (errno " + Native.getLastError() + ")");
    try (Memory ifr = new Memory(IFREQ_BYTES)) {
      ifr.clear();
      ifr.write(0, n, 0, n.length);
      ifr.setShort(IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
      if (C.ioctl(fd, new NativeLong(TUNSETIFF), ifr) < 0) {
        int errno = Native.getLastError();
        C.close(fd);
        throw new IOException("TUNSETIFF " + name + " failed (errno " + errno + ")");
      }
    }
    return new Tun(name, fd);
  }

  /** Blocks for the next packet; its length, or -1 once the device is gone. {@code buf} holds {@link #MAX_PACKET_BYTES}. */
  int read(Memory buf) {
    long n = C.read(fd, buf, new NativeLong(buf.size())).longValue();
    return closed ? -1 : (int) n;
  }

  /** Writes one packet, copied into {@code buf} first (a native buffer of the calling thread). */
  boolean write(Memory buf, byte[] packet) {
    buf.write(0, packet, 0, packet.length);
    return C.write(fd, buf, new NativeLong(packet.length)).longValue() == packet.length;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    C.close(fd);
  }
}
