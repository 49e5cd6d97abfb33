package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;

class DeleteRulesTest {
  private final String groupId = GroupRolesTest.GROUP.coValueId();
  private final CoValueHeader map = CoValueHeader.parse(
      "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"" + groupId + "\"},\"meta\":null,\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"uniqueness\":\"m\"}");
  private final GroupRoles roles = GroupRolesTest.usualGroup();
  private final Transaction marker = TestAgents.trusting(500, "[]", "{\"deleted\":\"" + map.coValueId() + "\"}");
  private final String adminDelete = GroupRolesTest.ADMIN + "_session_dXyz$";

  private static void rejected(Executable call) {
    HypercoreException e = assertThrows(HypercoreException.class, call);
    assertEquals(SyncError.DELETE_REJECTED, e.code(), e.getMessage());
  }

  @Test
  void anAdminsDeleteInItsOwnDeleteSessionIsAccepted() {
    assertNotNull(DeleteRules.deleteMarker(map, adminDelete, 0, List.of(marker)));
    DeleteRules.checkAuthorMayDelete(map, adminDelete, marker, roles);
  }

  @Test
  void aMarkerOutsideADeleteSessionIsAnOrdinaryTransaction() {
    assertNull(DeleteRules.deleteMarker(map, GroupRolesTest.ADMIN + "_session_zXyz", 0, List.of(marker)));
    assertNull(DeleteRules.deleteMarker(map, GroupRolesTest.WRITER + "_session_zXyz", 3, List.of(marker, marker)));
  }

  @Test
  void aDeleteSessionHoldsOneTransaction() {
    rejected(() -> DeleteRules.deleteMarker(map, adminDelete, 1, List.of(marker)));
    rejected(() -> DeleteRules.deleteMarker(map, adminDelete, 0, List.of(marker, marker)));
    rejected(() -> DeleteRules.deleteMarker(map, adminDelete, 0, List.of(marker, TestAgents.trusting(501, "[]"))));
  }

  @Test
  void aOneTransactionDeleteSessionWithoutAMarkerPassesAsOrdinary() {
    assertNull(DeleteRules.deleteMarker(map, adminDelete, 0, List.of(TestAgents.trusting(500, "[]"))));
    assertNull(DeleteRules.deleteMarker(map, adminDelete, 0, List.of(TestAgents.trusting(500, "[]", "{\"deleted\":5}"))));
    assertNull(DeleteRules.deleteMarker(map, adminDelete, 0, List.of(TestAgents.trusting(500, "[]", "not json"))));
    Transaction privateMarker = Transaction.parse("{\"privacy\":\"private\",\"madeAt\":500,\"keyUsed\":\"key_zK\",\"encryptedChanges\":\"encrypted_Ux\","
        + "\"meta\":\"{\\\"deleted\\\":\\\"" + map.coValueId() + "\\\"}\"}");
    assertNull(DeleteRules.deleteMarker(map, adminDelete, 0, List.of(privateMarker)));
  }

  @Test
  void anEmptyPieceIsNotChecked() {
    assertNull(DeleteRules.deleteMarker(GroupRolesTest.GROUP, adminDelete, 1, List.of()));
  }

  @Test
  void theMarkerMustNameThisCoValue() {
    Transaction elsewhere = TestAgents.trusting(500, "[]", "{\"deleted\":\"co_zSomethingElse\"}");
    rejected(() -> DeleteRules.deleteMarker(map, adminDelete, 0, List.of(elsewhere)));
  }

  @Test
  void groupsAndAccountsCannotBeDeletedMarkerOrNot() {
    CoValueHeader group = GroupRolesTest.GROUP;
    Transaction groupMarker = TestAgents.trusting(500, "[]", "{\"deleted\":\"" + group.coValueId() + "\"}");
    rejected(() -> DeleteRules.deleteMarker(group, adminDelete, 0, List.of(groupMarker)));
    rejected(() -> DeleteRules.deleteMarker(group, adminDelete, 0, List.of(TestAgents.trusting(500, "[]"))));
    CoValueHeader account = TestAgents.accountHeader(TestAgents.agent(2));
    rejected(() -> DeleteRules.deleteMarker(account, adminDelete, 0, List.of(TestAgents.trusting(500, "[]"))));
    rejected(() -> DeleteRules.checkAuthorMayDelete(group, adminDelete, groupMarker, roles));
  }

  @Test
  void onlyAnAdminOfTheOwningGroupAtThatTimeMayDelete() {
    rejected(() -> DeleteRules.checkAuthorMayDelete(map, GroupRolesTest.WRITER + "_session_dXyz$", marker, roles));
    rejected(() -> DeleteRules.checkAuthorMayDelete(map, GroupRolesTest.MANAGER + "_session_dXyz$", marker, roles));
    rejected(() -> DeleteRules.checkAuthorMayDelete(map, GroupRolesTest.OTHER + "_session_dXyz$", marker, roles));
    Transaction tooEarly = TestAgents.trusting(99, "[]", "{\"deleted\":\"" + map.coValueId() + "\"}");
    rejected(() -> DeleteRules.checkAuthorMayDelete(map, adminDelete, tooEarly, roles));
  }

  @Test
  void aRoleThatMayComeFromAParentGroupIsRejectedAsUnverifiable() {
    GroupRoles withParent = GroupRoles.of(GroupRolesTest.GROUP, GroupRolesTest.sessions(GroupRolesTest.ADMIN + "_session_zA",
        List.of(TestAgents.set(100, GroupRolesTest.ADMIN, "admin"), TestAgents.set(101, "parent_co_zParent", "extend"))));
    DeleteRules.checkAuthorMayDelete(map, adminDelete, marker, withParent);
    HypercoreException e = assertThrows(HypercoreException.class,
        () -> DeleteRules.checkAuthorMayDelete(map, GroupRolesTest.OTHER + "_session_dXyz$", marker, withParent));
    assertEquals(SyncError.DELETE_REJECTED, e.code());
    assertEquals(true, e.getMessage().contains("parent"), e.getMessage());
  }

  @Test
  void aValueWithoutAnOwningGroupCannotBeDeleted() {
    CoValueHeader open = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,\"uniqueness\":\"o\"}");
    Transaction m = TestAgents.trusting(500, "[]", "{\"deleted\":\"" + open.coValueId() + "\"}");
    assertNotNull(DeleteRules.deleteMarker(open, adminDelete, 0, List.of(m)));
    rejected(() -> DeleteRules.checkAuthorMayDelete(open, adminDelete, m, roles));
  }

  @Test
  void theRolesMustBeTheOwningGroups() {
    CoValueHeader elsewhere = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zOtherGroup\"},\"meta\":null,\"uniqueness\":\"m\"}");
    HypercoreException e = assertThrows(HypercoreException.class, () -> DeleteRules.checkAuthorMayDelete(elsewhere, adminDelete, marker, roles));
    assertEquals(SyncError.BAD_ARGUMENT, e.code());
  }
}
