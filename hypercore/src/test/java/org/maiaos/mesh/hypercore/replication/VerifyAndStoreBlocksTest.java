package org.maiaos.mesh.hypercore.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maiaos.mesh.hypercore.replication.TestCores.headOnlyReplica;
import static org.maiaos.mesh.hypercore.replication.TestCores.utf8;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.DataBlock;
import org.maiaos.mesh.hypercore.tree.HashedData;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;

/**
 * {@link Replicable#verifyAndStoreBlocks}: a run of downloaded proofs, verified in order and stored
 * in one commit, each one accepted or refused on its own.
 */
class VerifyAndStoreBlocksTest {
  @TempDir Path tmp;

  private Hypercore writer(int blocks) {
    return TestCores.writer(tmp.resolve("w"), blocks);
  }

  /** Proofs for {@code [from, to)}, each asking for the nodes the replica lacks now (a burst of requests). */
  private static List<Data> burst(Hypercore w, Hypercore r, int from, int to) {
    List<Data> proofs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      proofs.add(w.replication().proof(new Request(i + 2, 0, new RequestBlock(i, r.replication().missingNodes(2L * i)), null, null, null, false, 0)));
    }
    return proofs;
  }

  @Test
  void aBurstOfProofsIsStoredWholeAndSurvivesAReopen() {
    try (Hypercore w = writer(300)) {
      Path dir = tmp.resolve("r");
      try (Hypercore r = headOnlyReplica(dir, w)) {
        List<ProofOutcome> out = r.replication().verifyAndStoreBlocks(burst(w, r, 0, 200));
        assertEquals(200, out.size());
        for (int i = 0; i < 200; i++) {
          assertNull(out.get(i).error(), "proof " + i);
          assertEquals(i, out.get(i).proof().block().index());
        }
        r.replication().sync();
      }
      try (Hypercore r = Hypercore.open(dir)) {
        for (int i = 0; i < 200; i++) assertArrayEquals(utf8("block " + i), r.getLocal(i).orElseThrow(), "block " + i);
        assertFalse(r.has(200));
        // the stored tree serves proofs as the writer's does
        Request req = new Request(9, 0, new RequestBlock(150, 0), null, null, null, false, 0);
        assertEquals(w.replication().proof(req).block(), r.replication().proof(req).block());
      }
    }
  }

  @Test
  void aForgedProofIsRefusedAloneAndTheRestOfTheRunIsStored() {
    try (Hypercore w = writer(64); Hypercore r = headOnlyReplica(tmp.resolve("r"), w)) {
      List<Data> proofs = burst(w, r, 0, 10);
      Data good = proofs.get(5);
      DataBlock b = good.block();
      Data forged = new Data(good.request(), good.fork(), new DataBlock(b.index(), utf8("not block 5"), b.nodes()), good.hash(), good.seek(), good.upgrade(), good.manifest());
      proofs.set(5, forged);
      List<ProofOutcome> out = r.replication().verifyAndStoreBlocks(proofs);
      assertEquals(CoreError.INVALID_PROOF, out.get(5).error().code());
      for (int i = 0; i < 10; i++) {
        if (i == 5) continue;
        assertNotNull(out.get(i).proof(), "proof " + i);
        assertTrue(r.has(i), "block " + i);
      }
      assertFalse(r.has(5), "nothing of the forged proof is stored");
      // the real proof is still taken afterwards
      assertNull(r.replication().verifyAndStoreBlocks(List.of(good)).get(0).error());
      assertArrayEquals(utf8("block 5"), r.getLocal(5).orElseThrow());
    }
  }

  /**
   * Leaves hashed beforehand (on a replicator's intake or receiving thread) against the one-proof
   * path, which hashes the block itself: the same nodes and blocks, and the forged block refused.
   */
  @Test
  void aRunWhoseLeavesWereHashedBeforehandIsVerifiedAsEachProofAlone() {
    try (Hypercore w = writer(64); Hypercore alone = headOnlyReplica(tmp.resolve("alone"), w);
        Hypercore hashed = headOnlyReplica(tmp.resolve("hashed"), w)) {
      List<Data> proofs = burst(w, alone, 0, 20);
      Data good = proofs.get(7);
      DataBlock b = good.block();
      proofs.set(7, new Data(good.request(), good.fork(), new DataBlock(b.index(), utf8("not block 7"), b.nodes()), good.hash(), good.seek(), good.upgrade(), good.manifest()));
      List<HashedData> beforehand = new ArrayList<>();
      for (Data d : proofs) beforehand.add(HashedData.of(d));
      List<ProofOutcome> out = hashed.replication().verifyAndStoreHashedBlocks(beforehand);
      for (int i = 0; i < 20; i++) {
        if (i == 7) {
          int at = i;
          assertEquals(CoreError.INVALID_PROOF, out.get(i).error().code());
          assertEquals(CoreError.INVALID_PROOF, assertThrows(HypercoreException.class, () -> alone.replication().verifyAndStore(proofs.get(at))).code());
          assertFalse(hashed.has(7));
          assertFalse(alone.has(7));
          continue;
        }
        VerifiedProof one = alone.replication().verifyAndStore(proofs.get(i));
        assertEquals(one.nodes(), out.get(i).proof().nodes(), "proof " + i);
        assertArrayEquals(alone.getLocal(i).orElseThrow(), hashed.getLocal(i).orElseThrow(), "block " + i);
      }
    }
  }

  @Test
  void aLaterProofMayLeanOnNodesAnEarlierOneOfTheRunProved() {
    try (Hypercore w = writer(8)) {
      Hypercore r = headOnlyReplica(tmp.resolve("r"), w);
      Hypercore alone = headOnlyReplica(tmp.resolve("alone"), w);
      try (r; alone) {
        Data first = w.replication().proof(new Request(2, 0, new RequestBlock(0, r.replication().missingNodes(0)), null, null, null, false, 0));
        // block 1's leaf is block 0's sibling, proven by the first proof: block 1 needs no node of its own
        Data second = w.replication().proof(new Request(3, 0, new RequestBlock(1, 0), null, null, null, false, 0));
        List<ProofOutcome> out = r.replication().verifyAndStoreBlocks(List.of(first, second));
        assertNull(out.get(0).error());
        assertNull(out.get(1).error(), "verified against the first proof's nodes, not yet stored");
        assertArrayEquals(utf8("block 1"), r.getLocal(1).orElseThrow());
        assertNotNull(alone.replication().verifyAndStoreBlocks(List.of(second)).get(0).error(), "without the first proof it cannot be verified");
        assertFalse(alone.has(1));
      }
    }
  }

  @Test
  void aProofThatUpgradesIsLeftToVerifyAndStore() {
    try (Hypercore w = writer(4); Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      Data upgrade = w.replication().proof(new Request(1, 0, new RequestBlock(0, 0), null, null, new RequestUpgrade(0, 4), false, 0));
      List<ProofOutcome> out = r.replication().verifyAndStoreBlocks(List.of(upgrade));
      assertEquals(CoreError.INVALID_OPERATION, out.get(0).error().code());
      assertEquals(0, r.length(), "nothing changed");
      assertNotNull(r.replication().verifyAndStore(upgrade).head());
      assertEquals(4, r.length());
      assertEquals(List.of(), r.replication().verifyAndStoreBlocks(List.of()));
    }
  }
}
