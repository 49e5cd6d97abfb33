package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/**
 * 1,000 connect / replicate / disconnect cycles between a Java writer and a Java replica over TCP
 * leak no threads, no file handles and no Netty buffers (paranoid leak detection, counted).
 */
class ConnectionCycleIT {
  private static final int CYCLES = 1000;
  private static final AtomicInteger LEAKS = new AtomicInteger();

  static {
    // before any Netty buffer class loads in this JVM (failsafe runs each IT class in its own fork)
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new CountingLeaks());
  }

  @TempDir Path tmp;

  @Test
  void theLeakCounterSeesALeak() throws Exception {
    int before = LEAKS.get();
    for (int i = 0; i < 50 && LEAKS.get() == before; i++) {
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(i); // dropped unreleased
      System.gc();
      Thread.sleep(10); // lets the GC enqueue the phantom reference; no timing is asserted
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).release(); // detection runs on allocation
    }
    assertTrue(LEAKS.get() > before, "the counting leak detector is not in effect");
    LEAKS.set(0);
  }

  @Test
  void thousandCyclesLeakNothing() throws Exception {
    LEAKS.set(0);
    try (Hypercore w = Hypercore.create(tmp.resolve("w"), HypercoreOptions.defaults());
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key());
        Replicator rw = new Replicator(w);
        Replicator rr = new Replicator(r);
        TcpPeers net = new TcpPeers()) {
      for (int i = 0; i < CYCLES; i++) w.append(("block " + i).getBytes(StandardCharsets.UTF_8));
      Channel server = net.listen(false, List.of(rw));
      int port = TcpPeers.port(server);
      int threadsBefore = -1;
      long fdsBefore = -1;
      for (int i = 0; i < CYCLES; i++) {
        Channel c = net.connect(port, true, List.of(rr));
        rr.get(i).get(30, TimeUnit.SECONDS); // one real request/response per cycle
        c.close().sync();
        awaitNoPeers(rr);
        awaitNoPeers(rw);
        if (i == 49) { // after warm-up: pools and event loop threads exist
          System.gc();
          threadsBefore = Thread.activeCount();
          fdsBefore = openFds();
        }
      }
      System.gc();
      int threadsAfter = Thread.activeCount();
      long fdsAfter = openFds();
      System.out.printf("ConnectionCycleIT: %d cycles; threads %d -> %d; open fds %d -> %d; leaks %d%n",
          CYCLES, threadsBefore, threadsAfter, fdsBefore, fdsAfter, LEAKS.get());
      assertEquals(CYCLES, rr.stats().downloadedBlocks());
      assertTrue(threadsAfter <= threadsBefore + 2, "threads grew from " + threadsBefore + " to " + threadsAfter);
      if (fdsBefore >= 0) assertTrue(fdsAfter <= fdsBefore + 8, "open fds grew from " + fdsBefore + " to " + fdsAfter);
      assertEquals(0, LEAKS.get(), "Netty reported leaked buffers");
    }
  }

  /** Waits (bounded) until the replicator has forgotten every peer of closed connections. */
  private static void awaitNoPeers(Replicator r) throws Exception {
    for (int k = 0; k < 2000; k++) {
      if (r.peers().get(10, TimeUnit.SECONDS).isEmpty()) return;
      Thread.onSpinWait();
      Thread.yield();
    }
    throw new AssertionError("peers still attached after close");
  }

  private static long openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Counts every leak report instead of only logging it. */
  static final class CountingLeaks extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          LEAKS.incrementAndGet();
          super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          LEAKS.incrementAndGet();
          super.reportUntracedLeak(resourceType);
        }
      };
    }
  }
}
