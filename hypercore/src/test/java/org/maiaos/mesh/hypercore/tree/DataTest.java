package org.maiaos.mesh.hypercore.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hypercore.manifest.Manifest;

class DataTest {
  private static final HexFormat HEX = HexFormat.of();

  private static void assertDecodingError(byte[] bytes) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> Data.decode(bytes));
    assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
  }

  private static TreeNode node(Random rnd) {
    byte[] h = new byte[32];
    rnd.nextBytes(h);
    return new TreeNode(RequestTest.randomUint(rnd), RequestTest.randomUint(rnd), h);
  }

  private static List<TreeNode> nodes(Random rnd) {
    List<TreeNode> out = new ArrayList<>();
    int n = rnd.nextInt(5) == 0 ? rnd.nextInt(Data.MAX_NODES + 1) : rnd.nextInt(8);
    for (int i = 0; i < n; i++) out.add(node(rnd));
    return out;
  }

  private static byte[] bytes(Random rnd, int max) {
    byte[] b = new byte[rnd.nextInt(max + 1)];
    rnd.nextBytes(b);
    return b;
  }

  static Data randomData(Random rnd) {
    byte[] pk = new byte[32];
    rnd.nextBytes(pk);
    return new Data(
        RequestTest.randomUint(rnd),
        RequestTest.randomUint(rnd),
        rnd.nextBoolean() ? new DataBlock(RequestTest.randomUint(rnd), bytes(rnd, 300), nodes(rnd)) : null,
        rnd.nextBoolean() ? new DataHash(RequestTest.randomUint(rnd), nodes(rnd)) : null,
        rnd.nextBoolean() ? new DataSeek(RequestTest.randomUint(rnd), nodes(rnd)) : null,
        rnd.nextBoolean() ? new DataUpgrade(RequestTest.randomUint(rnd), RequestTest.randomUint(rnd), nodes(rnd), nodes(rnd), rnd.nextBoolean() ? null : bytes(rnd, 100)) : null,
        rnd.nextBoolean() ? Manifest.defaultSigner(Key32.of(pk)) : null);
  }

  @Test
  void encodesTheCapturedBlockAnswerByteForByte() {
    byte[] h4 = new byte[32];
    byte[] h1 = new byte[32];
    Arrays.fill(h4, (byte) 4);
    Arrays.fill(h1, (byte) 1);
    Data d = new Data(1, 0, new DataBlock(3, "block-three".getBytes(StandardCharsets.US_ASCII),
        List.of(new TreeNode(4, 7, h4), new TreeNode(1, 23, h1))), null, null, null, null);
    String expected = "01" + "01" + "00" + "03" + "0b626c6f636b2d7468726565" + "02" + "0407" + HEX.formatHex(h4) + "0117" + HEX.formatHex(h1);
    assertEquals(expected, HEX.formatHex(d.encode()));
    assertEquals(d, Data.decode(HEX.parseHex(expected)));
  }

  @Test
  void encodesAnUpgradeWithSignatureAndManifestInOrder() {
    byte[] h = new byte[32];
    byte[] sig = new byte[68];
    sig[0] = 1;
    Key32 pk = Key32.of(new byte[32]);
    Manifest m = Manifest.defaultSigner(pk);
    Data d = new Data(1, 0, null, null, null, new DataUpgrade(0, 5, List.of(new TreeNode(3, 41, h), new TreeNode(8, 7, h)), List.of(), sig), m);
    String hex = HEX.formatHex(d.encode());
    assertTrue(hex.startsWith("18" + "01" + "00" + "00" + "05" + "02" + "0329"), hex);
    assertTrue(hex.endsWith("00" + "44" + HEX.formatHex(sig) + HEX.formatHex(m.encode())), hex);
    assertEquals(d, Data.decode(d.encode()));
  }

  @Test
  void roundTripsRandomMessages() {
    Random rnd = TestSeeds.random("DataTest.roundTripsRandomMessages");
    for (int i = 0; i < 1000; i++) {
      Data d = randomData(rnd);
      byte[] bytes = d.encode();
      Data back = Data.decode(bytes);
      assertEquals(d, back);
      assertEquals(d.hashCode(), back.hashCode());
      assertArrayEquals(bytes, back.encode());
    }
  }

  @Test
  void readsAnEmptySignatureAsNone() {
    DataUpgrade u = new DataUpgrade(0, 1, List.of(), List.of(), new byte[0]);
    assertNull(u.signature());
    assertEquals(u, new DataUpgrade(0, 1, List.of(), List.of(), null));
  }

  @Test
  void rejectsEveryTruncation() {
    Random rnd = TestSeeds.random("DataTest.rejectsEveryTruncation");
    for (int i = 0; i < 60; i++) {
      byte[] bytes = randomData(rnd).encode();
      for (int n = 0; n < bytes.length; n += 1 + n / 64) assertDecodingError(Arrays.copyOf(bytes, n));
      assertDecodingError(Arrays.copyOf(bytes, bytes.length - 1));
      assertDecodingError(Arrays.copyOf(bytes, bytes.length + 1));
    }
  }

  @Test
  void acceptsTheMostNodesAndRejectsOneMore() {
    byte[] h = new byte[32];
    List<TreeNode> max = new ArrayList<>();
    for (int i = 0; i < Data.MAX_NODES; i++) max.add(new TreeNode(i, 1, h));
    Data d = new Data(0, 0, null, new DataHash(0, max), null, null, null);
    assertEquals(Data.MAX_NODES, Data.decode(d.encode()).hash().nodes().size());
    // patch the count to one more and add a node
    State s = new State();
    Uint.preencode(s, Data.MAX_NODES + 1);
    s.end += 3 + 1 + 34 * (Data.MAX_NODES + 1);
    s.alloc();
    Uint.encode(s, 2);
    Uint.encode(s, 0);
    Uint.encode(s, 0);
    Uint.encode(s, 0);
    Uint.encode(s, Data.MAX_NODES + 1);
    for (int i = 0; i <= Data.MAX_NODES; i++) TreeNode.encode(s, new TreeNode(i % 200, 1, h));
    assertDecodingError(Arrays.copyOf(s.buffer, s.start));
    List<TreeNode> tooMany = new ArrayList<>(max);
    tooMany.add(max.get(0));
    assertThrows(HypercoreException.class, () -> new DataSeek(0, tooMany));
  }

  @Test
  void rejectsANodeCountLargerThanTheBytesLeft() {
    assertDecodingError(HEX.parseHex("02" + "00" + "00" + "00" + "05" + "00" + "00" + "00".repeat(32)));
    assertDecodingError(HEX.parseHex("02" + "00" + "00" + "00" + "fe00000001"));
  }

  @Test
  void rejectsACorruptedManifestAsDecodingError() {
    Key32 pk = Key32.of(new byte[32]);
    byte[] good = new Data(0, 0, null, null, null, null, Manifest.defaultSigner(pk)).encode();
    byte[] badVersion = good.clone();
    badVersion[3] = 9; // manifest version
    assertDecodingError(badVersion);
    byte[] badHash = good.clone();
    badHash[5] = 1; // hash algorithm
    assertDecodingError(badHash);
    byte[] badQuorum = good.clone();
    badQuorum[6] = 5; // quorum over the signer count
    assertDecodingError(badQuorum);
  }

  @Test
  void comparesAndPrintsByValueWithoutBlockContents() {
    byte[] v = "secret-block".getBytes(StandardCharsets.UTF_8);
    DataBlock a = new DataBlock(1, v, List.of());
    DataBlock b = new DataBlock(1, v.clone(), List.of());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new DataBlock(1, "other".getBytes(StandardCharsets.UTF_8), List.of()));
    assertFalse(a.toString().contains("secret"), a.toString());
    v[0] = 'X';
    assertEquals(b, a); // the record copied the value
    byte[] out = a.value();
    out[0] = 'Y';
    assertEquals(b, a);
  }
}
