package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;

/** Replicators wired by in-memory pipes: sparse gets, live updates, misbehaving peers, re-serving. */
class ReplicatorTest {
  private static final ReplicatorOptions FAST = new ReplicatorOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), 64);
  /** Timeouts no test waits out: pending work ends only by a close. */
  private static final ReplicatorOptions SLOW = new ReplicatorOptions(Duration.ofMinutes(5), Duration.ofMinutes(10), 64);

  @TempDir Path tmp;
  @RegisterExtension final Tracked open = new Tracked();


  private static byte[] block(int i) {
    return ("block " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
  }

  private Hypercore writer(int blocks) {
    Hypercore w = open.track(Hypercore.create(tmp.resolve("writer"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build()));
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < blocks; i++) batch.add(block(i));
    w.append(batch);
    return w;
  }

  private Hypercore replica(Hypercore w, String name) {
    return open.track(Hypercore.createReplica(tmp.resolve(name), w.key()));
  }

  private Replicator replicator(Hypercore core) {
    return open.track(new Replicator(core, FAST));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static HypercoreException failureOf(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
    return (HypercoreException) e.getCause();
  }

  /** Why either end of a pipe pair was destroyed; null while both are up. */
  private static HypercoreException destroyedWith(PipeChannel[] ch) {
    return ch[0].destroyedWith.get() != null ? ch[0].destroyedWith.get() : ch[1].destroyedWith.get();
  }

  @Test
  void sparseGetsDownloadOnlyTheBlocksAsked() throws Exception {
    Hypercore w = writer(300);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "w-r");
    assertEquals(300L, await(rr.update()));
    Random rnd = TestSeeds.random("ReplicatorTest.sparse");
    Set<Integer> asked = new HashSet<>();
    for (int k = 0; k < 25; k++) {
      int i = rnd.nextInt(300);
      asked.add(i);
      assertArrayEquals(block(i), await(rr.get(i)));
    }
    assertEquals(asked.size(), rr.stats().downloadedBlocks());
    assertEquals(asked.size(), rw.stats().uploadedBlocks());
    for (int i = 0; i < 300; i++) assertEquals(asked.contains(i), r.has(i), "block " + i);
    assertArrayEquals(w.treeHash(), r.treeHash());
  }

  @Test
  void downloadFetchesAWholeRangeAndSkipsWhatIsLocal() throws Exception {
    Hypercore w = writer(2000);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "download");
    await(rr.get(10));
    await(rr.download(0, 2000));
    for (int i = 0; i < 2000; i++) assertArrayEquals(block(i), r.get(i));
    assertEquals(2000, rr.stats().downloadedBlocks(), "block 10 was not fetched twice");
  }

  @Test
  void aReplicaReadsATruncatedCoreAtItsNewFork() throws Exception {
    Hypercore w = writer(40);
    w.truncate(20);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "fork");
    assertEquals(20L, await(rr.update()));
    assertEquals(1, r.fork());
    assertArrayEquals(block(0), await(rr.get(0)));
    assertArrayEquals(block(19), await(rr.get(19)));
  }

  @Test
  void liveAppendsReachTheReplica() throws Exception {
    Hypercore w = writer(3);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel.connect(rw, rr, "live");
    assertEquals(3L, await(rr.update()));
    w.append(List.of(block(3), block(4)));
    assertArrayEquals(block(4), await(rr.get(4)), "a get past the known length waits for the upgrade");
    assertEquals(5L, await(rr.update()));
    assertEquals(5, r.length());
  }

  @Test
  void aSparseReplicaReservesWhatItHolds() throws Exception {
    Hypercore w = writer(64);
    Hypercore r1 = replica(w, "r1");
    Hypercore r2 = replica(w, "r2");
    Replicator rw = replicator(w);
    Replicator rr1 = replicator(r1);
    Replicator rr2 = replicator(r2);
    PipeChannel.connect(rw, rr1, "w-r1");
    await(rr1.get(40));
    await(rr1.get(7));
    PipeChannel.connect(rr1, rr2, "r1-r2"); // r2 only knows r1
    assertArrayEquals(block(40), await(rr2.get(40)));
    assertArrayEquals(block(7), await(rr2.get(7)));
    HypercoreException e = assertThrows(ExecutionException.class, () -> rr2.get(8).get(20, TimeUnit.SECONDS)).getCause() instanceof HypercoreException he ? he : null;
    assertNotNull(e);
    assertEquals(CoreError.REQUEST_TIMEOUT, e.code(), "r1 does not have block 8");
    assertEquals(2, rr2.stats().downloadedBlocks());
  }

  @Test
  void tamperedDataDisconnectsThePeerStoresNothingAndAnotherPeerServes() throws Exception {
    Hypercore w = writer(50);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    Hypercore honest = replica(w, "honest");
    Replicator rh = replicator(honest);
    PipeChannel.connect(rw, rh, "w-honest");
    await(rh.get(30));

    PipeChannel[] evil = PipeChannel.connect(rw, rr, "evil", (type, body) -> {
      if (type != MessageType.DATA || body.length < 40) return body;
      byte[] b = body.clone();
      b[b.length - 1] ^= 1; // a bit in the last node hash or signature
      return b;
    });
    CompletableFuture<byte[]> got = rr.get(30);
    HypercoreException why = null;
    for (int i = 0; i < 2000 && why == null; i++) { // the tampering peer is the only one: it must be caught
      why = destroyedWith(evil);
      if (why == null) await(rr.peers());
    }
    assertNotNull(why, "the tampering peer was disconnected");
    assertFalse(got.isDone(), "nothing was accepted from it");
    PipeChannel.connect(rh, rr, "honest-r");
    assertArrayEquals(block(30), await(got));
    assertTrue(why.code() == CoreError.INVALID_PROOF || why.code() == CoreError.INVALID_SIGNATURE, why.getMessage());
    assertFalse(r.has(29));
  }

  /**
   * A {@code data} message is decoded and its block's leaf hashed on the thread that received it,
   * before the replicator thread sees it, for small and big blocks alike: a block changed on the
   * way is refused (its leaf no longer fits the proof) and a message cut short disconnects with
   * DECODING_ERROR; nothing of either is stored. The replica has the head first, so the block comes
   * as a plain proof of a run.
   */
  @Test
  void aChangedBlockOrACutDataMessageDisconnectsThePeerAndStoresNothing() throws Exception {
    for (int size : new int[] {40, 20_000}) {
      Hypercore w = open.track(Hypercore.create(tmp.resolve("w" + size), HypercoreOptions.builder().keyPair(Ed25519.keyPair()).build()));
      List<byte[]> blocks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        byte[] b = new byte[size];
        new Random(i).nextBytes(b);
        blocks.add(b);
      }
      w.append(blocks);
      Replicator rw = replicator(w);
      byte[] wanted = blocks.get(30);
      // both touch only the message that carries block 30, halfway into the block's bytes
      BiFunction<Integer, byte[], byte[]> changeBlock = (type, body) -> {
        int at = type == MessageType.DATA ? indexOf(body, wanted) : -1;
        if (at < 0) return body;
        byte[] b = body.clone();
        b[at + wanted.length / 2] ^= 1;
        return b;
      };
      BiFunction<Integer, byte[], byte[]> cut = (type, body) -> {
        int at = type == MessageType.DATA ? indexOf(body, wanted) : -1;
        return at < 0 ? body : Arrays.copyOf(body, at + wanted.length / 2);
      };
      for (int t = 0; t < 2; t++) {
        String name = (t == 0 ? "changed-" : "cut-") + size;
        Hypercore r = replica(w, name);
        Replicator rr = replicator(r);
        PipeChannel[] ch = PipeChannel.connect(rw, rr, name, t == 0 ? changeBlock : cut);
        await(rr.update()); // the upgrade's answer carries no block: neither tamper touches it
        CompletableFuture<byte[]> got = rr.get(30);
        HypercoreException why = null;
        for (int i = 0; i < 2000 && why == null; i++) {
          why = destroyedWith(ch);
          if (why == null) await(rr.peers());
        }
        assertNotNull(why, name + ": the peer was disconnected");
        assertEquals(t == 0 ? CoreError.INVALID_PROOF : CoreError.DECODING_ERROR, why.code(), name + ": " + why.getMessage());
        assertFalse(got.isDone(), name + ": nothing was accepted");
        assertFalse(r.has(30), name + ": nothing was stored");
        assertEquals(50, r.length(), name + ": the head came through");
      }
    }
  }

  private static int indexOf(byte[] body, byte[] part) {
    for (int at = 0; at + part.length <= body.length; at++) {
      if (Arrays.equals(body, at, at + part.length, part, 0, part.length)) return at;
    }
    return -1;
  }

  @Test
  void aForgedUpgradeIsRejectedAndTheReplicaKeepsItsHead() throws Exception {
    Hypercore w = writer(20);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "forged-upgrade", (type, body) -> {
      if (type != MessageType.DATA) return body;
      byte[] b = body.clone();
      b[b.length - 70 - 10] ^= 0x10; // inside the 68-byte signature: the 70-byte manifest follows it
      return b;
    });
    assertEquals(CoreError.REQUEST_TIMEOUT, failureOf(rr.update()).code(), "no honest peer left to upgrade from");
    HypercoreException why = destroyedWith(ch);
    assertNotNull(why, "the forging peer was disconnected");
    assertTrue(why.code() == CoreError.INVALID_SIGNATURE || why.code() == CoreError.INVALID_PROOF, why.getMessage());
    assertEquals(0, r.length(), "nothing of the forged upgrade was stored");
  }

  @Test
  void wrongCapabilityDestroysTheStream() throws Exception {
    Hypercore w = writer(2);
    Hypercore other = open.track(Hypercore.create(tmp.resolve("other"), HypercoreOptions.defaults()));
    Replicator rw = replicator(w);
    Replicator ro = replicator(other);
    PipeChannel[] ch = PipeChannel.connect(rw, ro, "mismatch"); // different cores, so capabilities differ
    Thread.onSpinWait();
    await(rw.peers()); // drain the replicator threads
    await(ro.peers());
    HypercoreException why = destroyedWith(ch);
    assertNotNull(why);
    assertEquals(CoreError.INVALID_CAPABILITY, why.code());
  }

  @Test
  void aSilentPeerTimesOutAndTheGetFailsCleanly() throws Exception {
    Hypercore w = writer(10);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "silent");
    assertEquals(10L, await(rr.update()));
    ch[0].tamper = (type, body) -> type == MessageType.DATA || type == MessageType.NO_DATA ? null : body;
    assertEquals(CoreError.REQUEST_TIMEOUT, failureOf(rr.get(3)).code());
    assertEquals(0, rr.stats().downloadedBlocks());
  }

  @Test
  void cancellingAGetFreesItsRequest() throws Exception {
    Hypercore w = writer(10);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "cancel");
    assertEquals(10L, await(rr.update()));
    ch[0].tamper = (type, body) -> type == MessageType.DATA ? null : body;
    CompletableFuture<byte[]> f = rr.get(5);
    f.cancel(true);
    await(rr.peers());
    await(rr.peers());
    assertEquals(0, rr.pendingWaits());
  }

  @Test
  void closeFailsEveryPendingGetDownloadAndUpdateWithSessionClosed() throws Exception {
    Hypercore w = writer(10);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = new Replicator(r, SLOW);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "close");
    assertEquals(10L, await(rr.update()));
    ch[0].tamper = (type, body) -> type == MessageType.DATA || type == MessageType.NO_DATA ? null : body;
    CompletableFuture<byte[]> get = rr.get(3);
    CompletableFuture<Void> download = rr.download(0, 10);
    // a replica with no peer: its update waits for one
    Replicator lonely = new Replicator(replica(w, "lonely"), SLOW);
    CompletableFuture<Long> update = lonely.update();
    CompletableFuture<byte[]> lonelyGet = lonely.get(0);
    assertEquals(11, await(rr.waitingBlocks()) + await(lonely.waitingBlocks()), "all registered on the replicator threads");
    assertFalse(get.isDone() || download.isDone() || update.isDone() || lonelyGet.isDone(), "nothing answers within the 5 min timeouts");
    rr.close();
    lonely.close();
    for (CompletableFuture<?> f : List.of(get, download, update, lonelyGet)) assertEquals(CoreError.SESSION_CLOSED, failureOf(f).code());
  }

  @Test
  void workHandedToAClosedReplicatorFailsWithSessionClosed() throws Exception {
    Hypercore w = writer(4);
    Hypercore r = replica(w, "r");
    Replicator rr = new Replicator(r, FAST);
    rr.close();
    rr.close(); // idempotent
    assertEquals(CoreError.SESSION_CLOSED, failureOf(rr.get(1)).code());
    assertEquals(CoreError.SESSION_CLOSED, failureOf(rr.download(0, 4)).code());
    assertEquals(CoreError.SESSION_CLOSED, failureOf(rr.update()).code());
    assertEquals(CoreError.SESSION_CLOSED, failureOf(rr.peers()).code());
  }

  @Test
  void workRacingWithCloseStillCompletes() throws Exception {
    Hypercore w = writer(4);
    for (int round = 0; round < 20; round++) {
      Hypercore r = Hypercore.createReplica(tmp.resolve("race" + round), w.key());
      Replicator rr = new Replicator(r, FAST);
      List<CompletableFuture<?>> pending = new ArrayList<>();
      Thread asker = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          pending.add(rr.get(i % 4));
          pending.add(rr.peers());
          pending.add(rr.download(0, 4));
        }
      }, "test-asker");
      asker.start();
      rr.close();
      asker.join(20_000);
      for (CompletableFuture<?> f : pending) {
        try {
          f.get(20, TimeUnit.SECONDS); // peers() may have answered before the close
        } catch (ExecutionException e) {
          assertEquals(CoreError.SESSION_CLOSED, ((HypercoreException) e.getCause()).code());
        }
      }
      r.close();
    }
  }

  @Test
  void hypercoreGetOnAReplicaEndsWhenItsReplicatorCloses() throws Exception {
    Hypercore w = writer(10);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = new Replicator(r, SLOW);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "core-get");
    assertEquals(10L, await(rr.update()));
    ch[0].tamper = (type, body) -> type == MessageType.DATA || type == MessageType.NO_DATA ? null : body;
    CompletableFuture<byte[]> viaCore = CompletableFuture.supplyAsync(() -> r.get(4));
    while (await(rr.waitingBlocks()) == 0) Thread.onSpinWait(); // Hypercore.get has asked the replicator
    rr.close();
    assertEquals(CoreError.SESSION_CLOSED, failureOf(viaCore).code());
  }

  @Test
  void extensionMessagesRoundTrip() throws Exception {
    Hypercore w = writer(1);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    CompletableFuture<String> got = new CompletableFuture<>();
    rw.registerExtension("echo", (peer, msg) -> rw.sendExtension(peer, "echo", ("re: " + new String(msg, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
    rr.registerExtension("echo", (peer, msg) -> got.complete(new String(msg, StandardCharsets.UTF_8)));
    PipeChannel.connect(rw, rr, "ext");
    await(rr.update());
    rr.broadcastExtension("echo", "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals("re: hello", await(got));
  }

  @Test
  void answersWaitWhileTheConnectionIsFullAndFollowInOrderOnceItDrains() throws Exception {
    Hypercore w = writer(50);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "full");
    assertEquals(50L, await(rr.update()));
    ch[0].writable = false; // the writer's side of the connection is full
    java.util.List<java.util.concurrent.CompletableFuture<byte[]>> gets = new java.util.ArrayList<>();
    for (int i = 10; i < 20; i++) gets.add(rr.get(i));
    Thread.sleep(300);
    for (var g : gets) assertFalse(g.isDone(), "no answer leaves while the connection is full");
    assertEquals(0, rw.stats().uploadedBlocks());
    ch[0].writable = true;
    for (int i = 0; i < gets.size(); i++) assertArrayEquals(block(10 + i), await(gets.get(i)));
    assertEquals(10, rw.stats().uploadedBlocks());
  }

  @Test
  void aPeerThatKeepsAskingWhileNotReadingIsDroppedAtTheBound() throws Exception {
    Hypercore w = writer(5);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "greedy");
    assertEquals(5L, await(rr.update()));
    ch[0].writable = false;
    Peer writerSide = ch[1].remote; // the writer's Peer for this connection: what the reader's messages reach
    for (int i = 0; i <= Replicator.MAX_DEFERRED_REQUESTS; i++) {
      org.maiaos.mesh.hypercore.tree.Request m = new org.maiaos.mesh.hypercore.tree.Request(1000 + i, w.fork(),
          new org.maiaos.mesh.hypercore.tree.RequestBlock(i % 5, 0), null, null, null, false, 1);
      writerSide.onMessage(MessageType.REQUEST, Peer.encode(m, org.maiaos.mesh.hypercore.tree.Request::preencode,
          org.maiaos.mesh.hypercore.tree.Request::encode));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (destroyedWith(ch) == null && System.nanoTime() < deadline) Thread.sleep(10);
    HypercoreException e = destroyedWith(ch);
    assertNotNull(e, "dropped at the bound");
    assertEquals(CoreError.INVALID_OPERATION, e.code());
    assertTrue(e.getMessage().contains("does not read"), e.getMessage());
    assertEquals(0, rw.stats().uploadedBlocks());
  }
  @Test
  void aHugeWantIsAnsweredFromTheHeldBitfieldWithExactlyTheBlocksHeld() throws Exception {
    Hypercore w = writer(100);
    Hypercore r = replica(w, "r");
    Replicator rw = replicator(w);
    Replicator rr = replicator(r);
    PipeChannel[] ch = PipeChannel.connect(rw, rr, "wanting");
    assertEquals(100L, await(rr.update()));
    for (int i : new int[] {3, 40, 77}) await(rr.get(i));
    Peer readerSide = ch[0].remote; // the reader's Peer for this connection: what the writer's messages reach
    Peer writerSide = ch[1].remote;
    // 2^21 blocks asked in 6 bytes: answered a word at a time, clipped at the length
    readerSide.onMessage(MessageType.WANT, Peer.encode(new org.maiaos.mesh.hyperswarm.wire.Want(0, 2_097_152, false),
        org.maiaos.mesh.hyperswarm.wire.Want::preencode, org.maiaos.mesh.hyperswarm.wire.Want::encode));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!writerSide.remoteHas(77) && System.nanoTime() < deadline) Thread.sleep(10);
    for (int i = 0; i < 128; i++) {
      assertEquals(i == 3 || i == 40 || i == 77, writerSide.remoteHas(i), "block " + i);
    }
  }
}
