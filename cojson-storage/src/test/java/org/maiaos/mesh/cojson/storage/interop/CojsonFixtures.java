package org.maiaos.mesh.cojson.storage.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Real cojson 0.20.19 content, made at test time by {@code interop/cojson-fixtures.js} (once per
 * JVM): an account, a group, CoMaps (one written from three sessions), a CoList, a binary stream of
 * over 1 MB and a deleted CoMap. Nothing of it is committed.
 */
public final class CojsonFixtures {
  /** Over 1 MB, so one fixture is both "a binary stream of 500+ KB" and "a 1 MB value". */
  public static final int BINARY_BYTES = 1_100_000;
  private static CojsonFixtures cached;

  /** One recorded CoValue. {@code full}: its whole content as a node sends it; {@code incremental}: edit by edit. */
  public record Value(String name, String id, String kind, String headerJson, KnownState knownState,
      List<String> full, List<String> incremental, List<String> deleteMessages) {
    public List<ContentMessage> fullMessages() {
      return full.stream().map(ContentMessage::parse).toList();
    }

    public List<ContentMessage> incrementalMessages() {
      return incremental.stream().map(ContentMessage::parse).toList();
    }
  }

  private final Map<String, Value> values;

  private CojsonFixtures(Map<String, Value> values) {
    this.values = values;
  }

  /** The fixtures, produced on first use. */
  public static synchronized CojsonFixtures get() {
    if (cached == null) cached = produce();
    return cached;
  }

  public Value value(String name) {
    Value v = values.get(name);
    if (v == null) throw new IllegalArgumentException("no fixture " + name + "; have " + values.keySet());
    return v;
  }

  public List<Value> all() {
    return new ArrayList<>(values.values());
  }

  private static CojsonFixtures produce() {
    ensureCojsonInstalled();
    JsonNode out = NodeScript.call("cojson-fixtures.js", Map.of("binaryBytes", BINARY_BYTES, "mapEdits", 5, "listItems", 30));
    Map<String, Value> values = new LinkedHashMap<>();
    for (JsonNode v : out.get("values")) {
      JsonNode ks = v.get("knownState");
      Map<String, Long> sessions = new LinkedHashMap<>();
      ks.get("sessions").fields().forEachRemaining(e -> sessions.put(e.getKey(), e.getValue().longValue()));
      values.put(v.get("name").asText(), new Value(v.get("name").asText(), v.get("id").asText(), v.get("kind").asText(),
          v.get("header").asText(), new KnownState(ks.get("id").asText(), ks.get("header").asBoolean(), sessions),
          texts(v.get("full")), texts(v.get("incremental")), texts(v.get("deleteMessages"))));
    }
    return new CojsonFixtures(values);
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) for (JsonNode n : arr) out.add(n.asText());
    return out;
  }

  /** The pinned packages, cojson among them (NodeScript installs whatever package.json lists and is missing). */
  private static void ensureCojsonInstalled() {
    NodeScript.ensureInstalled();
  }

}
