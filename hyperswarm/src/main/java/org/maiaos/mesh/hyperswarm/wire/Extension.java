package org.maiaos.mesh.hyperswarm.wire;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * Message 9, {@code extension}: a user message for extension {@code name}
 * ({@code string name | raw message}); an empty name means "the same as the previous one".
 */
public record Extension(String name, byte[] message) {
  /** Extension names are short identifiers; anything longer is refused before decoding it. */
  public static final int MAX_NAME_BYTES = 1024;

  public Extension {
    if (name == null || message == null) throw CoreError.BAD_ARGUMENT.error("extension name and message must not be null");
    message = message.clone();
  }

  @Override
  public byte[] message() {
    return message.clone();
  }

  public static void preencode(State s, Extension m) {
    Bytes.preencodeString(s, m.name);
    Bytes.preencodeRaw(s, m.message);
  }

  public static void encode(State s, Extension m) {
    Bytes.encodeString(s, m.name);
    Bytes.encodeRaw(s, m.message);
  }

  public static Extension decode(State s) {
    int at = s.start;
    byte[] name = Bytes.decode(s);
    if (name.length > MAX_NAME_BYTES) {
      s.start = at;
      throw CoreError.DECODING_ERROR.error("extension name of %d bytes, max %d", name.length, MAX_NAME_BYTES);
    }
    return new Extension(new String(name, java.nio.charset.StandardCharsets.UTF_8), Bytes.decodeRaw(s));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension e && e.name.equals(name) && Arrays.equals(e.message, message);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(message);
  }

  @Override
  public String toString() {
    return "Extension[" + name + ", " + message.length + " bytes]";
  }
}
