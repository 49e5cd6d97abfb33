package org.maiaos.mesh.hypercore.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Manifests, core keys and tree-head signatures against hypercore 11.37.1's own lib/verifier.js,
 * lib/messages.js and lib/multisig.js ({@code interop/manifest-vectors.js}), over random
 * manifests of every version and shape: encodings and hashes are byte-equal, each side decodes
 * the other's bytes, signatures are byte-equal, and each side accepts exactly the signatures the
 * other accepts (valid, tampered, short of quorum, duplicated signers, prologue heads).
 */
class ManifestInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int MANIFESTS = 300;
  private static final int CORRUPTIONS = 3_000;

  /** A random manifest with its signers' key pairs. */
  private record Signed(Manifest manifest, List<KeyPair> keyPairs) {}

  /** A head signed (or not) under a manifest, as sent to JS for verification. */
  private record Check(Manifest manifest, Key32 key, byte[] treeHash, long length, long fork, byte[] signature, boolean java, String what) {}

  private static final List<Signed> manifests = new ArrayList<>();
  private static final List<byte[]> corrupted = new ArrayList<>();
  private static final List<Check> signs = new ArrayList<>(); // signature = Java's; compared with JS's
  private static final List<KeyPair> signers = new ArrayList<>(); // who made signs[i]
  private static final List<Check> checks = new ArrayList<>();
  private static final List<MultiSignature> assembles = new ArrayList<>();
  private static JsonNode js;

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static ObjectNode logical(Manifest m) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("version", m.version()).put("allowPatch", m.allowPatch()).put("quorum", m.quorum());
    ArrayNode signers = o.putArray("signers");
    for (Signer s : m.signers()) signers.addObject().put("namespace", s.namespace().hex()).put("publicKey", s.publicKey().hex());
    if (m.prologue() == null) o.putNull("prologue");
    else o.putObject("prologue").put("hash", m.prologue().hash().hex()).put("length", m.prologue().length());
    if (m.linked() == null) {
      o.putNull("linked");
    } else {
      ArrayNode l = o.putArray("linked");
      m.linked().forEach(k -> l.add(k.hex()));
    }
    if (m.userData() == null) o.putNull("userData");
    else o.put("userData", HEX.formatHex(m.userData()));
    return o;
  }

  private static ObjectNode head(Check c) {
    ObjectNode o = NodeScript.JSON.createObjectNode();
    o.put("manifest", HEX.formatHex(c.manifest.encode())).put("key", c.key.hex());
    o.put("treeHash", HEX.formatHex(c.treeHash)).put("length", c.length).put("fork", c.fork);
    return o;
  }

  /** JS and this implementation verify v0 multi-signer cores differently (multiSignaturev0 is not implemented here). */
  private static boolean javaVerifiesThisShape(Manifest m, Key32 key) {
    return m.version() > 0 || m.isCompatWith(key) || m.signers().size() <= 1;
  }

  /** Whether the one signature {@code Verifier.sign} returns is a complete, valid stored signature. */
  private static boolean signatureAloneIsValid(Check c) {
    Manifest m = c.manifest;
    if (m.isCompatWith(c.key)) return true;
    if (m.signers().size() != 1 || m.quorum() != 1) return false;
    return m.version() == 0 || m.prologue() == null || c.length > m.prologue().length();
  }

  private static void addChecks(Random rnd, Signed s) {
    Manifest m = s.manifest;
    boolean compat = m.signers().size() == 1 && rnd.nextInt(3) == 0;
    Key32 key = compat ? m.signers().get(0).publicKey() : m.hash();
    if (!javaVerifiesThisShape(m, key)) return;
    Verifier v = Verifier.of(key, m);
    byte[] treeHash = bytes(rnd, 32);
    long length = RandomManifests.randomLength(rnd);
    long fork = rnd.nextInt(4) == 0 ? RandomManifests.randomLength(rnd) : rnd.nextInt(3);
    if (m.prologue() != null && rnd.nextBoolean()) {
      // A head at the prologue: valid without a signature iff the hash is the prologue's.
      Prologue p = m.prologue();
      byte[] h = rnd.nextBoolean() ? p.hash().toByteArray() : treeHash;
      long len = rnd.nextBoolean() ? p.length() : rnd.nextLong(p.length() + 1);
      checks.add(new Check(m, key, h, len, fork, new byte[0], v.verify(h, len, fork, new byte[0]), "prologue head"));
      return;
    }
    if (m.signers().isEmpty()) {
      checks.add(new Check(m, key, treeHash, length, fork, bytes(rnd, 68), v.verify(treeHash, length, fork, bytes(rnd, 68)), "no signers"));
      return;
    }
    byte[] sig;
    String what;
    if (m.signers().size() == 1 || compat) {
      sig = v.sign(treeHash, length, fork, s.keyPairs.get(0));
      what = "single signer";
    } else {
      // Multisig: a random number of proofs from random (possibly repeated) signers, in random order.
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < m.signers().size(); i++) order.add(i);
      Collections.shuffle(order, rnd);
      int count = rnd.nextInt(m.signers().size() + 1);
      List<MultiSignature.Proof> proofs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int signer = rnd.nextInt(8) == 0 ? order.get(0) : order.get(i);
        long patch = m.allowPatch() ? 0 : rnd.nextInt(3);
        proofs.add(new MultiSignature.Proof(signer, v.sign(treeHash, length, fork, s.keyPairs.get(signer)), patch));
      }
      sig = new MultiSignature(proofs, List.of()).encode();
      what = count + " of quorum " + m.quorum();
    }
    checks.add(new Check(m, key, treeHash, length, fork, sig, v.verify(treeHash, length, fork, sig), what));
    byte[] bad = sig.clone();
    int at = sig.length == 64 ? rnd.nextInt(64) : Math.min(sig.length - 1, 2 + rnd.nextInt(64));
    bad[at] ^= (byte) (1 << rnd.nextInt(8));
    checks.add(new Check(m, key, treeHash, length, fork, bad, v.verify(treeHash, length, fork, bad), what + ", tampered"));
    long other = length == 0 ? 1 : length - 1;
    checks.add(new Check(m, key, treeHash, other, fork, sig, v.verify(treeHash, other, fork, sig), what + ", other length"));
  }

  @BeforeAll
  static void runJs() {
    Random rnd = TestSeeds.random("ManifestInteropIT");
    for (int i = 0; i < MANIFESTS; i++) {
      List<KeyPair> kps = new ArrayList<>();
      for (int k = rnd.nextInt(5); k > 0; k--) kps.add(Ed25519.keyPair(RandomManifests.seed(rnd)));
      if (i % 10 == 0) kps = List.of(Ed25519.keyPair(RandomManifests.seed(rnd)));
      Manifest m = i == 0 ? Manifest.defaultSigner(kps.get(0).publicKey())
          : i == 10 ? Manifest.v0Signer(kps.get(0).publicKey())
          : RandomManifests.withSigners(rnd, kps);
      manifests.add(new Signed(m, kps));
    }
    for (int i = 0; i < CORRUPTIONS; i++) {
      byte[] enc = manifests.get(rnd.nextInt(MANIFESTS)).manifest.encode();
      if (rnd.nextInt(4) == 0) {
        corrupted.add(Arrays.copyOf(enc, rnd.nextInt(enc.length + 2)));
      } else {
        for (int flips = 1 + rnd.nextInt(2); flips > 0; flips--) {
          int at = rnd.nextInt(Math.min(enc.length, 8 + rnd.nextInt(enc.length)));
          enc[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (enc[at] ^ (1 << rnd.nextInt(8)));
        }
        corrupted.add(enc);
      }
    }
    for (Signed s : manifests) {
      Manifest m = s.manifest;
      if (m.signers().isEmpty()) continue;
      boolean compat = m.signers().size() == 1 && rnd.nextBoolean();
      Key32 key = compat ? m.signers().get(0).publicKey() : m.hash();
      int signer = rnd.nextInt(m.signers().size());
      byte[] treeHash = bytes(rnd, 32);
      long length = RandomManifests.randomLength(rnd);
      long fork = rnd.nextInt(3);
      byte[] sig = Verifier.of(key, m).sign(treeHash, length, fork, s.keyPairs.get(signer));
      signs.add(new Check(m, key, treeHash, length, fork, sig, true, "signer " + signer));
      signers.add(s.keyPairs.get(signer));
    }
    for (Signed s : manifests) addChecks(rnd, s);
    for (int i = 0; i < 100; i++) {
      List<MultiSignature.Proof> proofs = new ArrayList<>();
      for (int k = rnd.nextInt(4); k > 0; k--) {
        proofs.add(new MultiSignature.Proof(rnd.nextInt(300), bytes(rnd, 64), rnd.nextBoolean() ? 0 : RandomManifests.randomLength(rnd)));
      }
      assembles.add(new MultiSignature(proofs, List.of()));
    }

    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode a = in.putArray("manifests");
    manifests.forEach(s -> a.add(logical(s.manifest)));
    ArrayNode d = in.putArray("decodes");
    manifests.forEach(s -> d.add(HEX.formatHex(s.manifest.encode())));
    corrupted.forEach(b -> d.add(HEX.formatHex(b)));
    ArrayNode sg = in.putArray("signs");
    for (int i = 0; i < signs.size(); i++) sg.add(head(signs.get(i)).put("seed", HEX.formatHex(signers.get(i).seed())));
    ArrayNode v = in.putArray("verifies");
    signs.forEach(c -> v.add(head(c).put("signature", HEX.formatHex(c.signature))));
    checks.forEach(c -> v.add(head(c).put("signature", HEX.formatHex(c.signature))));
    ArrayNode as = in.putArray("assembles");
    for (MultiSignature ms : assembles) {
      ArrayNode p = as.addArray();
      ms.proofs().forEach(x -> p.addObject().put("signer", x.signer()).put("signature", HEX.formatHex(x.signature())).put("patch", x.patch()));
    }
    js = NodeScript.call("manifest-vectors.js", in);
  }

  @Test
  void encodingsAndKeysEqualCreateManifest() {
    for (int i = 0; i < MANIFESTS; i++) {
      Manifest m = manifests.get(i).manifest;
      JsonNode want = js.get("manifests").get(i);
      assertEquals(want.get("encoding").asText(), HEX.formatHex(m.encode()), m.toString());
      assertEquals(want.get("hash").asText(), m.hash().hex(), m.toString());
    }
  }

  @Test
  void jsDecodesJavaEncodingsToTheSameBytes() {
    for (int i = 0; i < MANIFESTS; i++) {
      JsonNode r = js.get("decodes").get(i);
      String enc = HEX.formatHex(manifests.get(i).manifest.encode());
      assertTrue(r.get("ok").asBoolean(), enc + ": " + r.get("error"));
      assertEquals(enc, r.get("reencoded").asText());
      assertEquals(0, r.get("trailing").asInt());
    }
  }

  /**
   * Corrupted and truncated encodings: whatever Java decodes, JS decodes to the same manifest. Java
   * is stricter than messages.manifest in a few listed ways, each an input JS only accepts
   * without validation (its Hypercore.parseManifest or createManifest then rejects most of them).
   */
  @Test
  void corruptedEncodingsDecodeAlikeOrJavaIsKnownStricter() {
    int bothOk = 0;
    int bothFail = 0;
    int stricter = 0;
    int version3 = 0;
    for (int i = 0; i < CORRUPTIONS; i++) {
      byte[] input = corrupted.get(i);
      JsonNode r = js.get("decodes").get(MANIFESTS + i);
      Manifest m = null;
      HypercoreException err = null;
      try {
        m = Manifest.decode(input);
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
        err = e;
      }
      String hex = HEX.formatHex(input);
      if (m != null) {
        if (!r.get("ok").asBoolean()) fail("Java decodes " + hex + " that JS rejects: " + r.get("error"));
        if (r.get("version").asInt() == 3) version3++; // 11.37.1 accepts v3; it must keep its number
        assertEquals(r.get("reencoded").asText(), HEX.formatHex(m.encode()), hex);
        assertEquals(0, r.get("trailing").asInt(), hex);
        bothOk++;
      } else if (!r.get("ok").asBoolean()) {
        bothFail++;
      } else {
        boolean known = r.get("trailing").asInt() > 0
            || r.get("quorum").asLong() > r.get("signers").asLong()
            || (r.get("version").asInt() < 2 && (r.get("linked").asBoolean() || r.get("userData").asBoolean()))
            || err.getMessage().contains("2^53-1");
        if (!known) fail("JS decodes " + hex + " (" + r + ") that Java rejects: " + err.getMessage());
        stricter++;
      }
    }
    String summary = "both decode " + bothOk + ", both reject " + bothFail + ", only JS decodes " + stricter + ", of them v3 " + version3;
    System.out.println("ManifestInteropIT corrupted encodings: " + summary);
    assertTrue(bothOk > 0 && bothFail > 0, summary);
  }

  @Test
  void signaturesAreByteEqual() {
    assertTrue(signs.size() > MANIFESTS / 2);
    for (int i = 0; i < signs.size(); i++) {
      Check c = signs.get(i);
      assertEquals(js.get("signs").get(i).asText(), HEX.formatHex(c.signature), c.manifest + " " + c.what);
    }
  }

  @Test
  void javaVerifiesJsSignatures() {
    int valid = 0;
    for (int i = 0; i < signs.size(); i++) {
      Check c = signs.get(i);
      byte[] jsSig = HEX.parseHex(js.get("signs").get(i).asText());
      Verifier v = Verifier.of(c.key, c.manifest);
      if (!signatureAloneIsValid(c)) continue;
      assertTrue(v.verify(c.treeHash, c.length, c.fork, jsSig), c.manifest + " " + c.what);
      byte[] bad = jsSig.clone();
      bad[bad.length == 64 ? 10 : 12] ^= 4; // a signature byte, raw or inside the multiSignature
      assertFalse(v.verify(c.treeHash, c.length, c.fork, bad), c.manifest + " " + c.what + ", tampered");
      valid++;
    }
    assertTrue(valid > 30, valid + " JS signatures checked");
  }

  @Test
  void jsAcceptsExactlyTheSignaturesJavaAccepts() {
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < signs.size() + checks.size(); i++) {
      JsonNode r = js.get("verifies").get(i);
      Check c = i < signs.size() ? signs.get(i) : checks.get(i - signs.size());
      boolean java = i < signs.size()
          ? Verifier.of(c.key, c.manifest).verify(c.treeHash, c.length, c.fork, c.signature)
          : c.java;
      // A multi-signer manifest's sign() gives one raw signature, not a stored one; the checks list
      // has assembled multisigs for those.
      if (i < signs.size() && c.manifest.signers().size() > 1) continue;
      if (!javaVerifiesThisShape(c.manifest, c.key)) continue;
      assertEquals(r.get("valid").asBoolean(), java, c.manifest + " " + c.what + " threw=" + r.get("threw"));
      if (java) valid++;
      else invalid++;
    }
    assertTrue(valid > 50 && invalid > 50, valid + " valid, " + invalid + " invalid");
  }

  @Test
  void multiSignatureEncodingEqualsAssemble() {
    for (int i = 0; i < assembles.size(); i++) {
      assertEquals(js.get("assembles").get(i).asText(), HEX.formatHex(assembles.get(i).encode()));
    }
  }
}
