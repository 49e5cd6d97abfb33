package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Proofs against the real hypercore 11.37.1 ({@code interop/proofs.js}), both ways: JS answers
 * requests and Java must answer them byte for byte the same and accept JS's proofs; Java answers
 * requests and a JS core holding only the key or a prefix must accept them, and refuse them
 * tampered.
 */
class ProofInteropIT {
  private static final HexFormat HEX = HexFormat.of();

  /** A core both sides build: key seed and blocks as [size, xorshift fill]. */
  private record CoreSpec(byte[] seed, List<long[]> blocks) {
    ProofFixture build() {
      List<byte[]> values = new ArrayList<>();
      for (long[] b : blocks) values.add(ProofFixture.xorshiftBlock((int) b[0], b[1]));
      return ProofFixture.of(seed, values);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seed", HEX.formatHex(seed));
      m.put("blocks", blocks);
      return m;
    }
  }

  /** Half the cores have big blocks (0..100 KiB), half many small ones for deeper trees. */
  private static CoreSpec randomCore(Random rnd, boolean big) {
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    int n = big ? 1 + rnd.nextInt(24) : 1 + rnd.nextInt(300);
    List<long[]> blocks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int size = big ? rnd.nextInt(100 * 1024 + 1) : rnd.nextInt(65);
      blocks.add(new long[] {size, rnd.nextInt() & 0xFFFFFFFFL});
    }
    return new CoreSpec(seed, blocks);
  }

  @Test
  void javaAnswersJsRequestsByteForByteAndAcceptsJsProofs() {
    Random rnd = TestSeeds.random("ProofInteropIT.javaAnswersJsRequestsByteForByteAndAcceptsJsProofs");
    List<CoreSpec> specs = new ArrayList<>();
    List<Map<String, Object>> cases = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      CoreSpec spec = randomCore(rnd, i % 2 == 0);
      specs.add(spec);
      Map<String, Object> c = spec.json();
      c.put("rng", rnd.nextInt() & 0x7FFFFFFF);
      c.put("requests", 60);
      cases.add(c);
    }
    JsonNode out = NodeScript.call("proofs.js", Map.of("op", "generate", "cases", cases));
    assertTrue(out.has("cases"), "proofs.js printed no result");

    int same = 0;
    int refused = 0;
    int verified = 0;
    for (int i = 0; i < specs.size(); i++) {
      ProofFixture core = specs.get(i).build();
      JsonNode result = out.get("cases").get(i);
      assertEquals(core.length(), result.get("length").asLong());
      for (JsonNode a : result.get("answers")) {
        byte[] requestBytes = HEX.parseHex(a.get("request").asText());
        Request request = Request.decode(requestBytes);
        assertArrayEquals(requestBytes, request.encode(), "request codec");
        String context = "core " + i + " request " + request + " from length " + a.get("requesterLength");

        Data ours;
        try {
          ours = ProofBuilder.build(core.head, core.reader(), core::block, request, core.manifest);
        } catch (HypercoreException e) {
          if (a.get("error").isNull()) fail(context + ": JS answered, Java threw " + e.getMessage());
          CoreError expected = "BLOCK_NOT_AVAILABLE".equals(a.get("error").asText()) ? CoreError.BLOCK_NOT_AVAILABLE : CoreError.INVALID_OPERATION;
          assertEquals(expected, e.code(), context + ": JS said " + a.get("error") + ", Java " + e.getMessage());
          refused++;
          continue;
        }
        if (a.get("data").isNull()) fail(context + ": JS refused with " + a.get("error") + ", Java answered " + ours);
        byte[] theirs = HEX.parseHex(a.get("data").asText());
        assertEquals(HEX.formatHex(theirs), HEX.formatHex(ours.encode()), context);
        assertEquals(ours, Data.decode(theirs));
        same++;

        long have = a.get("requesterLength").asLong();
        NodeReader mine = core.fullPrefix(have);
        try {
          VerifiedProof v = ProofVerifier.verify(core.headAt(mine, have), mine, core.verifier, Data.decode(theirs));
          ProofVerifierTest.assertTruthful(core, v);
          if (request.upgrade() != null && v.head() != null) assertEquals(core.length(), v.head().length(), context);
          verified++;
        } catch (HypercoreException e) {
          // only a peer's junk request may get an answer its requester cannot use
          assertTrue(a.get("junk").asBoolean(), context + ": " + e.getMessage());
          assertTrue(e.code() == CoreError.INVALID_PROOF || e.code() == CoreError.INVALID_SIGNATURE, e.getMessage());
        }
      }
    }
    System.out.println("ProofInteropIT: " + same + " identical answers, " + refused + " identical refusals, " + verified + " JS proofs verified");
    assertTrue(same > 500, "identical answers " + same);
    assertTrue(refused > 10, "identical refusals " + refused);
  }

  @Test
  void jsAcceptsJavaProofsAndRefusesTamperedOnes() {
    Random rnd = TestSeeds.random("ProofInteropIT.jsAcceptsJavaProofsAndRefusesTamperedOnes");
    List<Map<String, Object>> cases = new ArrayList<>();
    List<List<Expect>> expected = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      CoreSpec spec = randomCore(rnd, i % 3 == 0);
      ProofFixture core = spec.build();
      long have = i % 4 == 0 ? 0 : rnd.nextLong(core.length() + 1);
      NodeReader mine = core.sparsePrefix(have, rnd.nextDouble(), rnd);
      MerkleTree ours = core.headAt(core.fullPrefix(have), have);
      List<String> proofs = new ArrayList<>();
      List<Expect> expects = new ArrayList<>();
      for (int k = 0; k < 30; k++) {
        ProofFixture.Kind kind = ProofFixture.Kind.values()[rnd.nextInt(ProofFixture.Kind.values().length)];
        Request r = core.request(kind, rnd, have, mine, 1 + k);
        if (r == null) continue;
        Data d;
        try {
          d = ProofBuilder.build(core.head, core.reader(), core::block, r, core.manifest);
        } catch (HypercoreException e) {
          continue; // a seek that lands where it cannot be proven
        }
        VerifiedProof v = ProofVerifier.verify(ours, core.fullPrefix(have), core.verifier, d);
        long length = v.head() == null ? have : v.head().length();
        proofs.add(HEX.formatHex(d.encode()));
        expects.add(new Expect(true, v.head() != null, length, kind + " " + r));
        Data bad = tamper(d, rnd);
        if (bad != null) {
          proofs.add(HEX.formatHex(bad.encode()));
          expects.add(new Expect(false, false, 0, "tampered " + kind + " " + r));
        }
      }
      Map<String, Object> c = spec.json();
      c.put("requesterLength", have);
      c.put("proofs", proofs);
      c.put("apply", true);
      cases.add(c);
      expected.add(expects);
    }
    JsonNode out = NodeScript.call("proofs.js", Map.of("op", "verify", "cases", cases));
    assertTrue(out.has("cases"), "proofs.js printed no result");

    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < cases.size(); i++) {
      JsonNode result = out.get("cases").get(i);
      List<Expect> expects = expected.get(i);
      assertEquals(expects.size(), result.get("results").size());
      for (int k = 0; k < expects.size(); k++) {
        Expect e = expects.get(k);
        JsonNode r = result.get("results").get(k);
        String context = "core " + i + " (have " + cases.get(i).get("requesterLength") + "), " + e.what + ": " + r;
        assertEquals(e.ok, r.get("ok").asBoolean(), context);
        if (e.ok) {
          accepted++;
          assertEquals(e.upgraded, r.get("upgraded").asBoolean(), context);
          if (e.upgraded) assertEquals(e.length, r.get("length").asLong(), context);
        } else {
          refused++;
        }
      }
      if (!expects.isEmpty()) {
        JsonNode applied = result.get("applied");
        assertNotNull(applied);
        assertTrue(applied.get("ok").asBoolean(), "core " + i + " applying " + expects.get(0).what + ": " + applied);
        assertEquals(expects.get(0).length, applied.get("length").asLong(), "JS length after core.verify()");
      }
    }
    System.out.println("ProofInteropIT: JS accepted " + accepted + " Java proofs and refused " + refused + " tampered ones");
    assertTrue(accepted > 150, "accepted " + accepted);
    assertTrue(refused > 100, "refused " + refused);
  }

  private record Expect(boolean ok, boolean upgraded, long length, String what) {}

  /** The same proof with one byte of a value, node hash or signature changed, or null if none fits. */
  private static Data tamper(Data d, Random rnd) {
    DataBlock b = d.block();
    if (b != null && b.value().length > 0) {
      byte[] v = b.value();
      v[rnd.nextInt(v.length)] ^= (byte) (1 + rnd.nextInt(255));
      return new Data(d.request(), d.fork(), new DataBlock(b.index(), v, b.nodes()), d.hash(), d.seek(), d.upgrade(), d.manifest());
    }
    if (d.upgrade() != null && d.upgrade().signature() != null) {
      DataUpgrade u = d.upgrade();
      byte[] sig = u.signature();
      sig[2 + rnd.nextInt(64)] ^= (byte) (1 + rnd.nextInt(255)); // inside the Ed25519 signature of the multisig
      return new Data(d.request(), d.fork(), b, d.hash(), d.seek(), new DataUpgrade(u.start(), u.length(), u.nodes(), u.additionalNodes(), sig), d.manifest());
    }
    if (d.hash() != null && !d.hash().nodes().isEmpty()) {
      List<TreeNode> nodes = new ArrayList<>(d.hash().nodes());
      TreeNode n = nodes.get(0);
      byte[] h = n.hash();
      h[rnd.nextInt(32)] ^= 1;
      nodes.set(0, new TreeNode(n.index(), n.size(), h));
      return new Data(d.request(), d.fork(), b, new DataHash(d.hash().index(), nodes), d.seek(), d.upgrade(), d.manifest());
    }
    assertFalse(b == null && d.upgrade() == null && d.hash() == null && d.seek() == null, "empty proof " + d);
    return null;
  }

  @Test
  void tamperingIsCaughtByJavaToo() {
    Random rnd = TestSeeds.random("ProofInteropIT.tamperingIsCaughtByJavaToo");
    ProofFixture core = randomCore(rnd, false).build();
    Data d = ProofBuilder.build(core.head, core.reader(), core::block,
        new Request(1, 0, null, null, null, new RequestUpgrade(0, core.length()), true, 0), core.manifest);
    Data bad = tamper(d, rnd);
    assertNotNull(bad);
    NodeReader none = i -> null;
    try {
      ProofVerifier.verify(MerkleTree.empty(), none, core.verifier, bad);
      fail("tampered proof accepted");
    } catch (HypercoreException e) {
      assertEquals(CoreError.INVALID_SIGNATURE, e.code());
    }
    assertNull(ProofVerifier.verify(core.head, core.reader(), core.verifier, new Data(1, 0, null, null, null, null, null)).head());
  }
}
