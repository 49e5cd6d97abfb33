package org.maiaos.mesh.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.keys.KeyLayout;
import org.maiaos.mesh.cojson.storage.keys.SessionChunk;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.hyperbee.Entry;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.Range;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.replication.BlockFetcher;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;

/** What is particular to the Hyperbee backend: the key layout in use, one append per store, reading another node's bee. */
class HyperbeeStorageTest {
  @TempDir Path tmp;

  private static List<Entry<byte[], byte[]>> keysOf(Hyperbee<byte[], byte[]> bee, String id) {
    List<Entry<byte[], byte[]>> out = new ArrayList<>();
    bee.iterator(Range.<byte[]>all().gte(KeyLayout.coValueStart(id)).lt(KeyLayout.coValueEnd(id))).forEachRemaining(out::add);
    return out;
  }

  @Test
  void eachStoreIsOneAtomicAppendAndSmallSlicesShareChunks() {
    try (HyperbeeStorage s = HyperbeeStorage.open(tmp.resolve("bee"))) {
      CoValueHeader h = Synthetic.header("layout");
      String ses = Synthetic.session(1);
      // the bee's own header block (block 0) comes with the first write ever; count from then on
      s.store(Synthetic.content(Synthetic.header("first"), true, ses, Synthetic.slice(ses, 0, 1, 10)), null, null);
      AtomicInteger appends = new AtomicInteger();
      s.bee().core().replication().addHeadListener((a, b) -> appends.incrementAndGet());
      s.store(Synthetic.content(h, true, ses, Synthetic.slice(ses, 0, 20, 50)), null, null);
      assertEquals(1, appends.get(), "one store, one core append");
      for (int i = 20; i < 120; i++) s.store(Synthetic.content(h, false, ses, Synthetic.slice(ses, i, 1, 50)), null, null);
      assertEquals(101, appends.get());
      List<Entry<byte[], byte[]>> keys = keysOf(s.bee(), h.coValueId());
      long chunks = keys.stream().filter(e -> KeyLayout.kindOf(e.key(), h.coValueId()) == 's').count();
      assertTrue(chunks >= 2 && chunks <= 10, "120 transactions in " + chunks + " chunks, not one key each");
      assertEquals(chunks + 1, keys.size(), "header + chunks (the record lies in its own range)");
      assertTrue(s.bee().get(KeyLayout.record(h.coValueId())).isPresent());
      assertEquals(120, s.loadKnownState(h.coValueId()).orElseThrow().count(ses));
    }
  }

  @Test
  void aSliceCrossingTheSignatureThresholdSealsItsChunk() {
    try (HyperbeeStorage s = HyperbeeStorage.open(tmp.resolve("bee"))) {
      CoValueHeader h = Synthetic.header("sealed");
      String ses = Synthetic.session(1);
      s.store(Synthetic.content(h, true, ses, Synthetic.slice(ses, 0, 3, 40_000)), null, null);
      s.store(Synthetic.content(h, false, ses, Synthetic.slice(ses, 3, 1, 100)), null, null);
      List<SessionChunk> chunks = new ArrayList<>();
      for (Entry<byte[], byte[]> e : keysOf(s.bee(), h.coValueId())) {
        if (KeyLayout.kindOf(e.key(), h.coValueId()) == 's') chunks.add(SessionChunk.decode(KeyLayout.parseChunk(e.key(), h.coValueId()).firstIdx(), e.value()));
      }
      assertEquals(2, chunks.size(), "a sealed chunk is never extended");
      assertEquals(Synthetic.signature(ses, 2), chunks.get(0).signature());
      assertTrue(chunks.get(0).sealed());
      assertEquals(Synthetic.signature(ses, 3), chunks.get(1).signature(), "every chunk ends with the session's signature there");
      assertFalse(chunks.get(1).sealed());
    }
  }

