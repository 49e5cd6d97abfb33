package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;

/**
 * A peer that asks for more than 1 GiB of blocks and never reads: the writer holds its requests,
 * not their answers, so the heap stays within a stated bound while it piles them up; another
 * peer is served meanwhile; at the request bound the greedy peer is dropped with its reason.
 */
class GreedyPeerTest {
  private static final ReplicatorOptions FAST = new ReplicatorOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), 64);
  private static final int BLOCK = 256 << 10;
  private static final int BLOCKS = 64;
  /** What the flood may add to the heap: a few answers in flight, never the GiB asked for. */
  private static final long HEAP_BOUND = 64L << 20;
  @RegisterExtension final Tracked open = new Tracked();
  @TempDir Path tmp;


  private static byte[] block(int i) {
    byte[] b = new byte[BLOCK];
    new Random(i).nextBytes(b);
    return b;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    System.gc();
    return m.getHeapMemoryUsage().getUsed();
  }

  @Test
  void aPeerAskingForAGibibyteWithoutReadingCostsBoundedHeapAndOthersAreServed() throws Exception {
    Hypercore w = open.track(Hypercore.create(tmp.resolve("writer"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build()));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < BLOCKS; i++) batch.add(block(i));
    w.append(batch);
    Replicator rw = open.track(new Replicator(w, FAST));

    Hypercore greedy = open.track(Hypercore.createReplica(tmp.resolve("greedy"), w.key()));
    Replicator rg = open.track(new Replicator(greedy, FAST));
    PipeChannel[] g = PipeChannel.connect(rw, rg, "greedy");
    assertEquals((long) BLOCKS, rg.update().get(20, TimeUnit.SECONDS));
    g[0].writable = false; // the writer's side of the greedy connection: nothing it sends is read any more
    Peer writerSide = g[1].remote;

    long before = usedHeapAfterGc();
    int requests = Replicator.MAX_DEFERRED_REQUESTS; // 4,096 x 256 KiB: 1 GiB asked for
    for (int i = 0; i < requests; i++) {
      Request m = new Request(1000 + i, w.fork(), new RequestBlock(i % BLOCKS, 0), null, null, null, false, 1);
      writerSide.onMessage(MessageType.REQUEST, Peer.encode(m, Request::preencode, Request::encode));
    }

    // another peer is served meanwhile, all of it
    Hypercore good = open.track(Hypercore.createReplica(tmp.resolve("good"), w.key()));
    Replicator rgood = open.track(new Replicator(good, FAST));
    PipeChannel.connect(rw, rgood, "good");
    assertEquals((long) BLOCKS, rgood.update().get(20, TimeUnit.SECONDS));
    rgood.download(0, BLOCKS).get(60, TimeUnit.SECONDS);
    for (int i = 0; i < BLOCKS; i += 9) assertArrayEquals(block(i), good.get(i));

    long grown = usedHeapAfterGc() - before;
    System.out.printf("GreedyPeerTest: %d requests for %d MiB held; heap grew by %.1f MiB (bound %d MiB)%n", requests,
        (long) requests * BLOCK >> 20, grown / 1048576.0, HEAP_BOUND >> 20);
    assertTrue(grown < HEAP_BOUND, "1 GiB asked for by a peer that does not read grew the heap by " + grown + " bytes (bound " + HEAP_BOUND + ")");
    assertEquals(null, g[0].destroyedWith.get(), "at the bound, not over it: still connected");

    // one request more and it is dropped, with the reason
    Request over = new Request(1000 + requests, w.fork(), new RequestBlock(0, 0), null, null, null, false, 1);
    writerSide.onMessage(MessageType.REQUEST, Peer.encode(over, Request::preencode, Request::encode));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (g[0].destroyedWith.get() == null && g[1].destroyedWith.get() == null && System.nanoTime() < deadline) Thread.sleep(10);
    HypercoreException e = g[0].destroyedWith.get() != null ? g[0].destroyedWith.get() : g[1].destroyedWith.get();
    assertNotNull(e, "dropped once over the bound");
    assertEquals(CoreError.INVALID_OPERATION, e.code());
    assertTrue(e.getMessage().contains("does not read"), e.getMessage());
  }
}
