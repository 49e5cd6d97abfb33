package org.maiaos.mesh.cojson.storage.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;

/**
 * Fixed sequences for {@link CojsonStorageDiffIT}, one per difference the random ones found, so
 * each stays covered whatever the seed: a multi-piece group loaded as a dependency, empty
 * correction answers, and a delete with erasure.
 */
final class DirectedSequences {
  static final String SESSION = "sealer_zA/signer_zB_session_zA";
  static final String DELETE_SESSION = "sealer_zA/signer_zB_session_zD$";
  static final CoValueHeader GROUP = CoValueHeader.parse(
      "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"sealer_zA/signer_zB\"},\"meta\":null,\"uniqueness\":\"directed-group\"}");
  static final CoValueHeader MAP = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\""
      + GROUP.coValueId() + "\"},\"meta\":null,\"uniqueness\":\"directed-map\"}");
  static final CoValueHeader LIST = CoValueHeader.parse(
      "{\"type\":\"colist\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,\"uniqueness\":\"directed-list\"}");

  private DirectedSequences() {}

  /** The sequences {@link CojsonStorageDiffIT} compares like the random ones (index = position). */
  static List<List<DiffSequences.Op>> all() {
    return List.of(groupDependencyInPieces(), emptyCorrections());
  }

  /**
   * A group of three pieces and a map of two owned by it, both unmounted, then the map loaded:
   * cojson emits the group's first piece, the map's first piece, the group's later pieces (high
   * priority), the map's later piece. The check is the last operation.
   */
  static List<DiffSequences.Op> groupDependencyInPieces() {
    List<DiffSequences.Op> ops = new ArrayList<>();
    for (int round = 0; round < 3; round++) ops.add(store(GROUP, round == 0, SESSION, round * 3, 3, 45_000));
    for (int round = 0; round < 2; round++) ops.add(store(MAP, round == 0, SESSION, round * 2, 2, 60_000));
    ops.add(new DiffSequences.Op("unmount", null, null, GROUP.coValueId(), null));
    ops.add(new DiffSequences.Op("unmount", null, null, MAP.coValueId(), null));
    ops.add(new DiffSequences.Op("check", null, null, null, List.of(MAP.coValueId())));
    return ops;
  }

  /** Empty correction answers: for a gap (op 1) and for content without header of an unknown value (op 2). */
  static List<DiffSequences.Op> emptyCorrections() {
    ContentMessage gap = new ContentMessage(LIST.coValueId(), null, LIST.priority(), Map.of(SESSION, slice(SESSION, 5, 1, 10)), null);
    ContentMessage unknown = new ContentMessage(MAP.coValueId(), null, MAP.priority(), Map.of(SESSION, slice(SESSION, 0, 1, 10)), null);
    return List.of(
        store(LIST, true, SESSION, 0, 2, 10),
        new DiffSequences.Op("store", gap, List.of(), null, null),
        new DiffSequences.Op("store", unknown, List.of(), null, null),
        new DiffSequences.Op("check", null, null, null, List.of(LIST.coValueId(), MAP.coValueId())));
  }

  /**
   * Three transactions, a delete, erasure, a check (op 4), an append to the erased session (op 5,
   * a gap for storage), a check (op 6). Not compared like the others: see CojsonStorageDiffIT.
   */
  static List<DiffSequences.Op> erasure() {
    String id = LIST.coValueId();
    ContentMessage delete = new ContentMessage(id, null, LIST.priority(), Map.of(DELETE_SESSION, slice(DELETE_SESSION, 0, 1, 10)), null);
    ContentMessage fourth = new ContentMessage(id, null, LIST.priority(), Map.of(SESSION, slice(SESSION, 3, 1, 10)), null);
    return List.of(
        store(LIST, true, SESSION, 0, 3, 10),
        new DiffSequences.Op("markDelete", null, null, id, null),
        new DiffSequences.Op("store", delete, null, null, null),
        new DiffSequences.Op("erase", null, null, null, null),
        new DiffSequences.Op("check", null, null, null, List.of(id)),
        new DiffSequences.Op("store", fourth, null, null, null),
        new DiffSequences.Op("check", null, null, null, List.of(id)));
  }

  private static DiffSequences.Op store(CoValueHeader h, boolean withHeader, String session, long after, int count, int chars) {
    ContentMessage m = new ContentMessage(h.coValueId(), withHeader ? h : null, h.priority(), Map.of(session, slice(session, after, count, chars)), null);
    return new DiffSequences.Op("store", m, null, null, null);
  }

  private static SessionNewContent slice(String session, long after, int count, int chars) {
    List<Transaction> txs = new ArrayList<>();
    for (long i = after; i < after + count; i++) {
      String changes = "[{\"op\":\"set\",\"key\":\"k" + i + "\",\"value\":\"" + "v".repeat(chars) + "\"}]";
      txs.add(Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":" + (1_795_474_623_702L + i) + ",\"changes\":" + JsonStringify.string(changes) + "}"));
    }
    return new SessionNewContent(after, txs, "signature_z" + (session.endsWith("$") ? "D" : "A") + (after + count));
  }
}
