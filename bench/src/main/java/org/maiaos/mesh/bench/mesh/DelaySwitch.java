package org.maiaos.mesh.bench.mesh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import com.sun.jna.Memory;

/**
 * The emulated wide-area link of the mesh benchmark, as a child process in the hub namespace: one
 * TUN device per endpoint namespace (created here, then moved there by {@link Netns}), and every
 * IPv4 packet read from one is written to the device of its destination address after a fixed
 * one-way delay. This kernel has no {@code sch_netem} ({@code CONFIG_NET_SCH_NETEM} is not set),
 * so the delay is kept here, in user space. Packets to or from an address outside the table (and
 * anything not IPv4) are dropped: nothing leaves the namespaces. One FIFO suffices because every
 * packet gets the same delay, so due times are in arrival order.
 *
 * <p>argv: {@code DELAY_MICROS NAME=IPV4 ...}; prints {@code created DEV ...} once the devices
 * exist; runs until its stdin closes, then prints its counters on stderr and exits (its devices
 * go with it). Before that it takes one command per stdin line, each answered by one stdout line
 * once it holds: {@code cut NAME} drops (and counts) every packet to or from that endpoint, those
 * already queued included, answered {@code cut NAME}; {@code heal NAME} ends that, answered
 * {@code heal NAME DROPPED} (packets dropped since the cut). Anything else: {@code error ...}.
 */
public final class DelaySwitch {
  /** Packets in flight at most; more are dropped (and counted): at 25 ms that is 1.6 M packets/s. */
  static final int MAX_QUEUED = 40_000;

  private record Packet(long dueNanos, int from, int to, Tun out, byte[] bytes) {}

  private final long delayNanos;
  private final Map<Integer, Tun> byAddress = new HashMap<>();
  private final Map<String, Integer> addressOf = new HashMap<>();
  /** Cut endpoints' addresses, to their packets dropped since the cut. */
  private final Map<Integer, AtomicLong> cut = new ConcurrentHashMap<>();
  private final BlockingQueue<Packet> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong unroutable = new AtomicLong();
  private final AtomicLong overflow = new AtomicLong();
  private final AtomicLong cutDropped = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong lateNanos = new AtomicLong();
  private final AtomicLong maxLateNanos = new AtomicLong();

  private DelaySwitch(long delayNanos) {
    this.delayNanos = delayNanos;
  }

  public static void main(String[] args) throws Exception {
    DelaySwitch s = new DelaySwitch(TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[0])));
    List<Tun> tuns = new ArrayList<>();
    StringBuilder created = new StringBuilder("created");
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      Tun t = Tun.create(Netns.device(kv[0]));
      tuns.add(t);
      s.byAddress.put(ipv4(kv[1]), t);
      s.addressOf.put(kv[0], ipv4(kv[1]));
      created.append(' ').append(t.name);
    }
    for (Tun t : tuns) s.startReader(t);
    Thread writer = new Thread(s::writeLoop, "bench-switch-writer");
    writer.setDaemon(true);
    writer.setPriority(Thread.MAX_PRIORITY);
    writer.start();
    System.out.println(created);
    System.out.flush();
    // runs until the benchmark closes our stdin (or dies)
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (!line.isBlank()) System.out.println(s.command(line.trim()));
      System.out.flush();
    }
    tuns.forEach(Tun::close);
    long n = Math.max(1, s.forwarded.get());
    System.err.printf("delay-switch: %d packets forwarded, %d unroutable dropped, %d dropped on a full queue, %d dropped by cuts; written after"
        + " their due time by %.3f ms on average, %.1f ms at most, %d (%.1f%%) over 1 ms late%n", s.forwarded.get(), s.unroutable.get(),
        s.overflow.get(), s.cutDropped.get(), s.lateNanos.get() / 1e6 / n, s.maxLateNanos.get() / 1e6, s.late.get(), 100.0 * s.late.get() / n);
    System.exit(0);
  }

  private String command(String line) {
    String[] w = line.split("\\s+");
    Integer a = w.length == 2 ? addressOf.get(w[1]) : null;
    if (a == null) return "error: unknown command or endpoint: " + line;
    if (w[0].equals("cut")) {
      cut.putIfAbsent(a, new AtomicLong());
      return "cut " + w[1];
    }
    if (!w[0].equals("heal")) return "error: unknown command: " + line;
    AtomicLong dropped = cut.remove(a);
    return "heal " + w[1] + " " + (dropped == null ? 0 : dropped.get());
  }

  /** Whether the packet from {@code from} to {@code to} meets a cut endpoint; if so it is counted there. */
  private boolean isCut(int from, int to) {
    if (cut.isEmpty()) return false;
    AtomicLong c = cut.get(from);
    if (c == null) c = cut.get(to);
    if (c == null) return false;
    c.incrementAndGet();
    cutDropped.incrementAndGet();
    return true;
  }

  private void startReader(Tun from) {
    Thread t = new Thread(() -> {
      try (Memory buf = new Memory(Tun.MAX_PACKET_BYTES)) {
        for (int n; (n = from.read(buf)) >= 0; ) {
          long now = System.nanoTime();
          if (n < 20) continue;
          byte[] p = buf.getByteArray(0, n);
          Tun to = (p[0] >> 4) == 4 && byAddress.containsKey(at(p, 12)) ? byAddress.get(at(p, 16)) : null;
          if (to == null || to == from) {
            unroutable.incrementAndGet();
          } else if (isCut(at(p, 12), at(p, 16))) {
            // dropped: the endpoint is cut off
          } else if (!queue.offer(new Packet(now + delayNanos, at(p, 12), at(p, 16), to, p))) {
            overflow.incrementAndGet();
          }
        }
      }
    }, "bench-switch-read-" + from.name);
    t.setDaemon(true);
    t.start();
  }

  private void writeLoop() {
    try (Memory buf = new Memory(Tun.MAX_PACKET_BYTES)) {
      while (true) {
        Packet p = queue.take();
        // checked again when due, so a cut also catches what was on the wire when it came
        if (isCut(p.from, p.to)) continue;
        for (long wait; (wait = p.dueNanos - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
        long behind = System.nanoTime() - p.dueNanos;
        if (behind > 1_000_000) late.incrementAndGet();
        lateNanos.addAndGet(behind);
        maxLateNanos.accumulateAndGet(behind, Math::max);
        if (p.out.write(buf, p.bytes)) forwarded.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int at(byte[] p, int off) {
    return ((p[off] & 0xff) << 24) | ((p[off + 1] & 0xff) << 16) | ((p[off + 2] & 0xff) << 8) | (p[off + 3] & 0xff);
  }

  static int ipv4(String dotted) {
    String[] b = dotted.split("\\.");
    if (b.length != 4) throw new IllegalArgumentException("BAD_ARGUMENT: not an IPv4 address: " + dotted);
    int a = 0;
    for (String x : b) a = (a << 8) | Integer.parseInt(x);
    return a;
  }
}
