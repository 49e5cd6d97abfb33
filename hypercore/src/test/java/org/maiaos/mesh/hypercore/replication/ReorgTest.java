package org.maiaos.mesh.hypercore.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.DataHash;
import org.maiaos.mesh.hypercore.tree.DataUpgrade;
import org.maiaos.mesh.hypercore.tree.ReorgBatch;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * A replica following its writer onto a newer fork (truncate, then new appends), with the proofs
 * handed over by hand as a replicator would: the fork proof, hash proofs until the common ancestor
 * is known, then one commit.
 */
class ReorgTest {
  @TempDir Path tmp;

  private static byte[] utf8(String s) {
    return TestCores.utf8(s);
  }

  private Hypercore writer(int blocks) {
    return TestCores.writer(tmp.resolve("w"), blocks);
  }

  private static Request upgradeFromZero(Hypercore w) {
    return new Request(1, w.fork(), null, null, null, new RequestUpgrade(0, w.length()), false, 0);
  }

  /** A replica at the writer's head holding the blocks {@code held}. */
  private Hypercore replica(String name, Hypercore w, int... held) {
    Hypercore r = Hypercore.createReplica(tmp.resolve(name), w.key(), w.manifest());
    r.replication().verifyAndStore(w.replication().proof(upgradeFromZero(w)));
    for (int i : held) fetch(r, w, i);
    return r;
  }

  private static void fetch(Hypercore r, Hypercore w, long i) {
    Request req = new Request(2, r.fork(), new RequestBlock(i, r.replication().missingNodes(2 * i)), null, null, null, false, 0);
    r.replication().verifyAndStore(w.replication().proof(req));
  }

  /** Runs the reorg protocol against {@code w}; returns the applied batch and the hash proofs it took. */
  private static ReorgBatch follow(Hypercore r, Hypercore w, List<Request> asked) {
    ReorgBatch b = r.replication().verifyReorg(w.replication().proof(upgradeFromZero(w)));
    for (int round = 0; !b.finished(); round++) {
      assertTrue(round < 64, "the walk ends");
      Request q = b.request(3 + round);
      asked.add(q);
      b.update(w.replication().proof(q));
    }
    r.replication().applyReorg(b);
    return b;
  }

  private static void truncateAndAppend(Hypercore w, int to, int count, String tag) {
    w.truncate(to);
    List<byte[]> batch = new ArrayList<>();
    for (int i = to; i < to + count; i++) batch.add(utf8(tag + " " + i));
    w.append(batch);
  }

  @Test
  void aFullReplicaKeepsTheSharedPrefixAndRefetchesTheRest() {
    int[] all = new int[20];
    for (int i = 0; i < 20; i++) all[i] = i;
    try (Hypercore w = writer(20); Hypercore r = replica("r", w, all)) {
      truncateAndAppend(w, 12, 5, "new");
      List<String> heard = new ArrayList<>();
      r.replication().addHeadListener((prev, cur) -> heard.add(prev.fork() + "/" + prev.length() + "->" + cur.fork() + "/" + cur.length()));
      List<Request> asked = new ArrayList<>();
      ReorgBatch b = follow(r, w, asked);
      assertEquals(12, b.ancestors());
      assertFalse(asked.isEmpty(), "the ancestor inside a root needed nodes from the writer");
      assertEquals(List.of("0/20->1/17"), heard);
      assertEquals(1, r.fork());
      assertEquals(17, r.length());
      assertArrayEquals(w.treeHash(), r.treeHash());
      assertArrayEquals(w.signature(), r.signature());
      for (int i = 0; i < 12; i++) assertArrayEquals(utf8("block " + i), r.getLocal(i).orElseThrow(), "kept " + i);
      for (int i = 12; i < 20; i++) assertFalse(r.has(i), "dropped " + i);
      for (int i = 12; i < 17; i++) {
        fetch(r, w, i);
        assertArrayEquals(utf8("new " + i), r.getLocal(i).orElseThrow());
      }
    }
    try (Hypercore r = Hypercore.open(tmp.resolve("r"))) {
      assertEquals(1, r.fork(), "the reorg is durable");
      assertEquals(17, r.length());
      assertArrayEquals(utf8("block 11"), r.getLocal(11).orElseThrow());
      assertArrayEquals(utf8("new 16"), r.getLocal(16).orElseThrow());
    }
  }

  @Test
  void aSparseReplicaKeepsWhatBothForksShare() {
    try (Hypercore w = writer(20); Hypercore r = replica("r", w, 3, 15, 19)) {
      truncateAndAppend(w, 12, 5, "new");
      ReorgBatch b = follow(r, w, new ArrayList<>());
      assertEquals(12, b.ancestors());
      assertArrayEquals(utf8("block 3"), r.getLocal(3).orElseThrow());
      assertFalse(r.has(15));
      assertFalse(r.has(19));
      assertEquals(17, r.length());
      fetch(r, w, 15);
      assertArrayEquals(utf8("new 15"), r.getLocal(15).orElseThrow());
      fetch(r, w, 0);
      assertArrayEquals(utf8("block 0"), r.getLocal(0).orElseThrow());
    }
  }

