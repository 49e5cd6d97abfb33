package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.hypercore.HypercoreException;

class SignerResolverTest {
  private final TestAgents.Agent agent = TestAgents.agent(5);
  private final CoValueHeader account = TestAgents.accountHeader(agent);
  private final String accountId = account.coValueId();

  @Test
  void anAgentAuthoredSessionIsSignedByThatAgent() {
    String sid = agent.id() + "_session_zXyz";
    assertNull(SignerResolver.accountToLoad(sid));
    assertEquals(agent.keys().publicKey(), SignerResolver.signer(sid, null));
    assertEquals(agent.keys().publicKey(), SignerResolver.signer(agent.id() + "_session_dAbc$", null));
  }

  @Test
  void anAccountAuthoredSessionIsSignedByTheAccountsInitialAdmin() {
    String sid = accountId + "_session_zXyz";
    assertEquals(accountId, SignerResolver.accountToLoad(sid));
    assertEquals(agent.keys().publicKey(), SignerResolver.signer(sid, account));
    assertEquals(agent.id(), SignerResolver.accountAgent(account));
  }

  @Test
  void anAccountSessionNeedsThatAccountsHeader() {
    String sid = accountId + "_session_zXyz";
    assertEquals(SyncError.UNKNOWN_SIGNER, assertThrows(HypercoreException.class, () -> SignerResolver.signer(sid, null)).code());
    CoValueHeader another = TestAgents.accountHeader(TestAgents.agent(6));
    assertEquals(SyncError.UNKNOWN_SIGNER, assertThrows(HypercoreException.class, () -> SignerResolver.signer(sid, another)).code());
  }

  @Test
  void aGroupOrAnAccountOwnedByAnAccountIsNoSigner() {
    String[] notAccounts = {
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + agent.id() + "\"},\"meta\":null,\"createdAt\":null,\"uniqueness\":null}",
        "{\"type\":\"colist\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + agent.id() + "\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}",
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"co_zOther\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}",
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"ownedByGroup\",\"group\":\"co_zG\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}"};
    for (String json : notAccounts) {
      CoValueHeader h = CoValueHeader.parse(json);
      assertNull(SignerResolver.accountAgent(h), json);
      HypercoreException e = assertThrows(HypercoreException.class, () -> SignerResolver.signer(h.coValueId() + "_session_zX", h));
      assertEquals(SyncError.UNKNOWN_SIGNER, e.code(), json);
    }
  }

  @Test
  void aMalformedAgentAuthorIsAnInvalidId() {
    String badAgent = "sealer_zAAA/signer_zBBB";
    assertEquals(SyncError.INVALID_ID, assertThrows(HypercoreException.class, () -> SignerResolver.signer(badAgent + "_session_zX", null)).code());
    CoValueHeader badAccount = CoValueHeader.parse(
        "{\"type\":\"comap\",\"ruleset\":{\"type\":\"group\",\"initialAdmin\":\"" + badAgent + "\"},\"meta\":{\"type\":\"account\"},\"createdAt\":null,\"uniqueness\":null}");
    assertEquals(SyncError.INVALID_ID,
        assertThrows(HypercoreException.class, () -> SignerResolver.signer(badAccount.coValueId() + "_session_zX", badAccount)).code());
  }

  @Test
  void aSessionIdWithoutAnAuthorIsAnInvalidId() {
    for (String bad : new String[] {"_session_zX", "co_zAbc", "", null}) {
      assertEquals(SyncError.INVALID_ID, assertThrows(HypercoreException.class, () -> SignerResolver.signer(bad, account)).code(), String.valueOf(bad));
    }
  }
}
