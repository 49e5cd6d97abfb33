package org.maiaos.mesh.hypercore.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Blake2b;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;

class ManifestTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Key32 PK = Key32.fromHex("8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");

  static void assertDecodingError(byte[] bytes) {
    try {
      Manifest m = Manifest.decode(bytes);
      fail("decoded " + m + " from " + HEX.formatHex(bytes));
    } catch (HypercoreException e) {
      assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
    }
  }

  private static void assertSameFields(Manifest want, Manifest got) {
    assertEquals(want.version(), got.version());
    assertEquals(want.allowPatch(), got.allowPatch());
    assertEquals(want.quorum(), got.quorum());
    assertEquals(want.signers(), got.signers());
    assertEquals(want.prologue(), got.prologue());
    assertEquals(want.linked(), got.linked());
    assertArrayEquals(want.userData(), got.userData());
  }

  @Test
  void defaultSignerIsSeventyBytesOfVersionOne() {
    byte[] enc = Manifest.defaultSigner(PK).encode();
    assertEquals(70, enc.length);
    assertEquals("010000010100" + Caps.DEFAULT_NAMESPACE.hex() + PK.hex(), HEX.formatHex(enc));
  }

  @Test
  void v0SingleSignerUsesTypeOne() {
    assertEquals("00000100" + Caps.DEFAULT_NAMESPACE.hex() + PK.hex(), HEX.formatHex(Manifest.v0Signer(PK).encode()));
  }

  @Test
  void hashIsBlake2bOfTheManifestCapAndTheEncoding() {
    Manifest m = Manifest.defaultSigner(PK);
    assertEquals(Key32.of(Blake2b.hash(Caps.MANIFEST.toByteArray(), m.encode())), m.hash());
  }

  @Test
  void randomManifestsRoundTrip() {
    Random rnd = TestSeeds.random("ManifestTest.randomManifestsRoundTrip");
    for (int i = 0; i < 2_000; i++) {
      Manifest m = RandomManifests.random(rnd, 6);
      byte[] enc = m.encode();
      Manifest back = Manifest.decode(enc);
      assertSameFields(m, back);
      assertArrayEquals(enc, back.encode());
      assertEquals(m.hash(), back.hash());
    }
  }

  @Test
  void everyTruncationIsADecodingError() {
    Random rnd = TestSeeds.random("ManifestTest.everyTruncationIsADecodingError");
    for (int i = 0; i < 300; i++) {
      byte[] enc = RandomManifests.random(rnd, 4).encode();
      for (int len = 0; len < enc.length; len++) assertDecodingError(Arrays.copyOf(enc, len));
    }
  }

  @Test
  void aTrailingByteIsADecodingError() {
    byte[] enc = Manifest.defaultSigner(PK).encode();
    assertDecodingError(Arrays.copyOf(enc, enc.length + 1));
  }

  @Test
  void corruptedBytesDecodeOrFailWithDecodingErrorOnly() {
    Random rnd = TestSeeds.random("ManifestTest.corruptedBytesDecodeOrFailWithDecodingErrorOnly");
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] enc = RandomManifests.random(rnd, 4).encode();
      for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
        enc[rnd.nextInt(enc.length)] = (byte) rnd.nextInt(256);
      }
      try {
        Manifest m = Manifest.decode(enc);
        decoded++;
        assertArrayEquals(m.encode(), Manifest.decode(m.encode()).encode(), "a decoded manifest re-encodes stably");
      } catch (HypercoreException e) {
        assertEquals(CoreError.DECODING_ERROR, e.code(), e.getMessage());
      } catch (RuntimeException e) {
        fail("input " + HEX.formatHex(enc) + " threw " + e);
      }
    }
    assertTrue(decoded > 0, "some corruptions (namespace or key bytes) still decode");
  }

  @Test
  void oversizedCountsAreRejectedBeforeAllocating() {
    // v1, no flags, blake2b, quorum 0, then a signer count of 2^32-1 with no signers behind it.
    assertDecodingError(HEX.parseHex("01000000feffffffff"));
    assertDecodingError(HEX.parseHex("01000000ffffffffffffff1f00"));
    // One over the signer limit, with enough bytes for the count check to be the one that fails.
    byte[] many = new byte[7 + 1025 * 65];
    System.arraycopy(HEX.parseHex("01000000fd0104"), 0, many, 0, 7);
    assertDecodingError(many);
    // v2 with linked (flag 4): count 2^32-1.
    assertDecodingError(HEX.parseHex("0204000000feffffffff"));
    // v2 with userData (flag 8): length 2^53-1 and 3 bytes present.
    assertDecodingError(HEX.parseHex("0208000000ffffffffffffff1f00aabbcc"));
    // v0 type 2: signer count 2^32-1.
    assertDecodingError(HEX.parseHex("0000020000feffffffff"));
  }

  @Test
  void unknownVersionHashSignatureAndTypeAreDecodingErrors() {
    String signer = "00" + Caps.DEFAULT_NAMESPACE.hex() + PK.hex();
    assertArrayEquals(Manifest.defaultSigner(PK).encode(), HEX.parseHex("0100000101" + signer));
    assertDecodingError(HEX.parseHex("0400000101" + signer)); // version 4
    assertDecodingError(HEX.parseHex("0100010101" + signer)); // hash id 1
    assertDecodingError(HEX.parseHex("0100000101" + "01" + signer.substring(2))); // signature id 1
    assertDecodingError(HEX.parseHex("000003" + signer)); // v0 type 3
    assertDecodingError(HEX.parseHex("000100" + signer.substring(2))); // v0 hash id 1
  }

  @Test
  void quorumAboveTheSignerCountIsADecodingError() {
    String signer = "00" + Caps.DEFAULT_NAMESPACE.hex() + PK.hex();
    assertDecodingError(HEX.parseHex("0100000201" + signer)); // v1 quorum 2 of 1
    assertDecodingError(HEX.parseHex("0000020002" + "01" + signer)); // v0 type 2 quorum 2 of 1
  }

  @Test
  void v0PrologueDecodesWithLengthZeroAndNoSigners() {
    Key32 hash = Key32.of(new byte[32]);
    Manifest m = Manifest.decode(HEX.parseHex("000000" + hash.hex()));
    assertEquals(0, m.version());
    assertEquals(0, m.quorum());
    assertEquals(List.of(), m.signers());
    assertEquals(new Prologue(hash, 0), m.prologue());
  }

  @Test
  void constructorRefusesInconsistentManifests() {
    List<Signer> one = List.of(new Signer(Caps.DEFAULT_NAMESPACE, PK));
    assertBadArgument(() -> new Manifest(4, false, 1, one, null, null, null));
    assertBadArgument(() -> new Manifest(-1, false, 1, one, null, null, null));
    assertBadArgument(() -> new Manifest(1, false, 2, one, null, null, null));
    assertBadArgument(() -> new Manifest(1, false, -1, one, null, null, null));
    assertBadArgument(() -> new Manifest(1, false, 1, one, null, null, new byte[1]));
    assertBadArgument(() -> new Manifest(1, false, 1, one, null, List.of(PK), null));
  }

  private static void assertBadArgument(Runnable r) {
    HypercoreException e = assertThrows(HypercoreException.class, r::run);
    assertEquals(CoreError.BAD_ARGUMENT, e.code());
  }

  @Test
  void compatMeansTheKeyIsTheOnlySignersPublicKey() {
    Manifest m = Manifest.defaultSigner(PK);
    assertTrue(m.isCompatWith(PK));
    assertFalse(m.isCompatWith(m.hash()));
    Manifest two = new Manifest(1, false, 1, List.of(new Signer(Caps.DEFAULT_NAMESPACE, PK), new Signer(Caps.DEFAULT_NAMESPACE, m.hash())), null, null, null);
    assertFalse(two.isCompatWith(PK));
  }

  @Test
  void userDataAndLinkedAreCopiedDefensively() {
    byte[] data = {1, 2, 3};
    Manifest m = new Manifest(2, false, 0, List.of(), null, null, data);
    data[0] = 9;
    assertEquals(1, m.userData()[0]);
    m.userData()[1] = 9;
    assertEquals(2, m.userData()[1]);
    assertNull(new Manifest(2, false, 0, List.of(), null, null, null).userData());
  }
}
