package org.maiaos.mesh.cojson.storage.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;

/** The fixtures are intact real cojson content: every ID re-derives from its header, every message re-encodes to its own bytes. */
class CojsonFixturesInteropIT {
  private final CojsonFixtures fx = CojsonFixtures.get();

  @Test
  void everyFixtureIdIsBlake3OfItsCanonicalHeader() {
    for (CojsonFixtures.Value v : fx.all()) {
      assertEquals(v.id(), CoValueHeader.parse(v.headerJson()).coValueId(), v.name());
      for (ContentMessage m : v.fullMessages()) {
        if (m.header() != null) assertEquals(v.id(), m.header().coValueId(), v.name());
      }
    }
  }

  @Test
  void coversEveryKindTheIssueAsksFor() {
    Set<String> kinds = fx.all().stream().map(CojsonFixtures.Value::kind).collect(Collectors.toSet());
    assertTrue(kinds.containsAll(Set.of("account", "group", "comap", "colist", "binary", "deleted")), kinds.toString());
    assertEquals(CoValueHeader.PRIORITY_HIGH, CoValueHeader.parse(fx.value("account").headerJson()).priority());
    assertEquals(CoValueHeader.PRIORITY_LOW, CoValueHeader.parse(fx.value("binary").headerJson()).priority());
    assertEquals(3, fx.value("multisession").knownState().sessions().size());
    assertTrue(fx.value("deleted").knownState().sessions().keySet().stream().anyMatch(SessionIds::isDeleteSession));
  }

  @Test
  void everyMessageReencodesToTheExactTextCojsonWrote() {
    for (CojsonFixtures.Value v : fx.all()) {
      for (String json : concat(v.full(), v.incremental())) assertEquals(json, ContentMessage.parse(json).toJson(), v.name());
    }
  }

  @Test
  void theBinaryStreamIsOverOneMegabyteAndComesInSeveralSignedPieces() {
    CojsonFixtures.Value bin = fx.value("binary");
    List<ContentMessage> pieces = bin.fullMessages();
    assertTrue(pieces.size() >= 5, "pieces: " + pieces.size());
    long size = pieces.stream().mapToLong(ContentMessage::contentSize).sum();
    assertTrue(size > CojsonFixtures.BINARY_BYTES, "content size " + size);
    assertNotNull(pieces.get(0).header());
    assertNotNull(pieces.get(0).expectContentUntil());
    for (int i = 1; i < pieces.size(); i++) assertEquals(null, pieces.get(i).header());
  }

  @Test
  void fullAndIncrementalHistoriesReachTheSameCounts() {
    for (CojsonFixtures.Value v : fx.all()) {
      Map<String, Long> full = ends(v.fullMessages());
      Map<String, Long> inc = ends(v.incrementalMessages());
      // the full content of a deleted value only carries its delete session; its history has both
      for (Map.Entry<String, Long> e : full.entrySet()) assertEquals(e.getValue(), inc.get(e.getKey()), v.name() + " " + e.getKey());
      assertEquals(v.knownState().sessions(), full, v.name());
      if (!v.kind().equals("deleted")) assertEquals(full, inc, v.name());
      else assertFalse(inc.keySet().stream().allMatch(SessionIds::isDeleteSession));
    }
  }

  private static Map<String, Long> ends(List<ContentMessage> msgs) {
    Map<String, Long> m = new HashMap<>();
    for (ContentMessage c : msgs) {
      for (Map.Entry<String, SessionNewContent> e : c.sessions().entrySet()) m.merge(e.getKey(), e.getValue().end(), Math::max);
    }
    return m;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
