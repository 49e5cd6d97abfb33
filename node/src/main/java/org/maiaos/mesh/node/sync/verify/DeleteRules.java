package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * The rules cojson applies to delete transactions when it ingests them with verification on
 * ({@code coValueCore.ts #isDeleteTransaction}, {@code #canAuthorDeleteCoValueAtTime}):
 *
 * <ol>
 *   <li>only sessions whose ID ends in {@code $} are delete sessions; a delete marker anywhere else
 *       is an ordinary transaction;
 *   <li>a delete session holds exactly one transaction: a piece is rejected if we already hold one
 *       or it brings more than one;
 *   <li>the marker is a transaction with {@code privacy == "trusting"} whose {@code meta} parses to an
 *       object with a string {@code deleted}; that string must be this CoValue's ID;
 *   <li>groups and accounts ({@code ruleset.type == "group"}) cannot be deleted: any piece for a
 *       delete session of one is rejected, marker or not;
 *   <li>the author (the session's prefix) must be {@code admin} of the owning group at the marker's
 *       {@code madeAt}; a CoValue not owned by a group ({@code unsafeAllowAll}) cannot be deleted.
 * </ol>
 *
 * A one-transaction delete session without a marker passes as an ordinary transaction, as in
 * cojson. Once a value is deleted the engine drops every non-delete session of later content
 * ({@code sync.ts handleNewContent}); that is the engine's part. Rule 5 is checked with
 * {@link GroupRoles}, which does not evaluate roles inherited from parent groups: when the author
 * is not a direct admin and the group has parents, the delete is rejected as unverifiable (the
 * reference would resolve the parent's roles and might accept it).
 */
public final class DeleteRules {
  private DeleteRules() {}

  /**
   * Rules 1-4 for a piece of session {@code sessionId} of the CoValue with {@code header}, of which
   * we hold {@code heldCount} transactions and which brings {@code newTxs} (the part past what we
   * hold). Returns the delete marker when the piece deletes the value (then call
   * {@link #checkAuthorMayDelete}), null when it is not a delete; DELETE_REJECTED when it breaks a rule.
   */
  public static Transaction deleteMarker(CoValueHeader header, String sessionId, long heldCount, List<Transaction> newTxs) {
    if (!SessionIds.isDeleteSession(sessionId) || newTxs.isEmpty()) return null; // nothing new: tryAddTransactions returns first
    if (heldCount > 0 || newTxs.size() > 1) {
      throw SyncError.DELETE_REJECTED.error("%s: a delete session holds one transaction only (held %d, new %d)", sessionId, heldCount, newTxs.size());
    }
    Transaction marker = newTxs.get(0);
    String deleted = deletedId(marker);
    if (deleted != null && !deleted.equals(header.coValueId())) {
      throw SyncError.DELETE_REJECTED.error("%s: delete marker names %s, not %s", sessionId, AgentIds.abbreviate(deleted), header.coValueId());
    }
    if (header.isGroupOrAccount()) {
      throw SyncError.DELETE_REJECTED.error("%s: groups and accounts cannot be deleted (%s)", sessionId, header.coValueId());
    }
    return deleted == null ? null : marker;
  }

  /**
   * Rule 5: the author of {@code sessionId} is admin of the owning group, whose roles are
   * {@code owner} (built from the group named by {@code header.ruleset.group}), at the marker's
   * {@code madeAt}. DELETE_REJECTED otherwise, also for a CoValue that has no owning group and when
   * the answer depends on parent groups.
   */
  public static void checkAuthorMayDelete(CoValueHeader header, String sessionId, Transaction marker, GroupRoles owner) {
    if (header.isGroupOrAccount()) throw SyncError.DELETE_REJECTED.error("groups and accounts cannot be deleted (%s)", header.coValueId());
    if (!"ownedByGroup".equals(header.rulesetType())) {
      throw SyncError.DELETE_REJECTED.error("%s is not owned by a group: its delete permissions cannot be verified", header.coValueId());
    }
    String group = header.tree().get("ruleset").get("group").textValue();
    if (owner == null || !owner.groupId().equals(group)) {
      throw SyncError.BAD_ARGUMENT.error("the roles given are not those of the owning group %s", group);
    }
    JsonNode tx = StrictJson.parseOrNull(marker.raw());
    double madeAt = tx == null ? Double.NaN : tx.path("madeAt").asDouble(Double.NaN);
    String author = SignerResolver.author(sessionId);
    String role = owner.roleAt(author, madeAt);
    if ("admin".equals(role)) return;
    if (owner.hasParentGroups()) {
      throw SyncError.DELETE_REJECTED.error("%s: %s is %s in %s directly; roles inherited from its parent groups are not evaluated",
          sessionId, AgentIds.abbreviate(author), role == null ? "no member" : role, group);
    }
    throw SyncError.DELETE_REJECTED.error("%s: author %s is %s of %s, not admin", sessionId, AgentIds.abbreviate(author), role == null ? "no member" : role, group);
  }

  /** {@code #getDeleteMarker}: the {@code deleted} ID of a trusting transaction's meta, or null. */
  static String deletedId(Transaction t) {
    JsonNode tx = StrictJson.parseOrNull(t.raw());
    if (tx == null || !"trusting".equals(tx.path("privacy").textValue())) return null;
    String meta = tx.path("meta").textValue();
    if (meta == null || meta.isEmpty()) return null;
    JsonNode m = StrictJson.parseOrNull(meta);
    JsonNode deleted = m == null || !m.isObject() ? null : m.get("deleted");
    return deleted != null && deleted.isTextual() ? deleted.textValue() : null;
  }
}