  @Test
  void aReadOnlyReplicaOfAnotherNodesBeeLoadsWhatTheWriterStored() {
    Path writerDir = tmp.resolve("writer");
    CoValueHeader h = Synthetic.header("remote");
    String a = Synthetic.session(1);
    String b = Synthetic.session(2);
    Map<String, SessionNewContent> two = new LinkedHashMap<>();
    two.put(a, Synthetic.slice(a, 0, 4, 60_000));
    two.put(b, Synthetic.slice(b, 0, 2, 100));
    try (HyperbeeStorage writer = HyperbeeStorage.open(writerDir)) {
      writer.store(Synthetic.content(h, true, two), null, null);
      writer.store(Synthetic.content(h, false, a, Synthetic.slice(a, 4, 3, 60_000)), null, null);
      Hypercore w = writer.bee().core();
      List<ContentMessage> expected = new ArrayList<>();
      writer.load(h.coValueId(), expected::add, null);
      try (Hypercore replica = Hypercore.createReplica(tmp.resolve("replica"), w.key(), w.manifest())) {
        replica.replication().verifyAndStore(w.replication().proof(new Request(1, 0, null, null, null, new RequestUpgrade(0, w.length()), false, 0)));
        try (HyperbeeStorage sparse = HyperbeeStorage.readOnly(Hyperbee.open(replica))) {
          HypercoreException e = assertThrows(HypercoreException.class, () -> sparse.loadKnownState(h.coValueId()));
          assertEquals(CoreError.BLOCK_NOT_AVAILABLE, e.code(), "no block fetched yet: the read says so, it does not guess");
        }
        for (long i = 0; i < w.length(); i++) {
          replica.replication().verifyAndStore(w.replication().proof(new Request(2 + i, 0, new RequestBlock(i, replica.replication().missingNodes(2 * i)), null, null, null, false, 0)));
        }
        try (HyperbeeStorage remote = HyperbeeStorage.readOnly(Hyperbee.open(replica))) {
          List<ContentMessage> got = new ArrayList<>();
          remote.load(h.coValueId(), got::add, null);
          assertEquals(expected, got);
          assertTrue(got.size() >= 2, "streamed in pieces: " + got.size());
          assertEquals(Map.of(a, 7L, b, 2L), remote.loadKnownState(h.coValueId()).orElseThrow().sessions());
          assertEquals(List.of(h.coValueId()), remote.getCoValueIDs(10, 0));
          HypercoreException e = assertThrows(HypercoreException.class,
              () -> remote.store(Synthetic.content(h, false, b, Synthetic.slice(b, 2, 1, 10)), null, null));
          assertEquals(StorageError.READ_ONLY, e.code());
          assertEquals(2, remote.loadKnownState(h.coValueId()).orElseThrow().count(b));
        }
      }
    }
  }

  /** A fetcher that proves blocks from the writer, except on the thread named "slow-reader", where it waits for {@code gate}. */
  private static BlockFetcher provingFrom(Hypercore w, Hypercore replica, CompletableFuture<byte[]> gate) {
    return BlockFetcher.of(Duration.ofMinutes(10), index -> {
      if (Thread.currentThread().getName().equals("slow-reader")) return gate;
      synchronized (replica) {
        replica.replication().verifyAndStore(w.replication().proof(
            new Request(1, 0, new RequestBlock(index, replica.replication().missingNodes(2 * index)), null, null, null, false, 0)));
      }
      return CompletableFuture.completedFuture(replica.getLocal(index).orElseThrow());
    });
  }

