package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.Transaction;

/**
 * The direct member roles of a group (or account) over time, replayed from its transactions as
 * {@code permissions.ts determineValidTransactionsForGroup} does for role changes: transactions
 * sorted by {@code madeAt}, each a single {@code set} op; the initial admin's first self-promotion,
 * self-revocation, admins (who cannot demote other admins), managers (who cannot touch admins or
 * hand out admin or manager roles) and invites (each may only create its own role); the keys that
 * are not roles ({@code readKey}, key revelations, {@code writeKeyFor_…}, {@code profile},
 * {@code root}, {@code groupSealer}, {@code child_…}) are skipped. {@link #roleAt} is then what
 * {@code group.atTime(t).roleOfInternal(member)} returns, for the common case.
 *
 * <p>Not evaluated: roles inherited from parent groups ({@code parent_co_z…} extensions) — a member
 * may be admin through one; {@link #hasParentGroups} says when that could be the case, so a caller
 * can refuse rather than guess. Cross-session ties on {@code madeAt} are ordered as given (cojson keeps
 * the order in which it received them). Only pass transactions whose signatures were verified.
 */
public final class GroupRoles {
  static final String EVERYONE = "everyone";
  private static final Set<String> ROLES = Set.of("admin", "manager", "writer", "reader", "writeOnly", "revoked",
      "managerInvite", "adminInvite", "writerInvite", "readerInvite", "writeOnlyInvite");
  private static final Set<String> NOT_ROLE_KEYS = Set.of("readKey", "groupSealer", "profile", "root");

  private record Change(double madeAt, String value) {}

  private record Tx(String author, double madeAt, Transaction tx) {}

  private final String groupId;
  private final boolean account;
  private final Map<String, List<Change>> roleHistory = new HashMap<>();
  private boolean hasParents;

  private GroupRoles(String groupId, boolean account) {
    this.groupId = groupId;
    this.account = account;
  }

  /**
   * Replays a group's (or account's) sessions. {@code sessions} maps each session ID to its
   * transactions from index 0, in the order cojson would have received them; private transactions
   * are skipped (invalid in groups, unreadable to us in accounts, and never role changes).
   */
  public static GroupRoles of(CoValueHeader groupHeader, Map<String, List<Transaction>> sessions) {
    if (!groupHeader.isGroupOrAccount()) throw SyncError.BAD_ARGUMENT.error("%s is not a group or account", groupHeader.coValueId());
    String initialAdmin = groupHeader.tree().get("ruleset").get("initialAdmin").textValue();
    GroupRoles g = new GroupRoles(groupHeader.coValueId(), SignerResolver.accountAgent(groupHeader) != null);
    List<Tx> all = new ArrayList<>();
    for (Map.Entry<String, List<Transaction>> e : sessions.entrySet()) {
      String author = SignerResolver.author(e.getKey());
      for (Transaction t : e.getValue()) {
        JsonNode tree = StrictJson.parseOrNull(t.raw());
        JsonNode madeAt = tree == null ? null : tree.get("madeAt");
        if (madeAt == null || !madeAt.isNumber()) continue;
        all.add(new Tx(author, madeAt.doubleValue(), t));
      }
    }
    all.sort((a, b) -> Double.compare(a.madeAt, b.madeAt)); // stable, like Array.prototype.sort
    Map<String, String> current = new HashMap<>();
    for (Tx t : all) g.apply(t, initialAdmin, current);
    return g;
  }

  public String groupId() {
    return groupId;
  }

  /** Whether this is an account (which is admin of itself). */
  public boolean isAccount() {
    return account;
  }

