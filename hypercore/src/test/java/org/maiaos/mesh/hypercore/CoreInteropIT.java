package org.maiaos.mesh.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Verifier;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * Whole cores, byte for byte: for random key pairs and random appends (batches of 0 to 40 blocks,
 * 0 to 100 KiB, some empty), truncations and re-appends, JS hypercore 11.37.1
 * ({@code interop/core-vectors.js}) and {@link Hypercore} build the same core and must report the
 * same key, discovery key, manifest bytes, tree nodes, and after every step the same length, byte
 * length, fork, tree hash and stored signature. Default (manifest-addressed), compat and v0-manifest
 * cores are covered. Then each side verifies the other's signatures, and rejects tampered ones.
 */
class CoreInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int DEFAULT_CORES = 25;
  private static final int COMPAT_CORES = 8;
  private static final int V0_CORES = 6;
  private static final int TRUNCATED_CORES = 9;
  private static final int MAX_BLOCKS = 40;
  private static final int MAX_BLOCK_BYTES = 100 * 1024;

  /** One append batch ({@code blocks} = [size, fill] pairs) or one truncation. */
  private record Op(List<int[]> blocks, long truncate) {}

  private record Case(String mode, byte[] seed, List<Op> ops) {
    String describe(int i) {
      return "case " + i + " (" + mode + ", seed " + HEX.formatHex(seed) + ")";
    }
  }

  /** The Java side's view after one op. */
  private record Step(long length, long byteLength, long fork, byte[] treeHash, byte[] signature) {}

  /** What the Java core reported for one case. */
  private record Built(Key32 key, Key32 discoveryKey, byte[] manifest, List<Step> steps, List<TreeNode> nodes,
      List<Step> reopened, int blocksReadBack) {}

  @TempDir static Path tmp;

  private static final List<Case> cases = new ArrayList<>();
  private static final List<Built> built = new ArrayList<>();
  private static JsonNode js;
  private static JsonNode jsVerdicts;
  private static final List<String> verdictLabels = new ArrayList<>();
  private static final List<Boolean> verdictExpected = new ArrayList<>();

  /** xorshift32, one output byte per step: the same as block() in core-vectors.js. */
  static byte[] block(int size, int fill) {
    byte[] b = new byte[size];
    int x = fill == 0 ? 1 : fill;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = (byte) x;
    }
    return b;
  }

  private static int randomSize(Random rnd) {
    int r = rnd.nextInt(100);
    if (r < 10) return 0;
    if (r < 70) return rnd.nextInt(2048);
    if (r < 90) return 2048 + rnd.nextInt(18 * 1024);
    return rnd.nextInt(MAX_BLOCK_BYTES + 1);
  }

  /** Appends {@code count} random blocks in 1 to 4 random batches. */
  private static void appendOps(Random rnd, List<Op> ops, int count) {
    int batches = count == 0 ? 1 : 1 + rnd.nextInt(Math.min(4, count));
    List<List<int[]>> split = new ArrayList<>();
    for (int b = 0; b < batches; b++) split.add(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      // Every batch gets at least one block; the rest land anywhere.
      int b = i < batches ? i : rnd.nextInt(batches);
      split.get(b).add(new int[] {randomSize(rnd), 1 + rnd.nextInt(Integer.MAX_VALUE - 1)});
    }
    for (List<int[]> s : split) {
      if (rnd.nextInt(12) == 0) ops.add(new Op(List.of(), -1)); // an empty batch changes nothing
      ops.add(new Op(s, -1));
    }
  }

  private static byte[] seed(Random rnd) {
    byte[] s = new byte[32];
    rnd.nextBytes(s);
    return s;
  }

  private static void makeCases(Random rnd) {
    for (int i = 0; i < DEFAULT_CORES; i++) {
      List<Op> ops = new ArrayList<>();
      appendOps(rnd, ops, i == 0 ? 0 : i == 1 ? 1 : i == 2 ? MAX_BLOCKS : rnd.nextInt(MAX_BLOCKS + 1));
      cases.add(new Case("default", seed(rnd), ops));
    }
    for (int i = 0; i < COMPAT_CORES; i++) {
      List<Op> ops = new ArrayList<>();
      appendOps(rnd, ops, 1 + rnd.nextInt(MAX_BLOCKS));
      cases.add(new Case("compat", seed(rnd), ops));
    }
    for (int i = 0; i < V0_CORES; i++) {
      List<Op> ops = new ArrayList<>();
      appendOps(rnd, ops, 1 + rnd.nextInt(MAX_BLOCKS));
      cases.add(new Case("v0", seed(rnd), ops));
    }
    String[] modes = {"default", "compat", "v0"};
    for (int i = 0; i < TRUNCATED_CORES; i++) {
      List<Op> ops = new ArrayList<>();
      int length = 2 + rnd.nextInt(MAX_BLOCKS - 1);
      appendOps(rnd, ops, length);
      int cut = i == 0 ? 0 : i == 1 ? length : rnd.nextInt(length); // to 0, to the same length, or shorter
      ops.add(new Op(null, cut));
      appendOps(rnd, ops, 1 + rnd.nextInt(Math.max(1, MAX_BLOCKS - cut)));
      if (i % 3 == 2) { // a second truncation: fork 2
        ops.add(new Op(null, rnd.nextInt(cut + 1)));
        appendOps(rnd, ops, 1 + rnd.nextInt(10));
      }
      cases.add(new Case(modes[i % 3], seed(rnd), ops));
    }
  }

  private static Hypercore create(Path dir, Case c) {
    KeyPair kp = Ed25519.keyPair(c.seed);
    HypercoreOptions.Builder b = HypercoreOptions.builder().keyPair(kp);
    switch (c.mode) {
      case "compat" -> b.compat(true);
      case "v0" -> b.manifest(Manifest.v0Signer(kp.publicKey()));
      default -> { }
    }
    return Hypercore.create(dir, b.build());
  }

  private static Step step(Hypercore core) {
    return new Step(core.length(), core.byteLength(), core.fork(), core.treeHash(), core.signature());
  }

  private static Built buildJava(int i, Case c) {
    Path dir = tmp.resolve("core-" + i);
    List<Step> steps = new ArrayList<>();
    List<byte[]> blocks = new ArrayList<>(); // the model: what the core must hold
    long maxLength = 0;
    Key32 key;
    Key32 dkey;
    byte[] manifest;
    List<TreeNode> nodes = new ArrayList<>();
    int readBack = 0;
    try (Hypercore core = create(dir, c)) {
      for (Op op : c.ops) {
        if (op.blocks != null) {
          List<byte[]> batch = new ArrayList<>();
          for (int[] b : op.blocks) batch.add(block(b[0], b[1]));
          long len = core.append(batch);
          blocks.addAll(batch);
          assertEquals(blocks.size(), len, c.describe(i) + ": append returns the new length");
        } else {
          core.truncate(op.truncate);
          blocks.subList((int) op.truncate, blocks.size()).clear();
        }
        maxLength = Math.max(maxLength, core.length());
        steps.add(step(core));
      }
      key = core.key();
      dkey = core.discoveryKey();
      manifest = core.manifest().encode();
      for (long n = 0; n < 2 * maxLength; n++) nodes.add(core.treeNode(n));
      for (int b = 0; b < blocks.size(); b++) {
        assertArrayEquals(blocks.get(b), core.getLocal(b).orElseThrow(), c.describe(i) + ": block " + b);
        readBack++;
      }
      assertTrue(core.getLocal(blocks.size()).isEmpty(), c.describe(i) + ": nothing past the length");
    }
    List<Step> reopened = new ArrayList<>();
    try (Hypercore core = Hypercore.open(dir)) {
      assertEquals(key, core.key(), c.describe(i) + ": reopened key");
      assertArrayEquals(manifest, core.manifest().encode(), c.describe(i) + ": reopened manifest");
      reopened.add(step(core));
    }
    return new Built(key, dkey, manifest, steps, nodes, reopened, readBack);
  }

  private static ObjectNode jsCase(Case c) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("mode", c.mode).put("seed", HEX.formatHex(c.seed));
    ArrayNode ops = o.putArray("ops");
    for (Op op : c.ops) {
      if (op.blocks == null) {
        ops.addObject().put("truncate", op.truncate);
      } else {
        ArrayNode blocks = ops.addObject().putArray("append");
        for (int[] b : op.blocks) blocks.addArray().add(b[0]).add(b[1]);
      }
    }
    return o;
  }

  private static ObjectNode verifyRequest(Built b, Step s, byte[] signature) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("manifest", HEX.formatHex(b.manifest)).put("key", b.key.hex());
    o.put("treeHash", HEX.formatHex(s.treeHash)).put("length", s.length).put("fork", s.fork);
    o.put("signature", HEX.formatHex(signature));
    return o;
  }

  private static byte[] tamper(byte[] sig, int k) {
    byte[] bad = sig.clone();
    int at = sig.length == 64 ? k % 64 : 2 + k % 64; // a signature byte, raw or inside the multiSignature
    bad[at] ^= (byte) (1 << (k % 8));
    return bad;
  }

  @BeforeAll
  static void buildBothSides() {
    Random rnd = TestSeeds.random("CoreInteropIT");
    makeCases(rnd);
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode a = in.putArray("cases");
    cases.forEach(c -> a.add(jsCase(c)));
    js = NodeScript.call("core-vectors.js", in).get("cases");

    for (int i = 0; i < cases.size(); i++) built.add(buildJava(i, cases.get(i)));

    // JS verifies every non-empty head Java signed, and a tampered copy of each.
    ObjectNode vin = NodeScript.JSON.createObjectNode();
    ArrayNode v = vin.putArray("verifies");
    for (int i = 0; i < cases.size(); i++) {
      Built b = built.get(i);
      for (int k = 0; k < b.steps.size(); k++) {
        Step s = b.steps.get(k);
        if (s.length == 0) continue;
        String label = cases.get(i).describe(i) + " step " + k;
        v.add(verifyRequest(b, s, s.signature));
        verdictLabels.add(label);
        verdictExpected.add(true);
        v.add(verifyRequest(b, s, tamper(s.signature, i + k)));
        verdictLabels.add(label + ", tampered");
        verdictExpected.add(false);
      }
    }
    jsVerdicts = NodeScript.call("manifest-vectors.js", vin).get("verifies");

    long blocks = 0;
    long bytes = 0;
    int steps = 0;
    for (Case c : cases) {
      for (Op op : c.ops) {
        steps++;
        if (op.blocks == null) continue;
        blocks += op.blocks.size();
        for (int[] b : op.blocks) bytes += b[0];
      }
    }
    System.out.printf("CoreInteropIT: %d cores, %d steps, %d blocks appended (%d bytes), %d JS verdicts%n",
        cases.size(), steps, blocks, bytes, verdictLabels.size());
  }

  private static String hex(byte[] b) {
    return b == null ? null : HEX.formatHex(b);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  @Test
  void everyCaseRanOnBothSides() {
    assertEquals(DEFAULT_CORES + COMPAT_CORES + V0_CORES + TRUNCATED_CORES, cases.size());
    assertEquals(cases.size(), js.size());
    assertEquals(cases.size(), built.size());
  }

  @Test
  void keysDiscoveryKeysAndManifestsMatch() {
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      JsonNode want = js.get(i);
      Built b = built.get(i);
      assertEquals(want.get("key").asText(), b.key.hex(), c.describe(i) + ": key");
      assertEquals(want.get("discoveryKey").asText(), b.discoveryKey.hex(), c.describe(i) + ": discovery key");
      assertEquals(want.get("manifest").asText(), HEX.formatHex(b.manifest), c.describe(i) + ": manifest");
      String pk = Ed25519.keyPair(c.seed).publicKey().hex();
      assertEquals(want.get("publicKey").asText(), pk);
      assertEquals(c.mode.equals("compat"), b.key.hex().equals(pk), c.describe(i) + ": key = public key only when compat");
    }
  }

  @Test
  void headsMatchAfterEveryStep() {
    for (int i = 0; i < cases.size(); i++) {
      JsonNode steps = js.get(i).get("steps");
      List<Step> java = built.get(i).steps;
      assertEquals(steps.size(), java.size());
      for (int k = 0; k < java.size(); k++) {
        String at = cases.get(i).describe(i) + " step " + k;
        JsonNode want = steps.get(k);
        Step got = java.get(k);
        assertEquals(want.get("length").asLong(), got.length, at + ": length");
        assertEquals(want.get("byteLength").asLong(), got.byteLength, at + ": byteLength");
        assertEquals(want.get("fork").asLong(), got.fork, at + ": fork");
        assertEquals(want.get("treeHash").asText(), hex(got.treeHash), at + ": tree hash");
        assertEquals(text(want.get("signature")), hex(got.signature), at + ": signature");
      }
    }
  }

  @Test
  void signatureShapesFollowTheCoreKind() {
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      for (Step s : built.get(i).steps) {
        if (s.length == 0 && s.fork == 0) continue;
        assertNotNull(s.signature, c.describe(i));
        assertEquals(c.mode.equals("default") ? 68 : 64, s.signature.length, c.describe(i) + " at length " + s.length);
      }
    }
  }

  /**
   * Every node of the tree at the final length (all leaves, every parent whose span is complete)
   * is byte-equal, and nothing is stored at or past twice the length. JS keeps some stale parents
   * of a truncated region until they are overwritten (merkle-tree.js _commitUpgrade stops its walk
   * at offset 0); those are outside the tree and not compared.
   */
  @Test
  void treeNodesMatch() {
    int compared = 0;
    for (int i = 0; i < cases.size(); i++) {
      JsonNode want = js.get(i).get("nodes");
      List<TreeNode> got = built.get(i).nodes;
      assertEquals(want.size(), got.size(), cases.get(i).describe(i));
      List<Step> steps = built.get(i).steps;
      long length = steps.get(steps.size() - 1).length;
      for (int n = 0; n < got.size(); n++) {
        String at = cases.get(i).describe(i) + " node " + n + " at length " + length;
        JsonNode w = want.get(n);
        TreeNode g = got.get(n);
        if (n >= 2 * length) {
          assertTrue(w.isNull(), at + ": JS has a node past the length");
          assertNull(g, at + ": Java has a node past the length");
        } else if (FlatTree.rightSpan(n) < 2 * length) {
          assertFalse(w.isNull(), at + ": JS lacks it");
          assertNotNull(g, at + ": Java lacks it");
          assertEquals(w.get(0).asLong(), g.index(), at);
          assertEquals(w.get(1).asLong(), g.size(), at + ": size");
          assertEquals(w.get(2).asText(), HEX.formatHex(g.hash()), at + ": hash");
          compared++;
        }
      }
    }
    assertTrue(compared > 500, compared + " nodes compared");
  }

  @Test
  void blocksReadBackAndReopenedCoresKeepTheirHead() {
    for (int i = 0; i < cases.size(); i++) {
      Built b = built.get(i);
      Step last = b.steps.get(b.steps.size() - 1);
      assertEquals(last.length, b.blocksReadBack, cases.get(i).describe(i));
      Step again = b.reopened.get(0);
      String at = cases.get(i).describe(i) + " reopened";
      assertEquals(last.length, again.length, at);
      assertEquals(last.byteLength, again.byteLength, at);
      assertEquals(last.fork, again.fork, at);
      assertArrayEquals(last.treeHash, again.treeHash, at);
      assertArrayEquals(last.signature, again.signature, at);
    }
  }

  @Test
  void jsVerifiesJavaSignaturesAndRejectsTamperedOnes() {
    assertEquals(verdictLabels.size(), jsVerdicts.size());
    for (int k = 0; k < verdictLabels.size(); k++) {
      JsonNode r = jsVerdicts.get(k);
      assertEquals(verdictExpected.get(k), r.get("valid").asBoolean(), verdictLabels.get(k) + " threw=" + r.get("threw"));
    }
  }

  @Test
  void javaVerifiesJsSignaturesAndRejectsTamperedOnes() {
    int checked = 0;
    for (int i = 0; i < cases.size(); i++) {
      JsonNode want = js.get(i);
      Key32 key = Key32.fromHex(want.get("key").asText());
      Verifier v = Verifier.of(key, Manifest.decode(HEX.parseHex(want.get("manifest").asText())));
      JsonNode steps = want.get("steps");
      for (int k = 0; k < steps.size(); k++) {
        JsonNode s = steps.get(k);
        if (s.get("length").asLong() == 0) continue;
        String at = cases.get(i).describe(i) + " step " + k;
        byte[] treeHash = HEX.parseHex(s.get("treeHash").asText());
        long length = s.get("length").asLong();
        long fork = s.get("fork").asLong();
        byte[] sig = HEX.parseHex(s.get("signature").asText());
        assertTrue(v.verify(treeHash, length, fork, sig), at);
        assertFalse(v.verify(treeHash, length, fork, tamper(sig, i + k)), at + ", tampered");
        assertFalse(v.verify(treeHash, length, fork + 1, sig), at + ", other fork");
        checked++;
      }
    }
    assertTrue(checked > cases.size(), checked + " JS heads verified");
  }
}