  @Test
  void aReadOnlyStorageWaitingOnTheNetworkDoesNotHoldUpOtherCalls() throws Exception {
    CoValueHeader h1 = Synthetic.header("slow");
    CoValueHeader h2 = Synthetic.header("fast");
    String a = Synthetic.session(1);
    try (HyperbeeStorage writer = HyperbeeStorage.open(tmp.resolve("writer"))) {
      writer.store(Synthetic.content(h1, true, a, Synthetic.slice(a, 0, 2, 100)), null, null);
      writer.store(Synthetic.content(h2, true, a, Synthetic.slice(a, 0, 3, 100)), null, null);
      Hypercore w = writer.bee().core();
      try (Hypercore replica = Hypercore.createReplica(tmp.resolve("replica"), w.key(), w.manifest())) {
        replica.replication().verifyAndStore(w.replication().proof(new Request(1, 0, null, null, null, new RequestUpgrade(0, w.length()), false, 0)));
        CompletableFuture<byte[]> gate = new CompletableFuture<>();
        replica.replication().setBlockFetcher(provingFrom(w, replica, gate));
        try (HyperbeeStorage remote = HyperbeeStorage.readOnly(Hyperbee.open(replica))) {
          CompletableFuture<Object> slow = new CompletableFuture<>();
          Thread reader = new Thread(() -> {
            try {
              slow.complete(remote.loadKnownState(h1.coValueId()));
            } catch (RuntimeException e) {
              slow.completeExceptionally(e);
            }
          }, "slow-reader");
          reader.start();
          // the other calls go on while the slow reader waits for its first block (the bee's root)
          CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> remote.loadKnownState(h2.coValueId()).orElseThrow().count(a));
          assertEquals(3L, other.get(60, TimeUnit.SECONDS), "not held up behind the network wait");
          assertEquals(List.of(h1.coValueId(), h2.coValueId()).stream().sorted().toList(),
              CompletableFuture.supplyAsync(() -> remote.getCoValueIDs(10, 0)).get(60, TimeUnit.SECONDS).stream().sorted().toList());
          assertFalse(slow.isDone(), "the slow read still waits for the network");
          gate.completeExceptionally(CoreError.REQUEST_CANCELLED.error("released by the test"));
          reader.join(60_000);
          HypercoreException e = assertThrows(HypercoreException.class, () -> {
            try {
              slow.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException x) {
              throw x.getCause();
            }
          });
          assertEquals(CoreError.REQUEST_CANCELLED, e.code(), "the slow read ends with its network wait");
        }
      }
    }
  }

  @Test
  void aCallThatCannotHaveTheLockInTimeFailsWithRequestTimeout() throws Exception {
    try (HyperbeeStorage s = HyperbeeStorage.open(tmp.resolve("bee"))) {
      CoValueHeader h = Synthetic.header("busy");
      String ses = Synthetic.session(1);
      s.store(Synthetic.content(h, true, ses, Synthetic.slice(ses, 0, 1, 10)), null, null);
      s.lockWait(Duration.ofMillis(50));
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder = new Thread(() -> s.load(h.coValueId(), m -> {
        inside.countDown();
        try {
          release.await(60, TimeUnit.SECONDS); // a load's callback runs under the lock
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, null), "holder");
      holder.start();
      assertTrue(inside.await(60, TimeUnit.SECONDS));
      HypercoreException e = assertThrows(HypercoreException.class, () -> s.getCoValueCount());
      assertEquals(CoreError.REQUEST_TIMEOUT, e.code(), e.getMessage());
      // reads of stored content do not wait for it: the bee's reads take no lock
      assertEquals(1, s.loadKnownState(h.coValueId()).orElseThrow().count(ses), "a known state read beside the holder");
      assertEquals(h.coValueId(), s.loadHead(h.coValueId()).orElseThrow().header().coValueId(), "a head read beside the holder");
      java.util.List<ContentMessage> pieces = new java.util.ArrayList<>();
      try (StorageApi.PieceStream stream = s.openPieces(h.coValueId(), x -> null).orElseThrow()) {
        while (stream.next(Long.MAX_VALUE, pieces::add)) {
          // all of it
        }
      }
      assertEquals(1, pieces.get(0).sessions().get(ses).newTransactions().size(), "a piece stream beside the holder");
      release.countDown();
      holder.join(60_000);
      assertEquals(1, s.getCoValueCount(), "free again once the holder is done");
    }
  }

  @Test
  void aBeeThatIsNotWritableIsRefusedAsAWritableStorage() {
    try (HyperbeeStorage writer = HyperbeeStorage.open(tmp.resolve("w"))) {
      Hypercore w = writer.bee().core();
      try (Hypercore replica = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
        HypercoreException e = assertThrows(HypercoreException.class, () -> HyperbeeStorage.of(Hyperbee.open(replica), System::currentTimeMillis));
        assertEquals(StorageError.BAD_ARGUMENT, e.code());
      }
    }
  }
}
