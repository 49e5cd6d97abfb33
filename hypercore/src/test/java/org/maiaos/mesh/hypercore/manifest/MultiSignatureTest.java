package org.maiaos.mesh.hypercore.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.tree.TreeNode;

class MultiSignatureTest {
  private static final HexFormat HEX = HexFormat.of();

  private static void assertDecodingError(byte[] bytes) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> MultiSignature.decode(bytes), HEX.formatHex(bytes));
    assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
  }

  private static MultiSignature random(Random rnd) {
    List<MultiSignature.Proof> proofs = new ArrayList<>();
    for (int i = rnd.nextInt(5); i > 0; i--) {
      byte[] sig = new byte[64];
      rnd.nextBytes(sig);
      proofs.add(new MultiSignature.Proof(rnd.nextInt(300), sig, rnd.nextInt(3) == 0 ? RandomManifests.randomLength(rnd) : 0));
    }
    List<TreeNode> patch = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      byte[] hash = new byte[32];
      rnd.nextBytes(hash);
      patch.add(new TreeNode(RandomManifests.randomLength(rnd), RandomManifests.randomLength(rnd), hash));
    }
    return new MultiSignature(proofs, patch);
  }

  @Test
  void aSingleSignerWithoutPatchIsSixtyEightBytes() {
    byte[] sig = new byte[64];
    Arrays.fill(sig, (byte) 0xAB);
    byte[] enc = MultiSignature.single(sig).encode();
    assertEquals("0100" + HEX.formatHex(sig) + "0000", HEX.formatHex(enc));
  }

  @Test
  void randomSignaturesRoundTrip() {
    Random rnd = TestSeeds.random("MultiSignatureTest.randomSignaturesRoundTrip");
    for (int i = 0; i < 2_000; i++) {
      MultiSignature m = random(rnd);
      byte[] enc = m.encode();
      MultiSignature back = MultiSignature.decode(enc);
      assertEquals(m.proofs().size(), back.proofs().size());
      for (int k = 0; k < m.proofs().size(); k++) {
        assertEquals(m.proofs().get(k).signer(), back.proofs().get(k).signer());
        assertArrayEquals(m.proofs().get(k).signature(), back.proofs().get(k).signature());
        assertEquals(m.proofs().get(k).patch(), back.proofs().get(k).patch());
      }
      assertEquals(m.patch(), back.patch());
      assertArrayEquals(enc, back.encode());
    }
  }

  @Test
  void everyTruncationIsADecodingError() {
    Random rnd = TestSeeds.random("MultiSignatureTest.everyTruncationIsADecodingError");
    for (int i = 0; i < 200; i++) {
      byte[] enc = random(rnd).encode();
      for (int len = 0; len < enc.length; len++) assertDecodingError(Arrays.copyOf(enc, len));
    }
  }

  @Test
  void oversizedCountsAreDecodingErrors() {
    assertDecodingError(HEX.parseHex("feffffffff"));
    assertDecodingError(HEX.parseHex("00feffffffff"));
    byte[] manyPatchNodes = new byte[2 + 129 * 34];
    manyPatchNodes[0] = 0;
    manyPatchNodes[1] = (byte) 129; // one over the patch-node limit, bytes enough behind it
    assertDecodingError(manyPatchNodes);
  }

  @Test
  void corruptedBytesFailWithDecodingErrorOnly() {
    Random rnd = TestSeeds.random("MultiSignatureTest.corruptedBytesFailWithDecodingErrorOnly");
    for (int i = 0; i < 10_000; i++) {
      byte[] enc = random(rnd).encode();
      if (enc.length == 0) continue;
      enc[rnd.nextInt(enc.length)] = (byte) rnd.nextInt(256);
      try {
        MultiSignature.decode(enc);
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
      } catch (RuntimeException e) {
        fail("input " + HEX.formatHex(enc) + " threw " + e);
      }
    }
  }
}