  /**
   * The member's role at {@code time} from this group's own transactions, as
   * {@code roleOfInternal} gives it without parent groups: the last valid set at or before
   * {@code time}, {@code revoked} as none, then {@code everyone}'s role; null when there is none.
   */
  public String roleAt(String member, double time) {
    if (account && member.equals(groupId)) return "admin"; // RawAccount.roleOfInternal
    String role = latest(roleHistory.get(member), time);
    if ("revoked".equals(role)) role = null;
    if (role == null && !EVERYONE.equals(member)) {
      String everyone = latest(roleHistory.get(EVERYONE), time);
      if (everyone != null && !"revoked".equals(everyone)) return everyone;
    }
    return role;
  }

  /**
   * True when a parent group was ever validly attached ({@code parent_co_z…} set by an admin or
   * manager): members may then hold roles through it, at any time since, which are not evaluated
   * here, and the replay itself may have missed changes made by such inherited admins.
   */
  public boolean hasParentGroups() {
    return hasParents;
  }

  private static String latest(List<Change> changes, double time) {
    if (changes == null) return null;
    for (int i = changes.size() - 1; i >= 0; i--) if (changes.get(i).madeAt <= time) return changes.get(i).value;
    return null;
  }

  private void apply(Tx t, String initialAdmin, Map<String, String> current) {
    JsonNode tx = StrictJson.parseOrNull(t.tx.raw());
    if (tx == null || !"trusting".equals(tx.path("privacy").textValue())) return;
    JsonNode changes = StrictJson.parseOrNull(tx.path("changes").textValue());
    if (changes == null || !changes.isArray() || changes.size() != 1) return;
    JsonNode change = changes.get(0);
    if (!change.isObject() || !"set".equals(change.path("op").textValue()) || !change.path("key").isTextual()) return;
    String key = change.get("key").textValue();
    JsonNode valueNode = change.get("value");
    String value = valueNode != null && valueNode.isTextual() ? valueNode.textValue() : null;
    String by = t.author;
    String byRole = current.get(by);
    if (NOT_ROLE_KEYS.contains(key) || isKeyRevelation(key) || key.startsWith("child_") || key.startsWith("writeKeyFor_")) return;
    if (key.startsWith("parent_")) {
      if (canAdmin(byRole)) hasParents = true;
      return;
    }
    if (value == null || !ROLES.contains(value)) return;
    if (key.equals(EVERYONE) && !(value.equals("reader") || value.equals("writer") || value.equals("writeOnly") || value.equals("revoked"))) return;
    boolean valid;
    if (byRole == null && by.equals(initialAdmin) && key.equals(by) && value.equals("admin")) {
      valid = true; // the first self-promotion
    } else if (by.equals(key) && value.equals("revoked")) {
      valid = true; // self-revocation
    } else if ("admin".equals(byRole)) {
      valid = !("admin".equals(current.get(key)) && !value.equals("admin") && !key.equals(by));
    } else if ("manager".equals(byRole)) {
      valid = !"admin".equals(current.get(key)) && !value.equals("admin") && !value.equals("adminInvite") && !value.equals("managerInvite");
    } else if (byRole != null && byRole.endsWith("Invite")) {
      valid = value.equals(byRole.substring(0, byRole.length() - "Invite".length()));
    } else {
      valid = false;
    }
    if (!valid) return;
    current.put(key, value);
    record(roleHistory, key, t.madeAt, value);
  }

  private static void record(Map<String, List<Change>> history, String key, double madeAt, String value) {
    history.computeIfAbsent(key, k -> new ArrayList<>()).add(new Change(madeAt, value));
  }

  private static boolean canAdmin(String role) {
    return "admin".equals(role) || "manager".equals(role);
  }

  /** {@code isKeyForKeyField || isKeyForAccountField || isKeySealedForGroupField}. */
  private static boolean isKeyRevelation(String key) {
    return (key.startsWith("key_") && key.contains("_for_key"))
        || (key.startsWith("key_") && (key.contains("_for_sealer") || key.contains("_for_co")))
        || key.contains("_for_everyone")
        || (key.startsWith("key_") && key.contains("_sealedFor_sealer"));
  }
}
