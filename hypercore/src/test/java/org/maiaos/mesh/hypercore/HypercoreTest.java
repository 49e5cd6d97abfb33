package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.DataBlock;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;

/** The facade: append, read, truncate, reopen, and sparse replication through proofs. */
class HypercoreTest {
  @TempDir Path tmp;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Hypercore writer(String name, int blocks) {
    Hypercore core = Hypercore.create(tmp.resolve(name), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < blocks; i++) batch.add(utf8("block " + i));
    core.append(batch);
    return core;
  }

  @Test
  void appendedBlocksReadBackAfterReopen() {
    try (Hypercore core = writer("w", 10)) {
      assertEquals(10, core.length());
      assertEquals(10, core.append(List.of()), "an empty batch changes nothing");
    }
    try (Hypercore core = Hypercore.open(tmp.resolve("w"))) {
      assertEquals(10, core.length());
      assertArrayEquals(utf8("block 9"), core.get(9));
      assertTrue(core.writable());
      assertEquals(11, core.append(utf8("more")));
    }
  }

  @Test
  void truncateBumpsForkAndResigns() {
    try (Hypercore core = writer("w", 10)) {
      byte[] before = core.treeHash();
      core.truncate(4);
      assertEquals(4, core.length());
      assertEquals(1, core.fork());
      assertNotEquals(new String(before, StandardCharsets.ISO_8859_1), new String(core.treeHash(), StandardCharsets.ISO_8859_1));
      assertTrue(core.verifier().verify(core.treeHash(), 4, 1, core.signature()));
      assertFalse(core.getLocal(4).isPresent());
      assertThrows(HypercoreException.class, () -> core.truncate(5));
    }
  }

  @Test
  void replicaLearnsTheHeadAndOnlyTheBlocksItAsksFor() {
    try (Hypercore w = writer("w", 50);
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      assertFalse(r.writable());
      assertEquals(0, r.length());
      // upgrade to the writer's length together with block 17, as a fresh reader asks
      Data d = w.replication().proof(new Request(1, 0, new RequestBlock(17, 0), null, null, new RequestUpgrade(0, 50), false, 0));
      VerifiedProof p = r.replication().verifyAndStore(d);
      assertEquals(50, r.length());
      assertArrayEquals(w.treeHash(), r.treeHash());
      assertArrayEquals(utf8("block 17"), p.block().value());
      assertArrayEquals(utf8("block 17"), r.get(17));
      assertFalse(r.has(16));
      assertThrows(HypercoreException.class, () -> r.get(16));
      // a later block, proven against the head the replica already trusts
      Data d2 = w.replication().proof(new Request(2, 0, new RequestBlock(3, r.replication().missingNodes(6)), null, null, null, false, 0));
      r.replication().verifyAndStore(d2);
      assertArrayEquals(utf8("block 3"), r.get(3));
    }
    try (Hypercore r = Hypercore.open(tmp.resolve("r"))) {
      assertEquals(50, r.length(), "the replica's head survives reopen");
      assertArrayEquals(utf8("block 17"), r.get(17));
      assertFalse(r.has(20));
    }
  }

