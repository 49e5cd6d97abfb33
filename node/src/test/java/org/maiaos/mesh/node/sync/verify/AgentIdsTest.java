package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.Base58;
import org.maiaos.mesh.hypercore.HypercoreException;

class AgentIdsTest {
  private final TestAgents.Agent a = TestAgents.agent(1);

  @Test
  void anAgentIdGivesItsSignerKey() {
    assertEquals(a.keys().publicKey(), AgentIds.signerOfAgent(a.id()));
    assertEquals(a.keys().publicKey(), AgentIds.signer(a.signerId()));
    assertEquals(a.signerId(), AgentIds.signerId(a.keys().publicKey()));
  }

  @Test
  void keysWithLeadingZeroBytesKeepTheirLength() {
    byte[] key = new byte[32];
    key[31] = 7; // base58 "1111…8": 31 leading ones
    assertEquals(32, AgentIds.signer("signer_z" + Base58.encode(key)).toByteArray().length);
  }

  @Test
  void looksLikeAgentIdIsCojsonsLooseTest() {
    assertTrue(AgentIds.looksLikeAgentId(a.id()));
    assertTrue(AgentIds.looksLikeAgentId("sealer_x/signer_y"));
    assertFalse(AgentIds.looksLikeAgentId("co_zabc"));
    assertFalse(AgentIds.looksLikeAgentId(null));
  }

  @Test
  void rejectsMalformedAgentIds() {
    String sealer = a.id().substring(0, a.id().indexOf('/'));
    String signer = a.signerId();
    for (String bad : new String[] {
        sealer, // no signer half
        sealer + "/" + signer + "/" + signer, // two slashes
        "sealer_y" + sealer.substring(8) + "/" + signer, // prefix
        sealer + "/signer_y" + signer.substring(8),
        sealer + "/signerz" + signer.substring(8),
        sealer + "/" + signer.substring(0, 20) + "0" + signer.substring(21), // '0' is not base58
        sealer + "/" + signer.substring(0, 20) + "l" + signer.substring(21), // nor is 'l'
        sealer + "/signer_z", // empty
        sealer + "/signer_z" + Base58.encode(new byte[] {1, 2, 3}), // 3 bytes
        sealer + "/signer_z" + Base58.encode(new byte[33]), // 33 zero bytes
        "/" + signer, ""}) {
      HypercoreException e = assertThrows(HypercoreException.class, () -> AgentIds.signerOfAgent(bad), bad);
      assertEquals(SyncError.INVALID_ID, e.code(), bad);
    }
    assertEquals(SyncError.INVALID_ID, assertThrows(HypercoreException.class, () -> AgentIds.signerOfAgent(null)).code());
  }

  @Test
  void rejectsSignerIdsOfTheWrongLength() {
    byte[] k31 = new byte[31];
    byte[] k33 = new byte[33];
    k31[0] = 1;
    k33[0] = 1;
    for (String bad : new String[] {"signer_z" + Base58.encode(k31), "signer_z" + Base58.encode(k33), "signer_z", "sealer_z" + a.signerId().substring(8), "signer_z" + "z".repeat(200)}) {
      assertEquals(SyncError.INVALID_ID, assertThrows(HypercoreException.class, () -> AgentIds.signer(bad), bad).code());
    }
  }
}
