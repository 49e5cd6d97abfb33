package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;

class GroupRolesTest {
  static final String ADMIN = "co_zAdmin";
  static final String WRITER = "co_zWriter";
  static final String MANAGER = "co_zManager";
  static final String OTHER = "co_zOther";
  static final CoValueHeader GROUP = CoValueHeader.parse(
      "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + ADMIN + "\"},\"meta\":null,\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"uniqueness\":\"g\"}");

  static Map<String, List<Transaction>> sessions(Object... sessionAndTxs) {
    Map<String, List<Transaction>> m = new LinkedHashMap<>();
    for (int i = 0; i < sessionAndTxs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<Transaction> txs = (List<Transaction>) sessionAndTxs[i + 1];
      m.put((String) sessionAndTxs[i], txs);
    }
    return m;
  }

  /** The usual group: the admin promotes itself, reveals a key, adds a writer and a manager, and everyone reads. */
  static GroupRoles usualGroup() {
    return GroupRoles.of(GROUP, sessions(ADMIN + "_session_zA", List.of(
        TestAgents.set(100, ADMIN, "admin"),
        TestAgents.set(101, "readKey", "key_zK"),
        TestAgents.set(102, "key_zK_for_" + WRITER, "sealed_Uxyz"),
        TestAgents.set(103, WRITER, "writer"),
        TestAgents.set(104, MANAGER, "manager"),
        TestAgents.set(105, "everyone", "reader"))));
  }

  @Test
  void theInitialAdminsSelfPromotionAndItsGrantsAreRoles() {
    GroupRoles g = usualGroup();
    assertEquals("admin", g.roleAt(ADMIN, 1000));
    assertEquals("writer", g.roleAt(WRITER, 1000));
    assertEquals("manager", g.roleAt(MANAGER, 1000));
    assertEquals("reader", g.roleAt(OTHER, 1000)); // through everyone
    assertNull(g.roleAt(ADMIN, 99)); // not yet
    assertNull(g.roleAt(WRITER, 102.5));
    assertFalse(g.hasParentGroups());
    assertFalse(g.isAccount());
  }

