package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.databind.JsonNode;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * Whose key signs a session ({@code coValueCore.ts tryAddTransactions} →
 * {@code localNode.ts resolveAccountAgent} → {@code crypto.getAgentSignerID}). The author is the
 * text before {@code _session} of the session ID:
 *
 * <ul>
 *   <li>an AgentID ({@code sealer_z…/signer_z…}): its signer. An account writing its own account
 *       CoValue uses its agent as author ({@code coValueCore.ts makeTransaction}), so those
 *       sessions need nothing loaded; any agent may author a session on any CoValue, and write
 *       permission is not checked at ingestion.
 *   <li>an AccountID ({@code co_z…}): that account's header must be known (the engine loads it
 *       from storage or asks the sending client for it); it must be a {@code comap} with a
 *       {@code group} ruleset and {@code meta.type == "account"}, and its
 *       {@code ruleset.initialAdmin} must be an AgentID, whose signer signs. This holds for
 *       sessions of groups, of ordinary values and of the account itself alike; later agents
 *       added to an account are not consulted.
 * </ul>
 */
public final class SignerResolver {
  private SignerResolver() {}

  /** The account whose header {@link #signer} needs for this session, or null when the author is an agent. */
  public static String accountToLoad(String sessionId) {
    String author = author(sessionId);
    return AgentIds.looksLikeAgentId(author) ? null : author;
  }

  /**
   * The session's signer key. {@code accountHeader} is the header of the author account (ignored,
   * may be null, when the author is an agent). UNKNOWN_SIGNER when the author is an account and
   * the header is missing, is another CoValue's or is not an account's; INVALID_ID when an AgentID
   * is malformed.
   */
  public static Key32 signer(String sessionId, CoValueHeader accountHeader) {
    String author = author(sessionId);
    if (AgentIds.looksLikeAgentId(author)) return AgentIds.signerOfAgent(author);
    if (accountHeader == null) throw SyncError.UNKNOWN_SIGNER.error("session author %s: its account header is not loaded", AgentIds.abbreviate(author));
    if (!accountHeader.coValueId().equals(author)) {
      throw SyncError.UNKNOWN_SIGNER.error("session author %s: the header supplied is %s's", AgentIds.abbreviate(author), accountHeader.coValueId());
    }
    String admin = accountAgent(accountHeader);
    if (admin == null) throw SyncError.UNKNOWN_SIGNER.error("session author %s is not an account", AgentIds.abbreviate(author));
    return AgentIds.signerOfAgent(admin);
  }

  /** {@code ruleset.initialAdmin} of an account header, or null when the header is not an account's. */
  public static String accountAgent(CoValueHeader header) {
    JsonNode meta = header.tree().get("meta");
    boolean account = "comap".equals(header.type()) && "group".equals(header.rulesetType())
        && meta != null && meta.isObject() && meta.get("type") != null && "account".equals(meta.get("type").textValue());
    if (!account) return null;
    JsonNode admin = header.tree().get("ruleset").get("initialAdmin");
    return admin != null && admin.isTextual() && AgentIds.looksLikeAgentId(admin.textValue()) ? admin.textValue() : null;
  }

  /** {@code accountOrAgentIDfromSessionID}: the text before {@code _session}; INVALID_ID when there is none. */
  public static String author(String sessionId) {
    if (sessionId == null || sessionId.indexOf("_session") <= 0) {
      throw SyncError.INVALID_ID.error("session ID %s has no author before _session", AgentIds.abbreviate(sessionId));
    }
    return SessionIds.author(sessionId);
  }
}
