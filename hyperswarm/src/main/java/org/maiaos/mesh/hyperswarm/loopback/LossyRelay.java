package org.maiaos.mesh.hyperswarm.loopback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP forwarder on 127.0.0.1 between two peers that drops, duplicates and reorders datagrams
 * with a seeded RNG. Peer A talks to {@link #portForA()}, peer B to {@link #portForB()}; each
 * direction has its own thread and RNG. A peer's address given as null is learned from its first
 * datagram (until then datagrams towards it are dropped).
 */
public final class LossyRelay implements AutoCloseable {
  private static final int HOLD_TIMEOUT_MS = 5;

  private final DatagramSocket facingA;
  private final DatagramSocket facingB;
  private final Thread aToB;
  private final Thread bToA;
  private volatile boolean closed;
  private volatile InetSocketAddress a;
  private volatile InetSocketAddress b;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong reordered = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();

  /** {@code a} and {@code b} are the real peers' addresses; probabilities in [0, 1]. */
  public LossyRelay(InetSocketAddress a, InetSocketAddress b, double drop, double dup, double reorder, long seed)
      throws IOException {
    this.a = a;
    this.b = b;
    facingA = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    facingB = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    facingA.setReceiveBufferSize(4 << 20);
    facingB.setReceiveBufferSize(4 << 20);
    aToB = new Thread(() -> pump(facingA, facingB, true, new Random(seed), drop, dup, reorder), "hyperswarm-relay-ab");
    bToA = new Thread(() -> pump(facingB, facingA, false, new Random(seed * 31 + 7), drop, dup, reorder), "hyperswarm-relay-ba");
    aToB.setDaemon(true);
    bToA.setDaemon(true);
    aToB.start();
    bToA.start();
  }

  public int portForA() {
    return facingA.getLocalPort();
  }

  public int portForB() {
    return facingB.getLocalPort();
  }

  /** Datagrams dropped, duplicated, held back to be overtaken, and sent on (each copy counts), both directions. */
  public long dropped() {
    return dropped.get();
  }

  public long duplicated() {
    return duplicated.get();
  }

  public long reordered() {
    return reordered.get();
  }

  public long forwarded() {
    return forwarded.get();
  }

  private void pump(DatagramSocket in, DatagramSocket out, boolean fromA, Random rng, double drop, double dup,
      double reorder) {
    InetSocketAddress to = null;
    ArrayDeque<byte[]> held = new ArrayDeque<>();
    byte[] buf = new byte[65536];
    try {
      in.setSoTimeout(HOLD_TIMEOUT_MS);
      while (!closed) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          in.receive(p);
        } catch (SocketTimeoutException e) {
          while (!held.isEmpty() && to != null) send(out, held.poll(), to); // nothing came to pass them: release
          continue;
        }
        if (fromA && a == null) a = (InetSocketAddress) p.getSocketAddress();
        if (!fromA && b == null) b = (InetSocketAddress) p.getSocketAddress();
        to = fromA ? b : a;
        if (to == null) continue;
        byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
        double r = rng.nextDouble();
        if (r < drop) {
          dropped.incrementAndGet();
          continue;
        }
        if (rng.nextDouble() < reorder && held.size() < 4) {
          reordered.incrementAndGet();
          held.add(data); // overtaken by the next datagram(s)
          continue;
        }
        send(out, data, to);
        if (rng.nextDouble() < dup) {
          duplicated.incrementAndGet();
          send(out, data, to);
        }
        while (!held.isEmpty()) send(out, held.poll(), to);
      }
    } catch (IOException e) {
      if (!closed) throw new IllegalStateException(e);
    }
  }

  private void send(DatagramSocket out, byte[] data, InetSocketAddress to) throws IOException {
    forwarded.incrementAndGet();
    out.send(new DatagramPacket(data, data.length, to));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    facingA.close();
    facingB.close();
    aToB.join(5000);
    bToA.join(5000);
  }
}
