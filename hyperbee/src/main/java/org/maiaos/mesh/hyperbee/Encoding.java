package org.maiaos.mesh.hyperbee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;

/**
 * How keys or values become bytes, as the {@code codecs} package does for JS hyperbee. Keys are
 * ordered by their encoded bytes (unsigned, lexicographic).
 *
 * @param <T> the Java type
 */
public interface Encoding<T> {
  byte[] encode(T value);

  T decode(byte[] bytes);

  /** Values JS cannot tell from null (JSON's null): a put of one writes no value, as JS does. */
  default boolean isNull(T value) {
    return value == null;
  }

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
      return Bytes.utf8(value); // JS's UTF-8, where String#getBytes would write '?' for a lone surrogate
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
   * {@code json}: JSON text in UTF-8, laid out as JS {@code JSON.stringify} lays it out (see
   * {@code JsonText}); decoded with Jackson. A JSON null value is stored as no value, as in JS.
   */
  Encoding<JsonNode> JSON = new Encoding<>() {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public byte[] encode(JsonNode value) {
      return JsonText.stringify(value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isNull(JsonNode value) {
      return value == null || value.isNull() || value.isMissingNode();
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
