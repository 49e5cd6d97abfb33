package org.maiaos.mesh.node.sync.verify;

import org.maiaos.mesh.node.sync.SyncError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.CoValueIds;

/**
 * The header checks cojson's Rust core makes when a node first sees a CoValue
 * ({@code crates/cojson-core/src/core/session_map.rs SessionMapImpl::new}, called from
 * {@code VerifiedState} with {@code JSON.stringify(header)}; on failure {@code provideHeader}
 * logs and the content is dropped). The core parses the header into its struct and checks:
 *
 * <ul>
 *   <li>{@code type}: a string; {@code createdAt}: absent, null or a string; {@code meta}: any JSON
 *       or absent (absent is written as {@code null});
 *   <li>{@code ruleset}: {@code {type:"group", initialAdmin:<string>}},
 *       {@code {type:"ownedByGroup", group:<string>, restrictDeletion?:<bool>}} or
 *       {@code {type:"unsafeAllowAll"}}; other fields are dropped;
 *   <li>{@code uniqueness} (required): a string, a boolean, null, an integer that fits an i64, or
 *       an object whose values are all strings and whose keys are not empty — no float, no array,
 *       no nested object;
 *   <li>the ID is {@code co_z} + base58 of BLAKE3 over the struct written back by serde, so any
 *       field the struct drops, a missing {@code meta}, a float it writes differently or keys it
 *       orders differently give another ID.
 * </ul>
 *
 * {@link CoValueHeader} (via {@code ContentMessage.parse}) already checked that
 * {@code stableStringify(header)} hashes to the message's ID; {@link #check} adds the rest, by
 * writing the header as the Rust core would and requiring that to hash to the same ID. A header
 * whose ID was made the Rust way but differs from {@code stableStringify} (never produced by a
 * cojson client) is rejected here although the reference would take it.
 */
public final class HeaderRules {
  private HeaderRules() {}

  /** INVALID_HEADER unless the Rust core would accept {@code header} under its ID. */
  public static void check(CoValueHeader header) {
    String rust = rustCanonical(header.tree());
    String id = CoValueIds.forCanonicalHeader(rust);
    if (!id.equals(header.coValueId())) {
      throw SyncError.INVALID_HEADER.error("the Rust core writes this header as %s, which hashes to %s, not to %s",
          AgentIds.abbreviate(rust), id, header.coValueId());
    }
  }

  /** The header as the Rust core's serde struct writes it back; INVALID_HEADER if it does not parse into it. */
  static String rustCanonical(JsonNode h) {
    if (h == null || !h.isObject()) throw SyncError.INVALID_HEADER.error("header is not an object");
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    JsonNode createdAt = h.get("createdAt");
    if (createdAt != null) {
      if (createdAt.isNull()) {
        sb.append("\"createdAt\":null,");
      } else if (createdAt.isTextual()) {
        sb.append("\"createdAt\":");
        RustJson.appendString(sb, createdAt.textValue());
        sb.append(',');
      } else {
        throw SyncError.INVALID_HEADER.error("header.createdAt is neither a string nor null");
      }
    }
    sb.append("\"meta\":");
    RustJson.appendValue(sb, h.get("meta")); // absent and null are both Option::None
    sb.append(",\"ruleset\":");
    ruleset(sb, h.get("ruleset"));
    JsonNode type = h.get("type");
    if (type == null || !type.isTextual()) throw SyncError.INVALID_HEADER.error("header.type is not a string");
    sb.append(",\"type\":");
    RustJson.appendString(sb, type.textValue());
    sb.append(",\"uniqueness\":");
    uniqueness(sb, h.get("uniqueness"));
    sb.append('}');
    return sb.toString();
  }

