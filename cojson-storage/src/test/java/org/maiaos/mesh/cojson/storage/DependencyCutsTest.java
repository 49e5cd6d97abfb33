package org.maiaos.mesh.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * The cuts of dependencies kept for peers that know nothing of them: what they send equals what a
 * fresh read sends, whatever the peer knows and whatever was written in between; and they are used.
 */
class DependencyCutsTest {
  @TempDir Path tmp;

  private static final String AGENT = "sealer_zCutsAgent/signer_zCutsAgent";

  /** An account, a group whose admin is that account, and values owned by the group, written by the account. */
  private static final class World {
    final CoValueHeader account = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + AGENT
        + "\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":\"cuts-account\"}");
    final CoValueHeader group = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + AGENT
        + "\"},\"meta\":{\"type\":\"group\"},\"createdAt\":null,\"uniqueness\":\"cuts-group\"}");
    final String agentSession = AGENT + "_session_zCuts1";
    final String accountSession = account.coValueId() + "_session_zCuts2";
    final Map<String, Long> ends = new HashMap<>();

    /** Appends {@code n} transactions to {@code header}'s session {@code session}, the header with the first. */
    ContentMessage append(CoValueHeader header, String session, int n, String change) {
      String key = header.coValueId() + " " + session;
      long after = ends.getOrDefault(key, 0L);
      List<Transaction> txs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String changes = "[" + change.replace("#", String.valueOf(after + i)) + "]";
        StringBuilder tx = new StringBuilder("{\"privacy\":\"trusting\",\"madeAt\":").append(1795474623702L + after + i).append(",\"changes\":");
        org.maiaos.mesh.hypercore.encoding.JsonStringify.appendString(tx, changes);
        txs.add(Transaction.parse(tx.append('}').toString()));
      }
      ends.put(key, after + n);
      Map<String, SessionNewContent> s = new LinkedHashMap<>();
      s.put(session, new SessionNewContent(after, txs, "signature_zCuts" + (after + n)));
      return new ContentMessage(header.coValueId(), after == 0 ? header : null, header.priority(), s, null);
    }

    /** A CoMap of the group; an odd one names the one before it as its {@code meta.source}, a dependency of the same group. */
    CoValueHeader value(int i) {
      String meta = i % 2 == 1 ? "{\"source\":\"" + value(i - 1).coValueId() + "\"}" : "null";
      return CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + group.coValueId()
          + "\"},\"meta\":" + meta + ",\"createdAt\":null,\"uniqueness\":\"cuts-value-" + i + "\"}");
    }

    CoValueHeader group(String uniqueness) {
      return CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + AGENT
          + "\"},\"meta\":{\"type\":\"group\"},\"createdAt\":null,\"uniqueness\":\"" + uniqueness + "\"}");
    }

    /** Stores a new CoMap of {@code group} with one transaction in the account's session; its ID. */
    String storeValue(StorageEngine s, CoValueHeader group, String uniqueness) {
      CoValueHeader v = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\""
          + group.coValueId() + "\"},\"meta\":null,\"createdAt\":null,\"uniqueness\":\"" + uniqueness + "\"}");
      s.store(append(v, accountSession, 1, "{\"op\":\"set\",\"key\":\"n\",\"value\":#}"), null, null);
      return v.coValueId();
    }

    void fill(StorageEngine s, int values) {
      s.store(append(account, agentSession, 2, "{\"op\":\"set\",\"key\":\"" + AGENT + "\",\"value\":\"admin\"}"), null, null);
      s.store(append(group, accountSession, 2, "{\"op\":\"set\",\"key\":\"" + account.coValueId() + "\",\"value\":\"admin\"}"), null, null);
      for (int i = 0; i < values; i++) s.store(append(value(i), accountSession, 1, "{\"op\":\"set\",\"key\":\"n\",\"value\":#}"), null, null);
    }
  }

  /** Runs {@code test} on a fresh store of {@code backend} holding the account, the group and {@code values} CoMaps. */
  private void inWorld(String backend, int values, java.util.function.BiConsumer<World, StorageEngine> test) {
    World w = new World();
    try (StorageEngine s = open(backend, tmp)) {
      w.fill(s, values);
      test.accept(w, s);
    }
  }

  private static StorageEngine open(String backend, Path dir) {
    return backend.equals("sqlite") ? SqliteStorage.open(dir.resolve("s.db")) : HyperbeeStorage.open(dir.resolve("bee"));
  }

  /** Everything a send of {@code id} to a peer that knows {@code peer} puts out, as JSON. */
  private static List<String> send(StorageEngine s, String id, Function<String, KnownState> peer) {
    List<String> out = new ArrayList<>();
    try (StorageApi.PieceStream stream = s.openPieces(id, peer, true).orElseThrow()) {
      while (stream.next(Long.MAX_VALUE, m -> out.add(m.toJson()))) {
        // all of it
      }
    }
    return out;
  }

  /** What a peer that knows nothing is sent for {@code id}, checked against a fresh read. */
  private static List<String> sendsAsAFreshRead(StorageEngine s, String id) {
    List<String> sent = send(s, id, x -> null);
    assertEquals(fresh(s, id, x -> null), sent);
    return sent;
  }

  private static List<String> fresh(StorageEngine s, String id, Function<String, KnownState> peer) {
    s.keepDependencyCuts(false);
    try {
      return send(s, id, peer);
    } finally {
      s.keepDependencyCuts(true);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void peersThatKnowNothingGetTheGroupAndAccountFromTheCutAsAReadWouldSendThem(String backend) {
    inWorld(backend, 3, (w, s) -> {
      Function<String, KnownState> nothing = id -> null;
      List<String> first = send(s, w.value(0).coValueId(), nothing);
      assertEquals(3, first.size(), "account, group, value: " + first);
      assertTrue(first.get(0).contains(w.account.coValueId()) && first.get(1).contains(w.group.coValueId()), first.toString());
      long served = s.dependencyCuts().served();
      List<String> second = send(s, w.value(1).coValueId(), nothing);
      assertEquals(served + 1, s.dependencyCuts().served(), "the group, with its account, came from its cut");
      assertEquals(first.subList(0, 2), second.subList(0, 2));
      assertEquals(fresh(s, w.value(1).coValueId(), nothing), second);

      // a write to the group: the next peer gets it, not the cut from before
      s.store(w.append(w.group, w.accountSession, 1, "{\"op\":\"set\",\"key\":\"readKey\",\"value\":\"key_z#\"}"), null, null);
      List<String> third = send(s, w.value(2).coValueId(), nothing);
      assertEquals(fresh(s, w.value(2).coValueId(), nothing), third);
      assertTrue(third.get(1).contains("key_z2"), third.get(1));
    });
  }

  /** Two groups, each the other's parent: the cut of one is read as a plain read goes, the cycle ends, and it is used. */
  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aCycleOfParentGroupsEndsAsAReadDoes(String backend) {
    inWorld(backend, 0, (w, s) -> {
      CoValueHeader g1 = w.group("cycle-1");
      CoValueHeader g2 = w.group("cycle-2");
      s.store(w.append(g1, w.accountSession, 1, "{\"op\":\"set\",\"key\":\"parent_" + g2.coValueId() + "\",\"value\":\"extend\"}"), null, null);
      s.store(w.append(g2, w.accountSession, 1, "{\"op\":\"set\",\"key\":\"parent_" + g1.coValueId() + "\",\"value\":\"extend\"}"), null, null);
      for (int i = 0; i < 3; i++) {
        List<String> sent = sendsAsAFreshRead(s, w.storeValue(s, g1, "cycle-value-" + i));
        assertEquals(4, sent.size(), "account, the two groups, the value: " + sent);
      }
      assertTrue(s.dependencyCuts().served() >= 2, "cuts were used: " + s.dependencyCuts().served());
    });
  }

  /** A group with more than {@link DependencyCuts#MAX_CUT_BYTES} of transactions is read for each peer and marked, not kept. */
  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void aDependencyTooBigToKeepIsReadForEachPeer(String backend) {
    inWorld(backend, 0, (w, s) -> {
      CoValueHeader big = w.group("big");
      String pad = "x".repeat(2_000);
      for (int i = 0; i < 3; i++) {
        s.store(w.append(big, w.accountSession, 50, "{\"op\":\"set\",\"key\":\"k#\",\"value\":\"" + pad + "\"}"), null, null);
      }
      for (int i = 0; i < 3; i++) sendsAsAFreshRead(s, w.storeValue(s, big, "big-value-" + i));
      assertEquals(null, s.dependencyCuts().get(big.coValueId()).messages(), "marked too big, nothing kept");
    });
  }

  /**
   * Random peers (knowing nothing, the header, part or all of each of account, group and value)
   * and random writes to the account and the group in between: every send equals a fresh read.
   */
  @ParameterizedTest
  @ValueSource(strings = {"hyperbee", "sqlite"})
  void whateverThePeerKnowsAndWhateverWasWrittenASendEqualsAFreshRead(String backend) {
    Random r = new Random(7);
    inWorld(backend, 8, (w, s) -> {
      for (int trial = 0; trial < 300; trial++) {
        if (r.nextInt(5) == 0) {
          boolean toGroup = r.nextBoolean();
          s.store(toGroup
              ? w.append(w.group, w.accountSession, 1 + r.nextInt(3), "{\"op\":\"set\",\"key\":\"k#\",\"value\":\"v\"}")
              : w.append(w.account, w.agentSession, 1, "{\"op\":\"set\",\"key\":\"profile\",\"value\":\"co_zProfile#\"}"), null, null);
        }
        Map<String, KnownState> knows = new HashMap<>();
        for (CoValueHeader h : List.of(w.account, w.group)) {
          String session = h == w.account ? w.agentSession : w.accountSession;
          long end = w.ends.get(h.coValueId() + " " + session);
          switch (r.nextInt(4)) {
            case 0 -> { } // nothing
            case 1 -> knows.put(h.coValueId(), new KnownState(h.coValueId(), true, Map.of()));
            case 2 -> knows.put(h.coValueId(), new KnownState(h.coValueId(), true, Map.of(session, (long) r.nextInt((int) end + 1))));
            default -> knows.put(h.coValueId(), new KnownState(h.coValueId(), true, Map.of(session, end)));
          }
        }
        String id = w.value(r.nextInt(8)).coValueId();
        if (r.nextBoolean()) knows.put(id, new KnownState(id, true, Map.of(w.accountSession, 1L)));
        List<String> sent = send(s, id, knows::get);
        assertEquals(fresh(s, id, knows::get), sent, "trial " + trial + ", peer knows " + knows);
      }
      assertTrue(s.dependencyCuts().served() > 20, "cuts were used: " + s.dependencyCuts().served());
    });
  }
}