  @Test
  void replicaKnownOnlyByItsKeyLearnsTheManifestFromTheFirstUpgrade() {
    try (Hypercore w = writer("w", 9);
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key())) {
      assertEquals(null, r.manifest());
      Data withManifest = w.replication().proof(new Request(1, 0, null, null, null, new RequestUpgrade(0, 9), true, 0));
      Data without = new Data(withManifest.request(), withManifest.fork(), null, null, null, withManifest.upgrade(), null);
      assertThrows(HypercoreException.class, () -> r.replication().verifyAndStore(without), "no manifest: treated as compat, and the key is no public key");
      assertEquals(null, r.manifest(), "nothing learned from a failed proof");
      r.replication().verifyAndStore(withManifest);
      assertEquals(w.manifest(), r.manifest());
      assertEquals(9, r.length());
    }
    try (Hypercore r = Hypercore.open(tmp.resolve("r"))) {
      assertEquals(9, r.length());
      assertTrue(r.manifest() != null, "the learned manifest survives reopen");
    }
  }

  @Test
  void compatReplicaKnownOnlyByItsKeyNeedsNoManifest() {
    try (Hypercore w = Hypercore.create(tmp.resolve("w"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).compat(true).build());
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), Ed25519.keyPair(new byte[32]).publicKey())) {
      w.append(List.of(utf8("a"), utf8("b")));
      assertEquals(w.key(), r.key());
      r.replication().verifyAndStore(w.replication().proof(new Request(1, 0, new RequestBlock(1, 0), null, null, new RequestUpgrade(0, 2), false, 0)));
      assertTrue(r.compat());
      assertArrayEquals(utf8("b"), r.get(1));
    }
  }

  @Test
  void forgedBlockIsRejectedAndNothingIsStored() {
    try (Hypercore w = writer("w", 20);
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      Data good = w.replication().proof(new Request(1, 0, new RequestBlock(5, 0), null, null, new RequestUpgrade(0, 20), false, 0));
      DataBlock b = good.block();
      byte[] forged = b.value();
      forged[0] ^= 1;
      Data bad = new Data(good.request(), good.fork(), new DataBlock(b.index(), forged, b.nodes()), good.hash(), good.seek(), good.upgrade(), good.manifest());
      HypercoreException e = assertThrows(HypercoreException.class, () -> r.replication().verifyAndStore(bad));
      // the forged leaf changes the roots, so the signature no longer matches them
      assertTrue(e.code() == CoreError.INVALID_PROOF || e.code() == CoreError.INVALID_SIGNATURE, e.getMessage());
      assertEquals(0, r.length());
      assertFalse(r.has(5));
      r.replication().verifyAndStore(good);
      assertEquals(20, r.length());
    }
  }

  @Test
  void missingNodesCountsTheLevelsUpToAStoredNode() {
    try (Hypercore w = writer("w", 8);
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      assertEquals(0, r.replication().missingNodes(0), "beyond the replica's head: unknown");
      r.replication().verifyAndStore(w.replication().proof(new Request(1, 0, null, null, null, new RequestUpgrade(0, 8), false, 0)));
      assertEquals(3, r.replication().missingNodes(0), "leaf 0, node 1 and node 3 are missing; root 7 is stored");
      assertEquals(0, w.replication().missingNodes(0), "the writer has everything");
    }
  }

  @Test
  void readOnlyCoreRefusesWrites() {
    try (Hypercore w = writer("w", 1);
        Hypercore r = Hypercore.createReplica(tmp.resolve("r"), w.key(), w.manifest())) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> r.append(utf8("x")));
      assertEquals(CoreError.SESSION_NOT_WRITABLE, e.code());
    }
  }

  @Test
  void closedCoreRefusesCallsAndCloseIsIdempotent() {
    Hypercore core = writer("w", 1);
    core.close();
    core.close();
    assertEquals(CoreError.SESSION_CLOSED, assertThrows(HypercoreException.class, () -> core.append(utf8("x"))).code());
  }

  @Test
  void oversizedBlockIsRefused() {
    try (Hypercore core = writer("w", 0)) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> core.append(new byte[Hypercore.MAX_BLOCK_BYTES + 1]));
      assertEquals(CoreError.BAD_ARGUMENT, e.code());
      assertEquals(0, core.length());
    }
  }

  @Test
  void openDetectsACorruptedSignature() throws Exception {
    Path dir;
    try (Hypercore core = writer("w", 3)) {
      dir = tmp.resolve("w");
    }
    // flip one byte of the signature inside the stored frame/checkpoint: reopening must notice
    Random rnd = new Random(7);
    boolean detected = false;
    for (String f : List.of("oplog", "header")) {
      Path p = dir.resolve(f);
      if (!Files.exists(p) || Files.size(p) == 0) continue;
      byte[] bytes = Files.readAllBytes(p);
      byte[] copy = bytes.clone();
      copy[rnd.nextInt(copy.length)] ^= 0x40;
      Files.write(p, copy);
      try (Hypercore c = Hypercore.open(dir)) {
        // a flipped byte that lands in a checksummed frame drops that frame: the head goes back
        detected = c.length() < 3;
      } catch (HypercoreException e) {
        detected = true;
        assertTrue(e.code() == CoreError.STORAGE_CORRUPT || e.code() == CoreError.DECODING_ERROR, e.getMessage());
      }
      Files.write(p, bytes);
    }
    assertTrue(detected, "a damaged core was opened as if whole");
  }
}
