package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;

/** The mesh hello round-trips, and every truncated, oversized, padded or ill-named one is a DECODING_ERROR. */
class MeshHelloTest {
  private static final MeshHello HELLO = new MeshHello(1, "eu-west-1", Key32.of(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), 500_011);

  private static void decodingError(byte[] b) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> MeshHello.fromBytes(b));
    assertEquals(CoreError.DECODING_ERROR, e.code());
  }

  @Test
  void roundTripsAndRefusesEveryTruncationAndTrailingBytes() {
    byte[] b = HELLO.toBytes();
    assertEquals(HELLO, MeshHello.fromBytes(b));
    for (int n = 0; n < b.length; n++) decodingError(Arrays.copyOf(b, n));
    decodingError(Arrays.copyOf(b, b.length + 1));
    decodingError(new byte[MeshHello.MAX_BYTES + 1]);
    long max = org.maiaos.mesh.hypercore.encoding.Uint.MAX_SAFE; // compact-encoding's largest uint
    MeshHello longest = new MeshHello(max, "a".repeat(32), HELLO.beeKey(), max);
    assertEquals(MeshHello.MAX_BYTES, longest.toBytes().length);
    assertEquals(longest, MeshHello.fromBytes(longest.toBytes()));
    assertThrows(HypercoreException.class, () -> HELLO.withLength(-1));
  }

  @Test
  void aRegionOutsideTheAlphabetIsRefusedOnBothSides() {
    for (String bad : new String[] {"", "EU", "eu west", "a".repeat(33), "ü", "eu\n"}) {
      assertThrows(HypercoreException.class, () -> new MeshHello(1, bad, HELLO.beeKey(), 0));
    }
    byte[] b = HELLO.toBytes();
    b[2] = 'E'; // the region's first character, after the version and the length
    decodingError(b);
  }
}