  private static void ruleset(StringBuilder sb, JsonNode r) {
    if (r == null || !r.isObject()) throw SyncError.INVALID_HEADER.error("header.ruleset is not an object");
    checkStrings(r, "header.ruleset"); // an untagged enum buffers the whole object first
    JsonNode type = r.get("type");
    String t = type != null && type.isTextual() ? type.textValue() : "";
    switch (t) {
      case "group" -> {
        JsonNode admin = r.get("initialAdmin");
        if (admin == null || !admin.isTextual()) throw SyncError.INVALID_HEADER.error("group ruleset without a string initialAdmin");
        sb.append("{\"initialAdmin\":");
        RustJson.appendString(sb, admin.textValue());
        sb.append(",\"type\":\"group\"}");
      }
      case "ownedByGroup" -> {
        JsonNode group = r.get("group");
        JsonNode restrict = r.get("restrictDeletion");
        if (group == null || !group.isTextual()) throw SyncError.INVALID_HEADER.error("ownedByGroup ruleset without a string group");
        if (restrict != null && !restrict.isNull() && !restrict.isBoolean()) {
          throw SyncError.INVALID_HEADER.error("ruleset.restrictDeletion is not a boolean");
        }
        sb.append("{\"group\":");
        RustJson.appendString(sb, group.textValue());
        if (restrict != null && restrict.isBoolean()) sb.append(",\"restrictDeletion\":").append(restrict.booleanValue());
        sb.append(",\"type\":\"ownedByGroup\"}");
      }
      case "unsafeAllowAll" -> sb.append("{\"type\":\"unsafeAllowAll\"}");
      default -> throw SyncError.INVALID_HEADER.error("ruleset type %s is not group, ownedByGroup or unsafeAllowAll", AgentIds.abbreviate(t));
    }
  }

  /** {@code session_map.rs Uniqueness} plus {@code validate_uniqueness}. */
  private static void uniqueness(StringBuilder sb, JsonNode u) {
    if (u == null) throw SyncError.INVALID_HEADER.error("header.uniqueness missing");
    if (u.isTextual()) {
      RustJson.appendString(sb, u.textValue());
    } else if (u.isBoolean()) {
      sb.append(u.booleanValue());
    } else if (u.isNull()) {
      sb.append("null");
    } else if (u.isNumber() && !Double.isFinite(u.doubleValue())) {
      sb.append("null"); // JSON.stringify(Infinity) is null, which is Uniqueness::Null
    } else if (u.isNumber()) {
      String n = RustJson.number(u);
      RustJson.Number v = RustJson.parse(n);
      if (!v.isInteger() || v.integer().bitLength() > 63) {
        throw SyncError.INVALID_HEADER.error("header.uniqueness %s is not an integer that fits an i64", n);
      }
      sb.append(n);
    } else if (u.isObject()) {
      checkStrings(u, "header.uniqueness");
      sb.append('{');
      boolean first = true;
      for (String k : RustJson.sortedKeys(u)) {
        JsonNode v = u.get(k);
        if (!v.isTextual()) throw SyncError.INVALID_HEADER.error("header.uniqueness.%s is not a string", k);
        if (k.isEmpty()) throw SyncError.INVALID_HEADER.error("header.uniqueness has an empty key");
        if (!first) sb.append(',');
        first = false;
        RustJson.appendString(sb, k);
        sb.append(':');
        RustJson.appendString(sb, v.textValue());
      }
      sb.append('}');
    } else {
      throw SyncError.INVALID_HEADER.error("header.uniqueness is an array (not a string, boolean, null, integer or string map)");
    }
  }

  /** No lone surrogate in any string or key below {@code n}. */
  private static void checkStrings(JsonNode n, String where) {
    if (n.isTextual()) {
      if (RustJson.loneSurrogateAt(n.textValue()) >= 0) throw SyncError.INVALID_HEADER.error("%s holds a lone surrogate", where);
    } else if (n.isContainerNode()) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
        if (RustJson.loneSurrogateAt(it.next()) >= 0) throw SyncError.INVALID_HEADER.error("%s holds a lone surrogate", where);
      }
      for (JsonNode c : n) checkStrings(c, where);
    }
  }
}
