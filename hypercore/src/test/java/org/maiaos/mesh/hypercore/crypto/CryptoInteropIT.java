package org.maiaos.mesh.hypercore.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Verifier;
import org.maiaos.mesh.hypercore.tree.NodeHash;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * hypercore-crypto 3.7.0 and hypercore's lib/caps.js against the Java crypto, over random inputs:
 * one Node run ({@code interop/crypto-vectors.js}) computes every value, then each is compared
 * byte for byte.
 */
class CryptoInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int N = 200;

  private static final List<Object[]> namespaces = new ArrayList<>(); // {name, count}
  private static final List<byte[]> discoveryKeys = new ArrayList<>();
  private static final List<byte[]> blocks = new ArrayList<>();
  private static final List<TreeNode[]> parents = new ArrayList<>();
  private static final List<List<TreeNode>> trees = new ArrayList<>();
  private static final List<List<byte[]>> hashes = new ArrayList<>();
  private static final List<byte[]> seeds = new ArrayList<>();
  private static final List<byte[][]> signs = new ArrayList<>(); // {seed, message}
  private static final List<byte[][]> verifies = new ArrayList<>(); // {publicKey, message, signature}
  private static final List<Boolean> javaVerifies = new ArrayList<>();
  private static final List<Object[]> signables = new ArrayList<>(); // {Verifier, treeHash, length, fork}
  private static JsonNode js;

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static long upTo(Random rnd, int bits) {
    return rnd.nextLong() >>> (64 - 1 - rnd.nextInt(bits));
  }

  private static TreeNode node(Random rnd, int bits) {
    return new TreeNode(upTo(rnd, bits), upTo(rnd, bits), bytes(rnd, 32));
  }

  private static String randomName(Random rnd) {
    StringBuilder sb = new StringBuilder();
    String alphabet = "abcXYZ-_/ 09\u00e9\u4e16\uD83D\uDE00";
    for (int i = rnd.nextInt(20); i > 0; i--) {
      int k = rnd.nextInt(alphabet.length() - 1);
      if (Character.isHighSurrogate(alphabet.charAt(k))) sb.append(alphabet, k, k + 2);
      else if (!Character.isLowSurrogate(alphabet.charAt(k))) sb.append(alphabet.charAt(k));
    }
    return sb.toString();
  }

  private static ObjectNode jsNode(TreeNode n) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("index", n.index());
    o.put("size", n.size());
    o.put("hash", HEX.formatHex(n.hash()));
    return o;
  }

  @BeforeAll
  static void runJs() {
    Random rnd = TestSeeds.random("CryptoInteropIT");
    ObjectNode in = NodeScript.JSON.createObjectNode();

    namespaces.add(new Object[] {"hypercore", 6});
    for (int i = 0; i < 20; i++) namespaces.add(new Object[] {randomName(rnd), 1 + rnd.nextInt(300)});
    ArrayNode a = in.putArray("namespaces");
    for (Object[] ns : namespaces) a.addObject().put("name", (String) ns[0]).put("count", (int) ns[1]);

    a = in.putArray("discoveryKeys");
    for (int i = 0; i < N; i++) {
      discoveryKeys.add(bytes(rnd, 32));
      a.add(HEX.formatHex(discoveryKeys.get(i)));
    }

    a = in.putArray("data");
    for (int i = 0; i < N; i++) {
      int size = i < 5 ? i : i < 10 ? 100 * 1024 + rnd.nextInt(1024) : rnd.nextInt(5000);
      blocks.add(bytes(rnd, size));
      a.add(HEX.formatHex(blocks.get(i)));
    }

    a = in.putArray("parents");
    for (int i = 0; i < N; i++) {
      // Sizes below 2^51 so the JS sum a.size + b.size stays exact.
      TreeNode[] pair = {node(rnd, 51), node(rnd, 51)};
      // Two nodes of one tree never share an index (with equal indexes JS keeps the argument order).
      while (pair[1].index() == pair[0].index()) pair[1] = node(rnd, 51);
      parents.add(pair);
      a.addArray().add(jsNode(pair[0])).add(jsNode(pair[1]));
    }

    a = in.putArray("trees");
    for (int i = 0; i < N; i++) {
      List<TreeNode> roots = new ArrayList<>();
      for (int k = rnd.nextInt(9); k > 0; k--) roots.add(node(rnd, 53));
      trees.add(roots);
      ArrayNode r = a.addArray();
      roots.forEach(n -> r.add(jsNode(n)));
    }

    a = in.putArray("hashes");
    for (int i = 0; i < N; i++) {
      List<byte[]> parts = new ArrayList<>();
      for (int k = rnd.nextInt(5); k > 0; k--) parts.add(bytes(rnd, rnd.nextInt(200)));
      hashes.add(parts);
      ArrayNode r = a.addArray();
      parts.forEach(p -> r.add(HEX.formatHex(p)));
    }

    a = in.putArray("seeds");
    for (int i = 0; i < N; i++) {
      seeds.add(bytes(rnd, 32));
      a.add(HEX.formatHex(seeds.get(i)));
    }

    a = in.putArray("signs");
    for (int i = 0; i < N; i++) {
      byte[][] s = {bytes(rnd, 32), bytes(rnd, rnd.nextInt(500))};
      signs.add(s);
      a.addObject().put("seed", HEX.formatHex(s[0])).put("message", HEX.formatHex(s[1]));
    }

    // Java signs; JS must verify exactly what Java verifies: valid, tampered, wrong message, wrong key.
    a = in.putArray("verifies");
    for (int i = 0; i < N; i++) {
      KeyPair kp = Ed25519.keyPair(bytes(rnd, 32));
      byte[] msg = bytes(rnd, rnd.nextInt(300));
      byte[] sig = Ed25519.sign(msg, kp);
      Key32 pk = kp.publicKey();
      switch (i % 4) {
        case 1 -> sig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
        case 2 -> msg = bytes(rnd, msg.length + 1);
        case 3 -> pk = Ed25519.keyPair(bytes(rnd, 32)).publicKey();
        default -> { }
      }
      verifies.add(new byte[][] {pk.toByteArray(), msg, sig});
      javaVerifies.add(Ed25519.verify(msg, sig, pk));
      a.addObject().put("publicKey", pk.hex()).put("message", HEX.formatHex(msg)).put("signature", HEX.formatHex(sig));
    }

    a = in.putArray("signables");
    for (int i = 0; i < N; i++) {
      Key32 pk = Ed25519.keyPair(bytes(rnd, 32)).publicKey();
      Manifest m = Manifest.defaultSigner(pk);
      boolean compat = rnd.nextBoolean();
      Verifier v = Verifier.of(compat ? pk : m.hash(), m);
      byte[] treeHash = bytes(rnd, 32);
      long length = upTo(rnd, 53);
      long fork = upTo(rnd, 53);
      signables.add(new Object[] {v, treeHash, length, fork});
      ObjectNode o = a.addObject();
      if (compat) o.putNull("ctx");
      else o.put("ctx", m.hash().hex());
      o.put("treeHash", HEX.formatHex(treeHash)).put("length", length).put("fork", fork);
    }

    js = NodeScript.call("crypto-vectors.js", in);
  }

  private static String at(String section, int i) {
    return js.get(section).get(i).asText();
  }

  @Test
  void capsConstantsEqualLibCaps() {
    Map<String, Key32> java = Map.of(
        "TREE", Caps.TREE,
        "REPLICATE_INITIATOR", Caps.REPLICATE_INITIATOR,
        "REPLICATE_RESPONDER", Caps.REPLICATE_RESPONDER,
        "MANIFEST", Caps.MANIFEST,
        "DEFAULT_NAMESPACE", Caps.DEFAULT_NAMESPACE,
        "DEFAULT_ENCRYPTION", Caps.DEFAULT_ENCRYPTION);
    assertEquals(6, js.get("caps").size());
    java.forEach((name, value) -> assertEquals(js.get("caps").get(name).asText(), value.hex(), name));
    js.get("capsExported").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(), java.get(e.getKey()).hex(), e.getKey()));
  }

  @Test
  void namespacesMatch() {
    for (int i = 0; i < namespaces.size(); i++) {
      String name = (String) namespaces.get(i)[0];
      byte[][] ns = Caps.namespace(name, (int) namespaces.get(i)[1]);
      JsonNode want = js.get("namespaces").get(i);
      assertEquals(want.size(), ns.length, name);
      for (int k = 0; k < ns.length; k++) assertEquals(want.get(k).asText(), HEX.formatHex(ns[k]), name + " #" + k);
    }
  }

  @Test
  void discoveryKeysMatch() {
    for (int i = 0; i < N; i++) {
      assertEquals(at("discoveryKeys", i), Caps.discoveryKey(Key32.of(discoveryKeys.get(i))).hex(), HEX.formatHex(discoveryKeys.get(i)));
    }
  }

  @Test
  void leafHashesMatch() {
    for (int i = 0; i < N; i++) assertEquals(at("data", i), HEX.formatHex(NodeHash.data(blocks.get(i))), "block of " + blocks.get(i).length);
  }

  @Test
  void parentHashesMatchInEitherOrder() {
    for (int i = 0; i < N; i++) {
      TreeNode[] p = parents.get(i);
      assertEquals(at("parents", i), HEX.formatHex(NodeHash.parent(p[0], p[1])), p[0] + " " + p[1]);
    }
  }

  @Test
  void treeHashesMatch() {
    for (int i = 0; i < N; i++) assertEquals(at("trees", i), HEX.formatHex(NodeHash.tree(trees.get(i))), trees.get(i).toString());
  }

  @Test
  void batchHashesMatch() {
    for (int i = 0; i < N; i++) {
      assertEquals(at("hashes", i), HEX.formatHex(Blake2b.hash(hashes.get(i).toArray(new byte[0][]))));
    }
  }

  @Test
  void seedKeyPairsMatch() {
    for (int i = 0; i < N; i++) {
      KeyPair kp = Ed25519.keyPair(seeds.get(i));
      JsonNode want = js.get("seeds").get(i);
      assertEquals(want.get("publicKey").asText(), kp.publicKey().hex());
      assertEquals(want.get("secretKey").asText(), HEX.formatHex(kp.secretKey()));
    }
  }

  @Test
  void signaturesMatch() {
    for (int i = 0; i < N; i++) {
      byte[][] s = signs.get(i);
      assertEquals(at("signs", i), HEX.formatHex(Ed25519.sign(s[1], Ed25519.keyPair(s[0]))));
    }
  }

  @Test
  void jsVerifiesExactlyWhatJavaVerifies() {
    int valid = 0;
    for (int i = 0; i < N; i++) {
      boolean want = js.get("verifies").get(i).asBoolean();
      assertEquals(want, javaVerifies.get(i), "case " + i + " (" + (i % 4) + ")");
      byte[][] v = verifies.get(i);
      assertEquals(want, Ed25519.verify(v[1], v[2], Key32.of(v[0])));
      if (want) valid++;
    }
    assertEquals(N / 4, valid, "only the untampered quarter is valid");
  }

  @Test
  void treeSignablesMatch() {
    for (int i = 0; i < N; i++) {
      Object[] s = signables.get(i);
      Verifier v = (Verifier) s[0];
      byte[] signable = v.signable((byte[]) s[1], (long) s[2], (long) s[3], v.manifest().signers().get(0));
      assertEquals(v.isCompat() ? 80 : 112, signable.length);
      assertEquals(at("signables", i), HEX.formatHex(signable));
    }
  }

  @Test
  void everySectionWasAnswered() {
    for (String s : List.of("discoveryKeys", "data", "parents", "trees", "hashes", "seeds", "signs", "verifies", "signables")) {
      assertEquals(N, js.get(s).size(), s);
    }
    assertEquals(namespaces.size(), js.get("namespaces").size());
  }
}
