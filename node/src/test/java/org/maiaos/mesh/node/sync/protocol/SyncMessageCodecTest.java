package org.maiaos.mesh.node.sync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.node.sync.SyncError;

class SyncMessageCodecTest {
  private static final String ID = "co_zHr3FYKMZBd8GuRgATGmt7a77wJ";
  private static final String SID = "co_zeuSFn2b64fghqkhtf3yQmny7Dy_session_zXz3vAoQq1TU";

  private static SyncMessage decode(String line) {
    return SyncMessageCodec.decode(line.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
  }

  private static void assertMalformed(String line) {
    HypercoreException e = assertThrows(HypercoreException.class, () -> decode(line), line);
    assertEquals(SyncError.MALFORMED_MESSAGE, e.code(), e.getMessage());
  }

  @Test
  void decodesLoadAndKnownWithTheirKnownStates() {
    LoadMessage l = assertInstanceOf(LoadMessage.class, decode("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\"" + SID + "\":3}}"));
    assertEquals(new KnownState(ID, true, Map.of(SID, 3L)), l.known());
    KnownMessage k = assertInstanceOf(KnownMessage.class, decode("{\"header\":false,\"isCorrection\":true,\"action\":\"known\",\"sessions\":{},\"id\":\"" + ID + "\"}"));
    assertTrue(k.isCorrection());
    assertEquals(KnownState.empty(ID), k.known());
    assertFalse(((KnownMessage) decode("{\"action\":\"known\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{}}")).isCorrection());
  }

  @Test
  void everyMessageReadsBackWhatItWrites() {
    List<SyncMessage> all = List.of(
        new LoadMessage(new KnownState(ID, true, Map.of(SID, 7L))),
        new KnownMessage(new KnownState(ID, false, Map.of()), true),
        new KnownMessage(new KnownState(ID, true, Map.of(SID, 1L)), false),
        new DoneMessage(ID),
        new ReconcileMessage("zBatch1", List.of(new ReconcileMessage.Entry(ID, "shortHash_zAbc"))),
        new ReconcileAckMessage("zBatch1"));
    for (SyncMessage m : all) assertEquals(m, decode(m.toJson()), m.toJson());
  }

  @Test
  void knownPutsIsCorrectionRightAfterTheAction() {
    assertEquals("{\"action\":\"known\",\"isCorrection\":true,\"id\":\"" + ID + "\",\"header\":false,\"sessions\":{}}",
        new KnownMessage(KnownState.empty(ID), true).toJson());
  }

  @Test
  void ignoresWhatTheReferenceDrops() {
    assertInstanceOf(IgnoredMessage.class, decode("{\"type\":\"ping\",\"time\":1,\"dc\":\"unknown\"}"));
    assertInstanceOf(IgnoredMessage.class, decode("{\"action\":\"frobnicate\",\"id\":\"" + ID + "\"}"));
    assertInstanceOf(IgnoredMessage.class, decode("{\"action\":\"load\",\"id\":\"not_a_covalue\",\"header\":false,\"sessions\":{}}"));
    assertInstanceOf(IgnoredMessage.class, decode("{\"action\":\"content\",\"id\":\"nope\",\"new\":{}}"));
    assertInstanceOf(DoneMessage.class, decode("{\"action\":\"done\",\"id\":\"" + ID + "\"}"));
  }

  @Test
  void rejectsMalformedLines() {
    assertMalformed("not json");
    assertMalformed("[1,2]");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\"");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{}} trailing");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":\"yes\",\"sessions\":{}}");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true}");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\"" + SID + "\":-1}}");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\"" + SID + "\":1.5}}");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\"" + SID + "\":99999999999999999999}}");
    assertMalformed("{\"action\":\"load\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\"nosession\":1}}");
    assertMalformed("{\"action\":\"reconcile\",\"id\":\"b\",\"values\":[[\"" + ID + "\"]]}");
    assertMalformed("{\"action\":\"reconcile\",\"id\":\"b\"}");
    assertMalformed("{\"action\":\"content\",\"id\":\"" + ID + "\",\"new\":{\"" + SID + "\":{\"after\":0,\"newTransactions\":[],\"lastSignature\":\"x\"}}}");
  }

  @Test
  void rejectsAMessageOneByteOverTheLimitAndTakesOneAtIt() {
    String line = "{\"action\":\"done\",\"id\":\"" + ID + "\"}";
    Limits at = new Limits(line.length(), 1 << 10, 1 << 10, 10, 10, 100, 128, 512, 256);
    Limits under = new Limits(line.length() - 1, 1 << 10, 1 << 10, 10, 10, 100, 128, 512, 256);
    assertInstanceOf(DoneMessage.class, SyncMessageCodec.decode(line.getBytes(StandardCharsets.UTF_8), at));
    assertThrows(HypercoreException.class, () -> SyncMessageCodec.decode(line.getBytes(StandardCharsets.UTF_8), under));
  }

  @Test
  void everyTruncationAndByteFlipFailsCleanly() {
    String line = new LoadMessage(new KnownState(ID, true, Map.of(SID, 12L))).toJson();
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    for (int n = 0; n < b.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(b, n);
      assertThrows(HypercoreException.class, () -> SyncMessageCodec.decode(cut, Limits.DEFAULT), "truncated at " + n);
    }
    Random r = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] m = b.clone();
      m[r.nextInt(m.length)] = (byte) r.nextInt(256);
      try {
        SyncMessage d = SyncMessageCodec.decode(m, Limits.DEFAULT); // may still be valid, or ignored: never another exception
        assertTrue(d != null);
      } catch (HypercoreException e) {
        assertEquals(SyncError.MALFORMED_MESSAGE, e.code());
      }
    }
  }
}
