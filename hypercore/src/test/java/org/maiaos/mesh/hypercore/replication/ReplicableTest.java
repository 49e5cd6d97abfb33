package org.maiaos.mesh.hypercore.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maiaos.mesh.hypercore.replication.TestCores.headOnlyReplica;
import static org.maiaos.mesh.hypercore.replication.TestCores.utf8;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.tree.MerkleTree;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;

/**
 * The one interface replication uses, without any network: a "replicator" here is a lambda that
 * asks the writer for a proof and hands it to the replica, which is all a real one does in the end.
 */
class ReplicableTest {
  @TempDir Path tmp;

  private Hypercore writer(int blocks) {
    return TestCores.writer(tmp.resolve("w"), blocks);
  }

  @Test
  void getOfAMissingBlockAsksTheBlockFetcherAndStoresWhatItProves() {
    try (Hypercore w = writer(20); Hypercore r = headOnlyReplica(tmp.resolve("r"), w)) {
      assertEquals(20, r.length());
      HypercoreException none = assertThrows(HypercoreException.class, () -> r.get(7));
      assertEquals(CoreError.BLOCK_NOT_AVAILABLE, none.code(), "no fetcher: a missing block is simply not available");
      List<Long> asked = new ArrayList<>();
      r.replication().setBlockFetcher(index -> {
        asked.add(index);
        Request req = new Request(2, 0, new RequestBlock(index, r.replication().missingNodes(2 * index)), null, null, null, false, 0);
        r.replication().verifyAndStore(w.replication().proof(req));
        return CompletableFuture.completedFuture(r.getLocal(index).orElseThrow());
      });
      assertArrayEquals(utf8("block 7"), r.get(7));
      assertTrue(r.has(7), "the fetched block is stored");
      assertFalse(r.has(6), "and only that one");
      assertArrayEquals(utf8("block 7"), r.get(7));
      assertEquals(List.of(7L), asked, "a stored block is read locally, never fetched again");
      r.replication().setBlockFetcher(null);
      assertEquals(CoreError.BLOCK_NOT_AVAILABLE, assertThrows(HypercoreException.class, () -> r.get(8)).code());
      assertEquals(List.of(7L), asked, "a removed fetcher is not asked");
    }
  }

  @Test
  void getPassesOnTheFetchersErrorCodeAndNeverAsksOutOfRange() {
    try (Hypercore w = writer(4); Hypercore r = headOnlyReplica(tmp.resolve("r"), w)) {
      List<Long> asked = new ArrayList<>();
      r.replication().setBlockFetcher(index -> {
        asked.add(index);
        return CompletableFuture.failedFuture(CoreError.REQUEST_TIMEOUT.error("block %d not received", index));
      });
      assertEquals(CoreError.REQUEST_TIMEOUT, assertThrows(HypercoreException.class, () -> r.get(2)).code());
      assertEquals(CoreError.BLOCK_NOT_AVAILABLE, assertThrows(HypercoreException.class, () -> r.get(4)).code());
      assertEquals(CoreError.BLOCK_NOT_AVAILABLE, assertThrows(HypercoreException.class, () -> r.get(-1)).code());
      assertEquals(List.of(2L), asked);
    }
  }

  @Test
  void getOfAFetchThatNeverAnswersEndsWithRequestTimeoutAndCancelsIt() {
    try (Hypercore w = writer(4); Hypercore r = headOnlyReplica(tmp.resolve("r"), w)) {
      CompletableFuture<byte[]> never = new CompletableFuture<>();
      r.replication().setBlockFetcher(BlockFetcher.of(java.time.Duration.ofMillis(50), index -> never));
      HypercoreException e = assertThrows(HypercoreException.class, () -> r.get(1));
      assertEquals(CoreError.REQUEST_TIMEOUT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("block 1"), e.getMessage());
      assertTrue(never.isCancelled(), "the fetch is cancelled, so the fetcher can free its request");
    }
  }

  @Test
  void getOfACancelledFetchIsRequestCancelled() {
    try (Hypercore w = writer(4); Hypercore r = headOnlyReplica(tmp.resolve("r"), w)) {
      r.replication().setBlockFetcher(index -> {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        f.cancel(false);
        return f;
      });
      assertEquals(CoreError.REQUEST_CANCELLED, assertThrows(HypercoreException.class, () -> r.get(1)).code());
    }
  }

  @Test
  void theDefaultFetchTimeoutIsBounded() {
    BlockFetcher f = index -> new CompletableFuture<>();
    assertEquals(BlockFetcher.DEFAULT_TIMEOUT, f.timeout());
    assertThrows(IllegalArgumentException.class, () -> BlockFetcher.of(java.time.Duration.ZERO, f));
  }

  @Test
  void headListenersHearAppendsTruncatesAndUpgradesUntilRemoved() {
    try (Hypercore w = writer(3); Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      List<String> heard = new ArrayList<>();
      HeadListener onWriter = (prev, cur) -> heard.add("w " + prev.length() + "->" + cur.length() + " fork " + cur.fork());
      HeadListener onReplica = (prev, cur) -> heard.add("r " + prev.length() + "->" + cur.length());
      w.replication().addHeadListener(onWriter);
      r.replication().addHeadListener(onReplica);
      w.append(utf8("block 3"));
      w.truncate(2);
      r.replication().verifyAndStore(w.replication().proof(new Request(1, 1, null, null, null, new RequestUpgrade(0, 2), false, 0)));
      r.replication().verifyAndStore(w.replication().proof(new Request(2, 1, new RequestBlock(0, r.replication().missingNodes(0)), null, null, null, false, 0)));
      assertEquals(List.of("w 3->4 fork 0", "w 4->2 fork 1", "r 0->2"), heard, "a proof that only adds a block leaves the head alone");
      MerkleTree head = r.replication().head();
      assertEquals(2, head.length());
      assertArrayEquals(w.treeHash(), head.hash());
      w.replication().removeHeadListener(onWriter);
      w.append(utf8("unheard"));
      assertEquals(3, heard.size());
    }
  }

  @Test
  void theFacadeHandsOutOneReplicationSide() {
    try (Hypercore w = writer(1)) {
      assertSame(w.replication(), w.replication());
      assertThrows(NullPointerException.class, () -> w.replication().addHeadListener(null));
    }
  }
}
