package org.maiaos.mesh.hyperbee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * How keys or values become bytes, as the {@code codecs} package does for JS hyperbee. Keys are
 * ordered by their encoded bytes (unsigned, lexicographic).
 *
 * @param <T> the Java type
 */
public interface Encoding<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  /** {@code binary}, the default: the bytes as they are. */
  Encoding<byte[]> BINARY = new Encoding<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "binary";
    }
  };

  /**
   * {@code utf-8}. Lone surrogates encode as U+FFFD (as JS Buffer.from does) and malformed bytes
   * decode to U+FFFD (as JS TextDecoder does).
   */
  Encoding<String> UTF8 = new Encoding<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "utf-8";
    }
  };

  /**
   * {@code json}: compact JSON in UTF-8 (JSON.stringify's layout for the values JSON and Jackson
   * print alike: strings, integers, booleans, null, arrays and objects in insertion order; JS prints
   * a whole double without ".0" and escapes control characters in lowercase hex, Jackson does not).
   */
  Encoding<JsonNode> JSON = new Encoding<>() {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public byte[] encode(JsonNode value) {
      try {
        return mapper.writeValueAsBytes(value);
      } catch (IOException e) {
        throw CoreError.BAD_ARGUMENT.error(e, "cannot encode JSON: %s", e.getMessage());
      }
    }

    @Override
    public JsonNode decode(byte[] bytes) {
      try {
        return mapper.readTree(bytes);
      } catch (IOException e) {
        throw CoreError.DECODING_ERROR.error(e, "stored value is not JSON: %s", e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "json";
    }
  };
}
