package org.maiaos.mesh.cojson.storage.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.cojson.storage.StorageError;
import org.maiaos.mesh.cojson.storage.Synthetic;
import org.maiaos.mesh.cojson.storage.interop.CojsonFixtures;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * The storage contract, run against every backend: store and load of real cojson 0.20.19 content,
 * corrections, duplicates, many sessions, signature-cut streaming of a 1 MB value, known state
 * across restarts. Sync tracking, deletion, reconciliation, concurrency and malformed input are in
 * {@link StorageLifecycleSuite}. Subclasses say how to open a backend in a directory.
 */
public abstract class StorageConformanceSuite {
  @TempDir protected Path dir;
  protected final AtomicLong clock = new AtomicLong(1_795_474_623_702L);
  protected StorageApi storage;
  protected final CojsonFixtures fx = CojsonFixtures.get();

  /** Opens the backend stored in {@code dir} (creating it when empty). */
  protected abstract StorageApi open(Path dir, LongSupplier clockMillis);

  @BeforeEach
  void openStorage() {
    storage = open(dir, clock::get);
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) storage.close();
  }

  protected void reopen() {
    storage.close();
    storage = open(dir, clock::get);
  }

  protected static final StorageApi.CorrectionHandler NO_CORRECTION = k -> {
    throw new AssertionError("unexpected correction request " + k);
  };

  protected void storeAll(List<ContentMessage> msgs) {
    for (ContentMessage m : msgs) assertTrue(storage.store(m, NO_CORRECTION, null), "store " + m);
  }

  protected void storeAllFixtures(boolean incremental) {
    for (CojsonFixtures.Value v : fx.all()) storeAll(incremental ? v.incrementalMessages() : v.fullMessages());
  }

  @Test
  void loadOfAnUnknownIdReportsNotFoundAndEmitsNothing() {
    Loaded l = Loaded.of(storage, fx.value("map").id());
    assertEquals(Boolean.FALSE, l.found);
    assertTrue(l.messages.isEmpty());
    assertEquals(Optional.empty(), storage.loadKnownState(fx.value("map").id()));
  }

  @Test
  void storesAndLoadsEveryFixtureWithHeaderAndTransactionsByteForByte() {
    storeAllFixtures(false);
    reopen();
    for (CojsonFixtures.Value v : fx.all()) {
      Loaded l = Loaded.of(storage, v.id());
      l.assertFound();
      Expected e = Expected.of(v.fullMessages());
      assertEquals(e.txs, l.transactionsOf(v.id()), v.name());
      ContentMessage first = l.piecesOf(v.id()).get(0);
      assertNotNull(first.header(), v.name());
      assertEquals(v.headerJson(), first.header().raw(), v.name());
      for (Map.Entry<String, String> s : l.lastSignaturesOf(v.id()).entrySet()) {
        assertEquals(e.signatures.get(s.getKey()).get((long) e.txs.get(s.getKey()).size()), s.getValue(), v.name());
      }
      assertEquals(v.knownState().sessions(), storage.loadKnownState(v.id()).orElseThrow().sessions(), v.name());
    }
  }

  @Test
  void theIncrementalHistoryEndsInTheSameStateAsTheFullContent() {
    storeAllFixtures(true);
    for (CojsonFixtures.Value v : fx.all()) {
      Expected e = Expected.of(v.incrementalMessages());
      assertEquals(e.counts(), storage.loadKnownState(v.id()).orElseThrow().sessions(), v.name());
      assertEquals(e.txs, Loaded.of(storage, v.id()).transactionsOf(v.id()), v.name());
    }
  }

  @Test
  void loadEmitsDependenciesFirstAndEachOnlyOnce() {
    storeAllFixtures(false);
    reopen();
    String account = fx.value("account").id();
    String group = fx.value("group").id();
    String map = fx.value("map").id();
    Loaded l = Loaded.of(storage, map);
    List<String> order = l.idOrder();
    assertEquals(List.of(account, group, map), order);
    Loaded again = Loaded.of(storage, fx.value("list").id());
    assertEquals(List.of(fx.value("list").id()), again.idOrder(), "already loaded dependencies are not sent again");
    storage.onCoValueUnmounted(group);
    assertEquals(List.of(group, fx.value("profile").id()), Loaded.of(storage, fx.value("profile").id()).idOrder());
  }

  @Test
  void aOneMegabyteValueLoadsInPiecesCutAtRealSignatures() {
    CojsonFixtures.Value bin = fx.value("binary");
    storeAll(bin.incrementalMessages());
    reopen();
    Loaded l = Loaded.of(storage, bin.id());
    List<ContentMessage> pieces = l.piecesOf(bin.id());
    assertTrue(pieces.size() >= 5, "pieces: " + pieces.size());
    long size = pieces.stream().mapToLong(ContentMessage::contentSize).sum();
    assertTrue(size > 1_000_000, "size " + size);
    Expected e = Expected.of(bin.incrementalMessages());
    assertEquals(e.txs, l.transactionsOf(bin.id()));
    assertEquals(e.counts(), pieces.get(0).expectContentUntil(), "the first piece announces the full counts");
    for (ContentMessage p : pieces) {
      for (Map.Entry<String, SessionNewContent> s : p.sessions().entrySet()) {
        String real = e.signatures.get(s.getKey()).get(s.getValue().end());
        assertEquals(real, s.getValue().lastSignature(), "piece ending at " + s.getValue().end() + " is not cut at a signature cojson made");
      }
    }
  }

  @Test
  void piecesForAPeerStartAtItsCountersAndStreamInBatchesCutAtRealSignatures() {
    CojsonFixtures.Value bin = fx.value("binary");
    storeAll(bin.incrementalMessages());
    reopen();
    Expected e = Expected.of(bin.incrementalMessages());
    String sid = e.txs.keySet().iterator().next();
    long total = e.txs.get(sid).size();
    for (long from : new long[] {0, 1, total / 3, total / 2, total - 1, total}) {
      for (boolean peerHasHeader : new boolean[] {false, true}) {
        KnownState peer = new KnownState(bin.id(), peerHasHeader, from == 0 ? Map.of() : Map.of(sid, from));
        StorageApi.PieceStream stream = storage.openPieces(bin.id(), id -> id.equals(bin.id()) ? peer : null).orElseThrow();
        List<ContentMessage> pieces = new ArrayList<>();
        int batches = 0;
        boolean more = true;
        while (more) {
          more = stream.next(100_000, m -> { if (m.id().equals(bin.id())) pieces.add(m); });
          batches++;
        }
        stream.close();
        String what = "from " + from + (peerHasHeader ? " with header" : " without header");
        if (from == total && peerHasHeader) {
          assertTrue(pieces.isEmpty(), what + ": the peer has it all");
          continue;
        }
        assertEquals(!peerHasHeader, pieces.get(0).header() != null, what + ": header in the first piece only when the peer lacks it");
        for (int i = 1; i < pieces.size(); i++) assertNull(pieces.get(i).header(), what);
        long next = from;
        List<String> got = new ArrayList<>();
        for (ContentMessage p : pieces) {
          SessionNewContent s = p.sessions().get(sid);
          if (s == null) continue;
          assertEquals(next, s.after(), what + ": pieces are contiguous");
          next = s.end();
          s.newTransactions().forEach(t -> got.add(t.raw()));
          assertEquals(e.signatures.get(sid).get(s.end()), s.lastSignature(), what + ": cut at a signature cojson made");
        }
        assertEquals(total, next, what);
        assertEquals(e.txs.get(sid).subList((int) from, (int) total), got, what);
        if (pieces.size() > 1) assertEquals(Map.of(sid, total), pieces.get(0).expectContentUntil(), what);
        if (from == 0) assertTrue(batches >= 5, what + ": a 1 MB value goes out in batches of ~100 KB, not at once: " + batches);
      }
    }
  }

  @Test
  void aNewCoValueArrivesWithItsHeaderAndAppendsToKnownSessionsExtendIt() {
    CoValueHeader h = Synthetic.header("append");
    String s = Synthetic.session(1);
    AtomicInteger done = new AtomicInteger();
    assertTrue(storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 5, 50)), NO_CORRECTION, done::incrementAndGet));
    assertTrue(storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 5, 5, 50)), NO_CORRECTION, done::incrementAndGet));
    assertEquals(2, done.get());
    assertEquals(Map.of(s, 10L), storage.getKnownState(h.coValueId()).sessions());
    assertEquals(Map.of(s, 10L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
    Loaded l = Loaded.of(storage, h.coValueId());
    assertEquals(10, l.transactionsOf(h.coValueId()).get(s).size());
    assertEquals(Synthetic.signature(s, 9), l.lastSignaturesOf(h.coValueId()).get(s));
    assertEquals(h.raw(), l.piecesOf(h.coValueId()).get(0).header().raw());
    assertNull(l.piecesOf(h.coValueId()).get(0).expectContentUntil(), "small values come in one piece");
  }

  @Test
  void duplicatesAreIgnoredAndOverlapsKeepOnlyTheNewPart() {
    CoValueHeader h = Synthetic.header("dupes");
    String s = Synthetic.session(1);
    storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 5, 50)), NO_CORRECTION, null);
    assertTrue(storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 5, 50)), NO_CORRECTION, null));
    assertTrue(storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 2, 3, 50)), NO_CORRECTION, null));
    assertEquals(Map.of(s, 5L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
    assertTrue(storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 3, 6, 50)), NO_CORRECTION, null));
    assertEquals(Map.of(s, 9L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
    List<String> txs = Loaded.of(storage, h.coValueId()).transactionsOf(h.coValueId()).get(s);
    for (int i = 0; i < 9; i++) assertEquals(Synthetic.tx(s, i, 50).raw(), txs.get(i));
  }

  @Test
  void aGapAsksForACorrectionWithWhatStorageHoldsAndStoresTheAnswer() {
    CoValueHeader h = Synthetic.header("gap");
    String s = Synthetic.session(1);
    String other = Synthetic.session(2);
    storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 5, 50)), NO_CORRECTION, null);
    Map<String, SessionNewContent> gapped = new LinkedHashMap<>();
    gapped.put(s, Synthetic.slice(s, 8, 2, 50));
    gapped.put(other, Synthetic.slice(other, 0, 3, 50));
    AtomicReference<KnownState> asked = new AtomicReference<>();
    AtomicInteger done = new AtomicInteger();
    boolean ok = storage.store(Synthetic.content(h, false, gapped), k -> {
      asked.set(k);
      return List.of(Synthetic.content(h, false, s, Synthetic.slice(s, 5, 5, 50)));
    }, done::incrementAndGet);
    assertTrue(ok);
    assertEquals(1, done.get());
    assertEquals(5L, asked.get().count(s), "the correction starts from what storage holds");
    assertEquals(3L, asked.get().count(other), "the valid session of the same message was stored");
    assertTrue(asked.get().header());
    assertEquals(Map.of(s, 10L, other, 3L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
  }

  @Test
  void aGapWhoseCorrectionFailsReturnsFalseAndNeverCallsDone() {
    CoValueHeader h = Synthetic.header("gap-fails");
    String s = Synthetic.session(1);
    storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 2, 50)), NO_CORRECTION, null);
    AtomicInteger done = new AtomicInteger();
    assertFalse(storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 4, 2, 50)), k -> null, done::incrementAndGet));
    assertEquals(0, done.get());
    // a correction that itself has a gap is not corrected twice
    assertFalse(storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 4, 2, 50)),
        k -> List.of(Synthetic.content(h, false, s, Synthetic.slice(s, 3, 1, 50))), done::incrementAndGet));
    assertEquals(0, done.get());
    assertEquals(Map.of(s, 2L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
  }

  @Test
  void anUnknownCoValueWithoutHeaderIsCorrectedFromEmptyOrRejectedWritingNothing() {
    CoValueHeader h = Synthetic.header("headerless");
    String s = Synthetic.session(1);
    ContentMessage headerless = Synthetic.content(h, false, s, Synthetic.slice(s, 0, 3, 50));
    HypercoreException e = assertThrows(HypercoreException.class, () -> storage.store(headerless, k -> null, null));
    assertEquals(StorageError.UNKNOWN_COVALUE, e.code());
    assertTrue(e.getMessage().startsWith("UNKNOWN_COVALUE: " + h.coValueId()), e.getMessage());
    assertEquals(0, storage.getCoValueCount());
    assertEquals(Optional.empty(), storage.loadKnownState(h.coValueId()));

    AtomicReference<KnownState> asked = new AtomicReference<>();
    assertTrue(storage.store(headerless, k -> {
      asked.set(k);
      return List.of(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 3, 50)));
    }, null));
    assertEquals(KnownState.empty(h.coValueId()), asked.get());
    assertEquals(Map.of(s, 3L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
  }

  @Test
  void manySessionsInOneMessageAndAcrossMessages() {
    CoValueHeader h = Synthetic.header("many-sessions");
    Map<String, SessionNewContent> batch = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) batch.put(Synthetic.session(i), Synthetic.slice(Synthetic.session(i), 0, 1 + i % 4, 30));
    storage.store(Synthetic.content(h, true, batch), NO_CORRECTION, null);
    for (int i = 100; i < 250; i++) {
      String s = Synthetic.session(i);
      long have = i < 150 ? 1 + i % 4 : 0;
      storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, have, 2, 30)), NO_CORRECTION, null);
    }
    reopen();
    KnownState k = storage.loadKnownState(h.coValueId()).orElseThrow();
    assertEquals(250, k.sessions().size());
    for (int i = 0; i < 250; i++) assertEquals((i < 150 ? 1 + i % 4 : 0) + (i >= 100 ? 2 : 0), k.count(Synthetic.session(i)));
    Map<String, List<String>> loaded = Loaded.of(storage, h.coValueId()).transactionsOf(h.coValueId());
    assertEquals(250, loaded.size());
    assertEquals(k.sessions().keySet(), loaded.keySet());
  }

  @Test
  void knownStateSurvivesARestartAndTheCacheFollowsStoreAndLoad() {
    storeAllFixtures(true);
    String map = fx.value("map").id();
    KnownState before = storage.getKnownState(map);
    assertTrue(before.header());
    reopen();
    assertEquals(KnownState.empty(map), storage.getKnownState(map), "a fresh storage caches nothing yet");
    assertEquals(before, storage.loadKnownState(map).orElseThrow());
    Loaded.of(storage, map);
    assertEquals(before, storage.getKnownState(map), "load fills the cache");
    storage.onCoValueUnmounted(map);
    assertEquals(KnownState.empty(map), storage.getKnownState(map));
  }

  @Test
  void waitForSyncCompletesOnceStorageHoldsWhatTheNodeHas() {
    CoValueHeader h = Synthetic.header("wait");
    String s = Synthetic.session(1);
    KnownState node = KnownState.empty(h.coValueId()).withHeader(true).withSession(s, 4);
    var f = storage.waitForSync(h.coValueId(), node);
    assertFalse(f.isDone());
    storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 2, 50)), NO_CORRECTION, null);
    assertFalse(f.isDone());
    storage.store(Synthetic.content(h, false, s, Synthetic.slice(s, 2, 2, 50)), NO_CORRECTION, null);
    assertTrue(f.isDone());
    assertTrue(storage.waitForSync(h.coValueId(), node).isDone());
    var pending = storage.waitForSync(h.coValueId(), node.withSession(s, 9));
    storage.onCoValueUnmounted(h.coValueId());
    assertTrue(pending.isDone(), "unmounting releases waiters");
  }

  @Test
  void rawJsonThatIsMalformedIsRejectedWithAClearErrorAndWritesNothing() {
    CoValueHeader h = Synthetic.header("malformed");
    String s = Synthetic.session(1);
    String s2 = Synthetic.session(2);
    storage.store(Synthetic.content(h, true, s, Synthetic.slice(s, 0, 2, 50)), NO_CORRECTION, null);
    KnownState before = storage.loadKnownState(h.coValueId()).orElseThrow();
    Map<String, SessionNewContent> two = new LinkedHashMap<>();
    two.put(s, Synthetic.slice(s, 2, 2, 50));
    two.put(s2, Synthetic.slice(s2, 0, 2, 50));
    String good = Synthetic.content(h, false, two).toJson();
    String lastTx = Synthetic.tx(s2, 1, 50).raw();
    String[][] cases = {
      {good.substring(0, good.length() - 2), "not JSON"},
      {good.replace("\"action\":\"content\",", ""), "action is missing"},
      {good.replace(lastTx, lastTx.replace("\"privacy\":\"trusting\",", "")), "privacy"},
      {good.replace("\"after\":0", "\"after\":-3"), "negative"},
      {good.replace("\"after\":0", "\"after\":18446744073709551616"), "overflows"},
      {good.replace("\"after\":0", "\"after\":2147483647"), "overflows the session length limit"},
      {good.replace("\"newTransactions\":[", "\"newTransactions\":{").replace("}],\"lastSig", "}},\"lastSig"), "not an array"},
      {good.replace(h.coValueId(), "co_zl0"), "not a CoValue ID"},
    };
    for (String[] c : cases) {
      AtomicInteger done = new AtomicInteger();
      HypercoreException e = assertThrows(HypercoreException.class,
          () -> storage.store(c[0].getBytes(StandardCharsets.UTF_8), NO_CORRECTION, done::incrementAndGet), c[1]);
      assertEquals(StorageError.MALFORMED_CONTENT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), e.getMessage() + " should mention " + c[1]);
      assertEquals(0, done.get());
      assertEquals(before, storage.loadKnownState(h.coValueId()).orElseThrow(), "nothing written for " + c[1]);
    }
    assertEquals(1, storage.getCoValueCount());
    assertTrue(storage.store(good.getBytes(StandardCharsets.UTF_8), NO_CORRECTION, null), "the well-formed message still stores");
    assertEquals(Map.of(s, 4L, s2, 2L), storage.loadKnownState(h.coValueId()).orElseThrow().sessions());
  }

  @Test
  void programmaticContentWithNegativeIndicesOrAForeignHeaderIsRefused() {
    String s = Synthetic.session(1);
    HypercoreException e = assertThrows(HypercoreException.class, () -> new SessionNewContent(-1, List.of(), "signature_z1"));
    assertEquals(StorageError.MALFORMED_CONTENT, e.code());
    CoValueHeader h = Synthetic.header("a");
    e = assertThrows(HypercoreException.class,
        () -> new ContentMessage(Synthetic.header("b").coValueId(), h, 3, Map.of(s, Synthetic.slice(s, 0, 1, 10)), null));
    assertTrue(e.getMessage().contains("hashes to"), e.getMessage());
    assertEquals(0, storage.getCoValueCount());
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    storage.close();
    storage.close();
    HypercoreException e = assertThrows(HypercoreException.class, () -> storage.getCoValueCount());
    assertEquals(StorageError.STORAGE_CLOSED, e.code());
    storage = open(dir, clock::get);
  }

  /** Collects what several loads emitted (used by subclasses). */
  protected static List<ContentMessage> loadAll(StorageApi s, List<String> ids) {
    List<ContentMessage> out = new ArrayList<>();
    for (String id : ids) s.load(id, out::add, null);
    return out;
  }
}
