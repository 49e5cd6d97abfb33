package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Prologue;

class ProofBuilderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ProofFixture core(int length) {
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < length; i++) blocks.add(("block-" + i).getBytes(StandardCharsets.UTF_8));
    return ProofFixture.of(new byte[32], blocks);
  }

  private static Data build(ProofFixture c, Request r) {
    return ProofBuilder.build(c.head, c.reader(), c::block, r, c.manifest);
  }

  private static Request block(long index, long nodes) {
    return new Request(3, 0, new RequestBlock(index, nodes), null, null, null, false, 0);
  }

  private static Request upgrade(long start, long length) {
    return new Request(1, 0, null, null, null, new RequestUpgrade(start, length), false, 0);
  }

  private static List<Long> indexes(List<TreeNode> nodes) {
    return nodes.stream().map(TreeNode::index).toList();
  }

  private static void assertCode(CoreError code, Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(code, e.code(), e.getMessage());
  }

  @Test
  void answersTheSpecBlockExampleByteForByte() {
    ProofFixture c = ProofFixture.of(new byte[32], List.of("hello".getBytes(StandardCharsets.UTF_8), "world".getBytes(StandardCharsets.UTF_8)));
    Request r = Request.decode(HEX.parseHex("0103000101"));
    byte[] out = build(c, r).encode();
    String leaf0 = HEX.formatHex(NodeHash.data("hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals("010300" + "0105776f726c64" + "010005" + leaf0, HEX.formatHex(out));
  }

  @Test
  void sendsEveryFullRootForAnUpgradeFromZeroWithTheSignatureAndManifest() {
    ProofFixture c = core(5);
    Request r = new Request(1, 0, null, null, null, new RequestUpgrade(0, 5), true, 0);
    Data d = build(c, r);
    assertEquals(List.of(3L, 8L), indexes(d.upgrade().nodes()));
    assertTrue(d.upgrade().additionalNodes().isEmpty());
    assertArrayEquals(c.head.signature(), d.upgrade().signature());
    assertEquals(c.manifest, d.manifest());
    assertNull(build(c, upgrade(0, 5)).manifest());
  }

  @Test
  void growsTheRequestersLastRootWithItsRightSiblings() {
    ProofFixture c = core(6);
    assertEquals(List.of(10L), indexes(build(c, upgrade(5, 1)).upgrade().nodes()));
    ProofFixture d = core(8);
    // from 5 (roots 3, 8) to 8 (root 7): siblings 10 then 13 complete root 7
    assertEquals(List.of(10L, 13L), indexes(build(d, upgrade(5, 3)).upgrade().nodes()));
  }

  @Test
  void addsTheNodesUpToItsOwnLengthAsAdditionalNodes() {
    ProofFixture c = core(7);
    Data d = build(c, upgrade(0, 4));
    assertEquals(List.of(3L), indexes(d.upgrade().nodes()));
    assertEquals(List.of(9L, 12L), indexes(d.upgrade().additionalNodes()));
    assertEquals(4, d.upgrade().length());
  }

  @Test
  void sendsTheSiblingsUpToTheRequestedLevel() {
    ProofFixture c = core(5);
    assertEquals(List.of(4L, 1L), indexes(build(c, block(3, 2)).block().nodes()));
    assertTrue(build(c, block(3, 0)).block().nodes().isEmpty());
  }

  @Test
  void startsAHashProofWithTheNodeItself() {
    ProofFixture c = core(5);
    Request r = new Request(43, 0, null, new RequestHash(2, 2), null, null, false, 0);
    assertEquals(List.of(2L, 0L, 5L), indexes(build(c, r).hash().nodes()));
  }

  @Test
  void extendsABlockInTheUpgradeToItsRootAndDoesNotRepeatThatRoot() {
    ProofFixture c = core(6);
    Request r = new Request(1, 0, new RequestBlock(4, 0), null, null, new RequestUpgrade(2, 4), false, 0);
    Data d = build(c, r);
    // block 4 = leaf 8, its full root at length 6 is 9: path [10]; upgrade grows root 1 to 3, then root 9 is the block's
    assertEquals(List.of(10L), indexes(d.block().nodes()));
    assertEquals(List.of(5L), indexes(d.upgrade().nodes()));
  }

  @Test
  void answersAnEmptyCoreWithNothingButTheManifest() {
    ProofFixture c = core(0);
    Data d = build(c, new Request(1, 0, null, null, null, new RequestUpgrade(0, 1), true, 0));
    assertNull(d.upgrade());
    assertEquals(c.manifest, d.manifest());
  }

  @Test
  void widensAnUpgradeIntoThePrologueToTheWholePrologue() {
    ProofFixture plain = core(6);
    MerkleTree at4 = MerkleTree.open(plain.reader(), 4, 0, null);
    Manifest m = new Manifest(1, false, 1, plain.manifest.signers(), new Prologue(Key32.of(at4.hash()), 4), null, null);
    Data d = ProofBuilder.build(plain.head, plain.reader(), plain::block, upgrade(2, 1), m);
    assertEquals(0, d.upgrade().start());
    assertEquals(4, d.upgrade().length());
    assertEquals(List.of(3L), indexes(d.upgrade().nodes()));
    assertEquals(List.of(9L), indexes(d.upgrade().additionalNodes()));
  }

  @Test
  void refusesAnotherForkAsNotAvailable() {
    ProofFixture c = core(4);
    assertCode(CoreError.BLOCK_NOT_AVAILABLE, () -> build(c, new Request(1, 1, null, null, null, new RequestUpgrade(0, 4), false, 0)));
  }

  @Test
  void refusesABlockItDoesNotStoreAsNotAvailable() {
    ProofFixture c = core(4);
    assertCode(CoreError.BLOCK_NOT_AVAILABLE, () -> build(c, block(4, 0)));
    assertCode(CoreError.BLOCK_NOT_AVAILABLE, () -> ProofBuilder.build(c.head, c.reader(), i -> null, block(1, 0), null));
  }

  @Test
  void refusesInvalidRequestsAsInvalidOperation() {
    ProofFixture c = core(6);
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, upgrade(0, 7)));
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, upgrade(3, 0)));
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, block(1, 3))); // climbs past the head
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, new Request(1, 0, null, new RequestHash(40, 0), null, null, false, 0)));
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, new Request(1, 0, new RequestBlock(4, 0), null, new RequestSeek(3, 0), new RequestUpgrade(2, 4), false, 0)));
    // the upgrade stops before the block it should prove
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, new Request(1, 0, new RequestBlock(5, 0), null, null, new RequestUpgrade(2, 2), false, 0)));
    assertCode(CoreError.INVALID_OPERATION, () -> build(c, new Request(1, 0, null, new RequestHash(0, 1), new RequestSeek(1000, 0), null, false, 0)));
  }

  @Test
  void refusesTreeNodesItDoesNotStoreAsInvalidOperation() {
    ProofFixture c = core(6);
    NodeReader onlyRoots = i -> null;
    assertCode(CoreError.INVALID_OPERATION, () -> ProofBuilder.build(c.head, onlyRoots, c::block, block(1, 1), null));
  }

  @Test
  void survivesHostileNumbersWithItsOwnErrorCodes() {
    ProofFixture c = core(9);
    long max = Uint.MAX_SAFE;
    List<Request> hostile = List.of(
        block(max, max),
        new Request(1, 0, null, new RequestHash(max, max), null, null, false, 0),
        new Request(1, 0, null, new RequestHash(max, 0), new RequestSeek(max, max), null, false, 0),
        new Request(1, 0, null, new RequestHash(2, 1), new RequestSeek(3, max), null, false, 0),
        new Request(1, 0, null, null, new RequestSeek(max, max), new RequestUpgrade(0, 9), false, 0),
        new Request(1, 0, null, null, new RequestSeek(5, max), new RequestUpgrade(3, 2), false, 0),
        new Request(1, 0, null, new RequestHash(3, 0), new RequestSeek(max, 0), new RequestUpgrade(1, 8), false, 0),
        upgrade(max, max),
        upgrade(max, 1),
        new Request(1, 0, block(2, max).block(), null, null, new RequestUpgrade(max, max), false, 0));
    for (Request r : hostile) {
      try {
        assertNotNull(build(c, r));
      } catch (HypercoreException e) {
        assertTrue(e.code() == CoreError.INVALID_OPERATION || e.code() == CoreError.BLOCK_NOT_AVAILABLE, e.getMessage());
      }
    }
  }

  @Test
  void answersRandomHonestRequestsOfEveryKind() {
    Random rnd = TestSeeds.random("ProofBuilderTest.answersRandomHonestRequestsOfEveryKind");
    int answered = 0;
    for (int round = 0; round < 60; round++) {
      ProofFixture c = ProofFixture.random(rnd, 1 + rnd.nextInt(70), 40);
      long have = rnd.nextLong(c.length() + 1);
      NodeReader mine = c.sparsePrefix(have, rnd.nextDouble(), rnd);
      for (ProofFixture.Kind kind : ProofFixture.Kind.values()) {
        Request r = c.request(kind, rnd, have, mine, 1 + round);
        if (r == null) continue;
        try {
          Data d = build(c, r);
          answered++;
          assertEquals(r.id(), d.request());
          if (r.block() != null) assertArrayEquals(c.block(r.block().index()), d.block().value());
          if (r.upgrade() != null) assertArrayEquals(c.head.signature(), d.upgrade().signature());
        } catch (HypercoreException e) {
          // only a seek may miss (it lands where the prover cannot prove it)
          if (r.seek() == null) fail(kind + " " + r + ": " + e.getMessage());
          assertEquals(CoreError.INVALID_OPERATION, e.code(), e.getMessage());
        }
      }
    }
    assertTrue(answered > 200, "answered " + answered);
  }
}
