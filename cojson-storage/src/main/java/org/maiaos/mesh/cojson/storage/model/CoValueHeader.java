package org.maiaos.mesh.cojson.storage.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import org.maiaos.mesh.cojson.storage.StorageError;

/**
 * A CoValue header ({@code verifiedState.ts CoValueHeader}): the JSON text exactly as it arrived
 * ({@link #raw()}, what storage keeps and sends back) plus the parsed fields a storage needs. The
 * ID is computed from the canonical form, never from the raw text (wire key order varies).
 */
public final class CoValueHeader {
  /** cojson's {@code CO_VALUE_PRIORITY}. */
  public static final int PRIORITY_HIGH = 0;
  public static final int PRIORITY_MEDIUM = 3;
  public static final int PRIORITY_LOW = 6;

  private final String raw;
  private final JsonNode tree;
  private final String type;
  private final String rulesetType;
  private volatile String id;

  private CoValueHeader(String raw, JsonNode tree) {
    this.raw = raw;
    this.tree = tree;
    this.type = tree.get("type").textValue();
    this.rulesetType = tree.get("ruleset").get("type").textValue();
  }

  /** Parses and checks a header's JSON text; MALFORMED_CONTENT when it is not a header. */
  public static CoValueHeader parse(String raw) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw StorageError.MALFORMED_CONTENT.error("header is not JSON: %s", e.getOriginalMessage());
    }
    return of(raw, tree);
  }

  /**
   * {@link #parse} of a header that a storage holds under {@code id}: a storage keeps only headers
   * whose ID was checked when they were stored ({@link ContentMessage} checks every header it is
   * built with), so the ID is taken as given instead of hashed again (canonical JSON and BLAKE3 were
   * a sixth of a cold load's read).
   */
  public static CoValueHeader parseStored(String raw, String id) {
    CoValueHeader h = parse(raw);
    h.id = id;
    return h;
  }

  /** A header from its raw text and the tree parsed from it. */
  static CoValueHeader of(String raw, JsonNode tree) {
    if (tree == null || !tree.isObject()) throw StorageError.MALFORMED_CONTENT.error("header is not an object");
    JsonNode type = tree.get("type");
    if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
      throw StorageError.MALFORMED_CONTENT.error("header.type missing or not a string");
    }
    JsonNode ruleset = tree.get("ruleset");
    if (ruleset == null || !ruleset.isObject()) throw StorageError.MALFORMED_CONTENT.error("header.ruleset missing or not an object");
    JsonNode rsType = ruleset.get("type");
    if (rsType == null || !rsType.isTextual()) throw StorageError.MALFORMED_CONTENT.error("header.ruleset.type missing or not a string");
    switch (rsType.textValue()) {
      case "ownedByGroup" -> {
        JsonNode g = ruleset.get("group");
        if (g == null || !g.isTextual() || !g.textValue().startsWith(CoValueIds.PREFIX)) {
          throw StorageError.MALFORMED_CONTENT.error("header.ruleset.group missing or not a CoValue ID");
        }
      }
      case "group" -> {
        JsonNode a = ruleset.get("initialAdmin");
        if (a == null || !a.isTextual()) throw StorageError.MALFORMED_CONTENT.error("header.ruleset.initialAdmin missing");
      }
      default -> { } // unsafeAllowAll and rulesets we do not know: storage need not understand them
    }
    JsonNode meta = tree.get("meta");
    if (meta != null && !meta.isObject() && !meta.isNull()) throw StorageError.MALFORMED_CONTENT.error("header.meta is neither an object nor null");
    return new CoValueHeader(raw, tree);
  }

  /** The JSON text as received. */
  public String raw() {
    return raw;
  }

  /** The parsed tree (do not modify). */
  public JsonNode tree() {
    return tree;
  }

  public String type() {
    return type;
  }

  public String rulesetType() {
    return rulesetType;
  }

  /** {@code stableStringify(header)}: what the ID hashes. */
  public String canonicalJson() {
    return CanonicalJson.stringify(tree);
  }

  /** {@code co_z…}, computed once. */
  public String coValueId() {
    String v = id;
    if (v == null) id = v = CoValueIds.forCanonicalHeader(canonicalJson());
    return v;
  }

  /** {@code priority.ts getPriorityFromHeader}. */
  public int priority() {
    JsonNode meta = tree.get("meta");
    String metaType = meta != null && meta.isObject() && meta.get("type") != null ? meta.get("type").asText(null) : null;
    if ("account".equals(metaType)) return PRIORITY_HIGH;
    if ("group".equals(rulesetType)) return PRIORITY_HIGH;
    if ("costream".equals(type) && "binary".equals(metaType)) return PRIORITY_LOW;
    return PRIORITY_MEDIUM;
  }

  /** Groups and accounts ({@code ruleset.type == "group"}). */
  public boolean isGroupOrAccount() {
    return "group".equals(rulesetType);
  }

  /** {@code utils.ts getDependenciesFromHeader}: the owning group and {@code meta.source}. */
  public Set<String> dependencies() {
    Set<String> deps = new LinkedHashSet<>();
    if ("ownedByGroup".equals(rulesetType)) deps.add(tree.get("ruleset").get("group").textValue());
    JsonNode meta = tree.get("meta");
    if (meta != null && meta.isObject() && meta.get("source") != null && meta.get("source").isTextual()) {
      deps.add(meta.get("source").textValue());
    }
    return deps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CoValueHeader h && h.raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return "CoValueHeader" + raw;
  }
}
