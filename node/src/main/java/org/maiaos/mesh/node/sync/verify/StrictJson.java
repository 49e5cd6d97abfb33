package org.maiaos.mesh.node.sync.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import org.maiaos.mesh.cojson.storage.model.Json;

/** {@code JSON.parse}-like reading: one value, nothing after it; null instead of an exception. */
final class StrictJson {
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The parsed value; JsonProcessingException when {@code text} is not exactly one JSON value. */
  static JsonNode parse(String text) throws JsonProcessingException {
    return READER.readTree(text);
  }

  /** The parsed value, or null when {@code text} is not exactly one JSON value ({@code safeParseJSON}). */
  static JsonNode parseOrNull(String text) {
    if (text == null) return null;
    try {
      JsonNode n = READER.readTree(text);
      return n == null || n.isMissingNode() ? null : n;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
