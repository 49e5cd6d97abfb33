package org.maiaos.mesh.cojson.storage.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.StorageError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;

class KeyLayoutTest {
  private static int cmp(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  @Test
  void chunkIndicesSortAsBytesInNumericOrder() {
    Random r = TestSeeds.random("KeyLayoutTest");
    for (int i = 0; i < 2000; i++) {
      long a = r.nextInt(Integer.MAX_VALUE) >> r.nextInt(31);
      long b = r.nextInt(Integer.MAX_VALUE) >> r.nextInt(31);
      assertEquals(Long.signum(Long.compare(a, b)), Integer.signum(cmp(KeyLayout.chunk("co_zA", "s_session_z1", a), KeyLayout.chunk("co_zA", "s_session_z1", b))));
    }
    assertTrue(cmp(KeyLayout.chunk("co_zA", "s_session_z1", 255), KeyLayout.chunk("co_zA", "s_session_z1", 256)) < 0);
  }

  @Test
  void everyKeyOfACoValueLiesInItsRangeAndNoOtherIdsDo() {
    byte[] start = KeyLayout.coValueStart("co_zAB");
    byte[] end = KeyLayout.coValueEnd("co_zAB");
    for (byte[] k : List.of(KeyLayout.header("co_zAB"), KeyLayout.chunk("co_zAB", "x_session_zQ", Long.MAX_VALUE))) {
      assertTrue(cmp(k, start) >= 0 && cmp(k, end) < 0);
    }
    for (byte[] k : List.of(KeyLayout.header("co_zA"), KeyLayout.header("co_zABC"), KeyLayout.header("co_zAC"), KeyLayout.deleted("co_zAB"),
        KeyLayout.record("co_zAB"), KeyLayout.record("co_zA"))) {
      assertTrue(cmp(k, start) < 0 || cmp(k, end) >= 0);
    }
    // header, then chunks: a load meets them in that order
    assertTrue(cmp(KeyLayout.header("co_zAB"), KeyLayout.chunk("co_zAB", "a_session_z", 0)) < 0);
    // records lie together, apart from headers and chunks
    byte[] records = {'k', 0};
    for (String id : List.of("co_zA", "co_zAB", "co_zz")) {
      assertTrue(cmp(KeyLayout.record(id), records) > 0 && cmp(KeyLayout.record(id), KeyLayout.after(records)) < 0);
    }
  }

  @Test
  void chunkKeysParseBackAndSessionPrefixesDoNotOverlap() {
    byte[] k = KeyLayout.chunk("co_zAB", "co_zX_session_zY", 12345);
    assertEquals(new KeyLayout.ChunkKey("co_zX_session_zY", 12345), KeyLayout.parseChunk(k, "co_zAB"));
    byte[] p = KeyLayout.sessionPrefix("co_zAB", "co_zX_session_zY");
    byte[] longer = KeyLayout.chunk("co_zAB", "co_zX_session_zYZ", 0);
    assertTrue(cmp(longer, KeyLayout.after(p)) >= 0 || cmp(longer, p) < 0);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 0}, KeyLayout.u64(256));
    assertEquals(Long.MAX_VALUE, KeyLayout.readU64(KeyLayout.u64(Long.MAX_VALUE), 0));
    assertThrows(IllegalArgumentException.class, () -> KeyLayout.header("co_z\0"));
  }

  @Test
  void chunksAndRecordsRoundTrip() {
    SessionChunk c = new SessionChunk(7, List.of("{\"a\":1}", "{\"b\":\"\u00e9\"}"), "signature_zX", true);
    assertEquals(c, SessionChunk.decode(7, c.encode()));
    SessionChunk open = new SessionChunk(0, List.of("{}"), "signature_zY", false);
    assertEquals(open, SessionChunk.decode(0, open.encode()));
    CoValueRecord r = new CoValueRecord(42, Map.of("s_session_z1", new CoValueRecord.Session(10, "signature_z1", 500, 8)));
    assertEquals(r, CoValueRecord.decode(r.encode()));
  }

  @Test
  void truncatedOversizedOrForeignValuesAreCorruptNotAllocated() {
    byte[] c = new SessionChunk(0, List.of("{\"a\":1}", "{}"), "signature_zX", false).encode();
    for (int cut = 0; cut < c.length; cut++) {
      byte[] t = Arrays.copyOf(c, cut);
      HypercoreException e = assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, t));
      assertEquals(StorageError.STORAGE_CORRUPT, e.code());
    }
    byte[] huge = {2, 0, 1, 's', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}; // a count of 4 billion in 9 bytes
    HypercoreException e = assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, huge));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, new byte[] {1, 0, 0})); // version 1
    assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, new byte[] {2, 2, 1, 's', 1, 0})); // unknown flag
    assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, new byte[] {2, 0, 1, 's', 0})); // no transactions
    byte[] extra = Arrays.copyOf(c, c.length + 1);
    assertThrows(HypercoreException.class, () -> SessionChunk.decode(0, extra));
    byte[] r = new CoValueRecord(1, Map.of("s_session_z1", new CoValueRecord.Session(1, "signature_z", 0, 0))).encode();
    for (int cut = 0; cut < r.length; cut++) {
      byte[] t = Arrays.copyOf(r, cut);
      assertEquals(StorageError.STORAGE_CORRUPT, assertThrows(HypercoreException.class, () -> CoValueRecord.decode(t)).code());
    }
  }
}
