package org.maiaos.mesh.hypercore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

class HeadTest {
  @Test
  void headsWithTheSameValuesAreEqualAndCopiesAreIndependent() {
    byte[] hash = Fixtures.hash32("x");
    Head a = new Head(1, 2, 3, hash, new byte[] {9});
    hash[0] ^= 1; // the head copied it
    Head b = new Head(1, 2, 3, Fixtures.hash32("x"), new byte[] {9});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    a.treeHash()[0] ^= 1;
    assertEquals(a, b);
    assertNotEquals(a, new Head(1, 2, 3, Fixtures.hash32("x"), null));
    assertTrue(a.toString().contains("length=2"), a.toString());
  }

  @Test
  void emptySignatureIsStoredAsNone() {
    assertNull(new Head(0, 0, 0, Fixtures.hash32("x"), new byte[0]).signature());
  }

  @Test
  void badHeadsAreRefused() {
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> new Head(-1, 0, 0, Fixtures.hash32("x"), null)).code());
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> new Head(0, 0, 0, new byte[31], null)).code());
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> new BlockWrite(-1, new byte[0])).code());
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
        () -> new Update(java.util.List.of(), java.util.List.of(), -2, null)).code());
    assertEquals(CoreError.BAD_ARGUMENT, assertThrows(HypercoreException.class,
        () -> new CoreHeader(org.maiaos.mesh.hypercore.crypto.Key32.of(new byte[32]), new byte[0], new byte[63])).code());
  }

  @Test
  void blockWriteToStringNeverShowsContents() {
    assertEquals("BlockWrite[4, 3 bytes]", new BlockWrite(4, "abc".getBytes()).toString());
  }
}