  @Test
  void ancestorsAtEveryCutAndLength() {
    for (int len : new int[] {1, 2, 7, 8, 9, 33}) {
      for (int cut = 0; cut <= len; cut += Math.max(1, len / 4)) {
        for (int added : new int[] {0, 1, 5}) {
          if (cut + added == 0) continue;
          Path dir = tmp.resolve("w-" + len + "-" + cut + "-" + added);
          try (Hypercore w = Hypercore.create(dir, HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build())) {
            for (int i = 0; i < len; i++) w.append(utf8("b" + i));
            Hypercore r = Hypercore.createReplica(tmp.resolve("r-" + len + "-" + cut + "-" + added), w.key(), w.manifest());
            try (r) {
              r.replication().verifyAndStore(w.replication().proof(upgradeFromZero(w)));
              for (int i = 0; i < len; i++) fetch(r, w, i);
              truncateAndAppend(w, cut, added, "n");
              ReorgBatch b = follow(r, w, new ArrayList<>());
              String at = "length " + len + ", cut " + cut + ", added " + added;
              assertEquals(cut, b.ancestors(), at);
              assertEquals(cut + added, r.length(), at);
              assertArrayEquals(w.treeHash(), r.treeHash(), at);
              for (int i = 0; i < len; i++) assertEquals(i < cut, r.has(i), at + ", block " + i);
              for (int i = cut; i < cut + added; i++) {
                fetch(r, w, i);
                assertArrayEquals(utf8("n " + i), r.getLocal(i).orElseThrow(), at);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aTruncationWithoutAppendsIsFollowedAtOnceByAFullReplica() {
    int[] all = new int[20];
    for (int i = 0; i < 20; i++) all[i] = i;
    try (Hypercore w = writer(20); Hypercore r = replica("r", w, all)) {
      w.truncate(15);
      List<Request> asked = new ArrayList<>();
      ReorgBatch b = follow(r, w, asked);
      assertEquals(List.of(), asked, "the new roots are nodes the replica stores");
      assertEquals(15, b.ancestors());
      assertEquals(15, r.length());
      assertTrue(r.has(4));
      assertFalse(r.has(16));
    }
  }

  @Test
  void aForgedNewerForkChangesNothing() {
    try (Hypercore w = writer(20); Hypercore r = replica("r", w, 3, 15)) {
      byte[] hash = r.treeHash();
      truncateAndAppend(w, 12, 5, "new");
      Data good = w.replication().proof(upgradeFromZero(w));
      DataUpgrade u = good.upgrade();
      byte[] sig = u.signature();
      sig[5] ^= 1;
      Data forged = new Data(good.request(), good.fork(), null, null, null,
          new DataUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), sig), null);
      assertEquals(CoreError.INVALID_SIGNATURE, assertThrows(HypercoreException.class, () -> r.replication().verifyReorg(forged)).code());
      assertEquals(CoreError.INVALID_PROOF, assertThrows(HypercoreException.class, () -> r.replication().verifyAndStore(good)).code(),
          "verifyAndStore still takes only our fork");
      Data sameFork = new Data(good.request(), 0, null, null, null, u, null);
      assertEquals(CoreError.INVALID_PROOF, assertThrows(HypercoreException.class, () -> r.replication().verifyReorg(sameFork)).code(),
          "never an older or the same fork");

      ReorgBatch b = r.replication().verifyReorg(good);
      assertFalse(b.finished());
      Data step = w.replication().proof(b.request(9));
      List<TreeNode> nodes = new ArrayList<>(step.hash().nodes());
      TreeNode n = nodes.get(0);
      byte[] h = n.hash();
      h[0] ^= 1;
      nodes.set(0, new TreeNode(n.index(), n.size(), h));
      Data bad = new Data(step.request(), step.fork(), null, new DataHash(step.hash().index(), nodes), null, null, null);
      assertEquals(CoreError.INVALID_PROOF, assertThrows(HypercoreException.class, () -> b.update(bad)).code());
      assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> r.replication().applyReorg(b)).code(),
          "an unfinished batch is not applied");

      assertEquals(0, r.fork());
      assertEquals(20, r.length());
      assertArrayEquals(hash, r.treeHash());
      assertTrue(r.has(15));
    }
  }

  @Test
  void aBatchForAnOlderHeadIsNotApplied() {
    try (Hypercore w = writer(20); Hypercore r = replica("r", w, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)) {
      w.truncate(18);
      ReorgBatch b = r.replication().verifyReorg(w.replication().proof(upgradeFromZero(w)));
      assertTrue(b.finished());
      w.truncate(16);
      follow(r, w, new ArrayList<>()); // to fork 2
      assertEquals(CoreError.INVALID_OPERATION, assertThrows(HypercoreException.class, () -> r.replication().applyReorg(b)).code());
      assertEquals(2, r.fork());
      assertEquals(16, r.length());
      try (Hypercore w2 = Hypercore.create(tmp.resolve("w2"), HypercoreOptions.defaults())) {
        w2.append(utf8("x"));
        assertEquals(CoreError.INVALID_OPERATION,
            assertThrows(HypercoreException.class, () -> w2.replication().verifyReorg(w2.replication().proof(upgradeFromZero(w2)))).code(),
            "a writer follows no one");
      }
    }
  }
}