  @Test
  void onlyTheInitialAdminMayPromoteItself() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(OTHER + "_session_zO", List.of(TestAgents.set(100, OTHER, "admin"))));
    assertNull(g.roleAt(OTHER, 1000));
  }

  @Test
  void adminsCannotDemoteOtherAdminsButMayRevokeWriters() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(
        ADMIN + "_session_zA", List.of(TestAgents.set(100, ADMIN, "admin"), TestAgents.set(101, OTHER, "admin"), TestAgents.set(102, WRITER, "writer"),
            TestAgents.set(200, WRITER, "revoked")),
        OTHER + "_session_zO", List.of(TestAgents.set(150, ADMIN, "reader"))));
    assertEquals("admin", g.roleAt(ADMIN, 1000));
    assertEquals("admin", g.roleAt(OTHER, 1000));
    assertEquals("writer", g.roleAt(WRITER, 199));
    assertNull(g.roleAt(WRITER, 200));
  }

  @Test
  void managersCannotHandOutAdminAndWritersCannotGrantAnything() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(
        ADMIN + "_session_zA", List.of(TestAgents.set(100, ADMIN, "admin"), TestAgents.set(101, MANAGER, "manager"), TestAgents.set(102, WRITER, "writer")),
        MANAGER + "_session_zM", List.of(TestAgents.set(110, OTHER, "admin"), TestAgents.set(111, "co_zR", "reader"), TestAgents.set(112, ADMIN, "writer")),
        WRITER + "_session_zW", List.of(TestAgents.set(120, "co_zX", "admin"), TestAgents.set(121, WRITER, "admin"))));
    assertNull(g.roleAt(OTHER, 1000));
    assertEquals("reader", g.roleAt("co_zR", 1000));
    assertEquals("admin", g.roleAt(ADMIN, 1000));
    assertNull(g.roleAt("co_zX", 1000));
    assertEquals("writer", g.roleAt(WRITER, 1000));
  }

  @Test
  void anInviteMayOnlyCreateItsOwnRole() {
    String invite = "sealer_zI/signer_zJ";
    GroupRoles g = GroupRoles.of(GROUP, sessions(
        ADMIN + "_session_zA", List.of(TestAgents.set(100, ADMIN, "admin"), TestAgents.set(101, invite, "writerInvite")),
        invite + "_session_zI", List.of(TestAgents.set(110, "co_zNew", "writer"), TestAgents.set(111, "co_zNew2", "admin"))));
    assertEquals("writer", g.roleAt("co_zNew", 1000));
    assertNull(g.roleAt("co_zNew2", 1000));
  }

  @Test
  void everyoneMayOnlyBeAReaderWriterOrWriteOnly() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(ADMIN + "_session_zA",
        List.of(TestAgents.set(100, ADMIN, "admin"), TestAgents.set(101, "everyone", "admin"))));
    assertNull(g.roleAt(OTHER, 1000));
  }

  @Test
  void keyRevelationsAndMultiChangeOrPrivateTransactionsAreNotRoleChanges() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(ADMIN + "_session_zA", List.of(
        TestAgents.set(100, ADMIN, "admin"),
        TestAgents.set(101, "key_zK_for_co_zX", "admin"),
        TestAgents.trusting(102, "[{\"op\":\"set\",\"key\":\"co_zY\",\"value\":\"admin\"},{\"op\":\"set\",\"key\":\"co_zZ\",\"value\":\"admin\"}]"),
        TestAgents.trusting(103, "[{\"op\":\"del\",\"key\":\"" + ADMIN + "\"}]"),
        TestAgents.trusting(104, "not json"),
        Transaction.parse("{\"privacy\":\"private\",\"madeAt\":105,\"keyUsed\":\"key_zK\",\"encryptedChanges\":\"encrypted_Uxx\"}"))));
    assertEquals("admin", g.roleAt(ADMIN, 1000));
    assertNull(g.roleAt("key_zK_for_co_zX", 1000));
    assertNull(g.roleAt("co_zY", 1000));
  }

  @Test
  void aParentGroupIsRecordedAsNotEvaluated() {
    GroupRoles g = GroupRoles.of(GROUP, sessions(ADMIN + "_session_zA",
        List.of(TestAgents.set(100, ADMIN, "admin"), TestAgents.set(101, "parent_co_zParent", "extend"))));
    assertTrue(g.hasParentGroups());
    GroupRoles ignored = GroupRoles.of(GROUP, sessions(OTHER + "_session_zO", List.of(TestAgents.set(101, "parent_co_zParent", "extend"))));
    assertFalse(ignored.hasParentGroups());
  }

  @Test
  void transactionsAreReplayedByMadeAtAcrossSessions() {
    // the writer grant (t=101) comes before the admin's self-promotion (t=100) in the map's order, not in time
    GroupRoles g = GroupRoles.of(GROUP, sessions(
        ADMIN + "_session_zB", List.of(TestAgents.set(101, WRITER, "writer")),
        ADMIN + "_session_zA", List.of(TestAgents.set(100, ADMIN, "admin"))));
    assertEquals("writer", g.roleAt(WRITER, 1000));
  }

  @Test
  void anAccountIsAdminOfItself() {
    TestAgents.Agent agent = TestAgents.agent(9);
    CoValueHeader account = TestAgents.accountHeader(agent);
    GroupRoles g = GroupRoles.of(account, sessions(agent.id() + "_session_zA", List.of(TestAgents.set(100, agent.id(), "admin"))));
    assertTrue(g.isAccount());
    assertEquals("admin", g.roleAt(account.coValueId(), 0));
    assertEquals("admin", g.roleAt(agent.id(), 100));
  }

  @Test
  void onlyGroupsHaveRoles() {
    CoValueHeader map = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zG\"},\"meta\":null,\"uniqueness\":\"m\"}");
    assertEquals(SyncError.BAD_ARGUMENT, assertThrows(HypercoreException.class, () -> GroupRoles.of(map, Map.of())).code());
  }
}
