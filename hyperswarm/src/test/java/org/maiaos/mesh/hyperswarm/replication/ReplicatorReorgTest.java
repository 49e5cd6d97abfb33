package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/** Replicas following a Java writer that truncated and appended again (a newer fork), over pipes. */
class ReplicatorReorgTest {
  private static final ReplicatorOptions FAST = new ReplicatorOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), 64);

  @TempDir Path tmp;
  @RegisterExtension final Tracked open = new Tracked();


  static byte[] block(String tag, int i) {
    return (tag + " " + i + " " + "y".repeat(i % 40)).getBytes(StandardCharsets.UTF_8);
  }

  private Hypercore writer(int blocks) {
    Hypercore w = open.track(Hypercore.create(tmp.resolve("writer"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build()));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < blocks; i++) batch.add(block("old", i));
    w.append(batch);
    return w;
  }

  private static void reorg(Hypercore w, int to, int added) {
    w.truncate(to);
    List<byte[]> batch = new ArrayList<>();
    for (int i = to; i < to + added; i++) batch.add(block("new", i));
    w.append(batch);
  }

  private Replicator replicator(Hypercore core) {
    return open.track(new Replicator(core, FAST));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within 20 s: " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void aFullReplicaFollowsTheNewForkKeepingTheSharedBlocks() throws Exception {
    Hypercore w = writer(40);
    Hypercore r = open.track(Hypercore.createReplica(tmp.resolve("r"), w.key()));
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "full");
    await(rr.download(0, 40));
    long downloaded = rr.stats().downloadedBlocks();
    reorg(w, 25, 10);
    // the truncation and the append are two heads: the replica may follow both or only the last
    waitFor(() -> r.fork() == 1 && r.length() == 35, "the replica follows fork 1 to length 35");
    assertArrayEquals(w.treeHash(), r.treeHash());
    for (int i = 0; i < 25; i++) assertTrue(r.has(i), "kept " + i);
    for (int i = 25; i < 40; i++) assertFalse(r.has(i), "dropped " + i);
    assertEquals(downloaded, rr.stats().downloadedBlocks(), "no block was fetched to find the ancestor");
    await(rr.download(0, 35));
    for (int i = 0; i < 35; i++) assertArrayEquals(block(i < 25 ? "old" : "new", i), r.get(i), "block " + i);
    assertEquals(downloaded + 10, rr.stats().downloadedBlocks(), "only the new fork's blocks were fetched");
    assertEquals(35L, await(rr.update()));
  }

  @Test
  void aSparseReplicaFollowsAndAWaitingGetIsServedOnTheNewFork() throws Exception {
    Hypercore w = writer(40);
    Hypercore r = open.track(Hypercore.createReplica(tmp.resolve("r"), w.key()));
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "sparse");
    assertArrayEquals(block("old", 5), await(rr.get(5)));
    assertArrayEquals(block("old", 30), await(rr.get(30)));
    reorg(w, 25, 10);
    // asked right after the truncation: whenever it is sent, it is answered on the new fork
    assertArrayEquals(block("new", 31), await(rr.get(31)));
    assertEquals(1, r.fork());
    assertArrayEquals(block("new", 30), await(rr.get(30)), "refetched with the new content");
    assertArrayEquals(block("old", 5), r.getLocal(5).orElseThrow(), "kept");
    assertEquals(35, r.length());
  }

  @Test
  void aReplicaFollowsATruncationWithoutAppends() throws Exception {
    Hypercore w = writer(40);
    Hypercore r = open.track(Hypercore.createReplica(tmp.resolve("r"), w.key()));
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "cut");
    await(rr.download(0, 40));
    w.truncate(17);
    waitFor(() -> r.fork() == 1, "fork 1");
    assertEquals(17, r.length());
    assertTrue(r.has(16));
    assertFalse(r.has(17));
    reorg(w, 10, 3); // fork 2, then appends on it
    waitFor(() -> r.fork() == 2 && r.length() == 13, "fork 2 at length 13");
    assertArrayEquals(block("new", 12), await(rr.get(12)));
    assertArrayEquals(block("old", 9), r.getLocal(9).orElseThrow());
  }

  @Test
  void aRelayOnTheOldForkFollowsAReplicaOnTheNewOneAndNeverTheReverse() throws Exception {
    Hypercore w = writer(40);
    Hypercore fresh = open.track(Hypercore.createReplica(tmp.resolve("fresh"), w.key()));
    Hypercore stale = open.track(Hypercore.createReplica(tmp.resolve("stale"), w.key()));
    Replicator rw = replicator(w);
    Replicator rf = replicator(fresh);
    Replicator rs = replicator(stale);
    PipeChannel[] ws = PipeChannel.connect(rw, rs, "w-stale");
    await(rs.download(0, 40));
    ws[0].close();
    ws[1].close();
    reorg(w, 30, 2);
    PipeChannel.connect(rw, rf, "w-fresh");
    await(rf.download(0, 32));
    assertEquals(1, fresh.fork());
    PipeChannel.connect(rs, rf, "stale-fresh"); // the stale one holds fork 0, 40 blocks
    waitFor(() -> stale.fork() == 1, "the stale replica follows the fresh one");
    assertEquals(32, stale.length());
    assertTrue(stale.has(29));
    assertFalse(stale.has(30));
    assertArrayEquals(block("new", 31), await(rs.get(31)));
    await(rf.peers());
    assertEquals(1, fresh.fork(), "the fresh replica never went back to fork 0");
    assertEquals(32, fresh.length());
  }

  @Test
  void aForgedNewerForkDisconnectsThePeerAndChangesNothing() throws Exception {
    Hypercore w = writer(40);
    Hypercore r = open.track(Hypercore.createReplica(tmp.resolve("r"), w.key()));
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "forged-fork");
    await(rr.download(0, 40));
    byte[] hash = r.treeHash();
    ch[0].tamper = (type, body) -> {
      if (type != MessageType.DATA) return body;
      byte[] b = body.clone();
      b[b.length - 10] ^= 0x10; // inside the signature that ends the fork proof
      return b;
    };
    reorg(w, 25, 10);
    waitFor(() -> ch[0].destroyedWith.get() != null || ch[1].destroyedWith.get() != null, "the forging peer is disconnected");
    HypercoreException why = ch[0].destroyedWith.get() != null ? ch[0].destroyedWith.get() : ch[1].destroyedWith.get();
    assertNotNull(why);
    assertTrue(why.code() == CoreError.INVALID_SIGNATURE || why.code() == CoreError.INVALID_PROOF, why.getMessage());
    await(rr.peers());
    assertEquals(0, r.fork());
    assertEquals(40, r.length());
    assertArrayEquals(hash, r.treeHash());
    for (int i = 0; i < 40; i++) assertTrue(r.has(i));
  }
}
