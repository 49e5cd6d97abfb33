package org.maiaos.mesh.hypercore.encoding;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** The two-pass encode and the whole-buffer decode every message type shares. */
public final class Codecs {
  private Codecs() {}

  /** Sizes {@code m} with {@code preencode}, allocates once, and writes it with {@code encode}. */
  public static <T> byte[] encode(T m, BiConsumer<State, T> preencode, BiConsumer<State, T> encode) {
    State s = new State();
    preencode.accept(s, m);
    s.alloc();
    encode.accept(s, m);
    return s.buffer;
  }

  /** Decodes a buffer that holds exactly one value; trailing bytes are a DECODING_ERROR. */
  public static <T> T decodeAll(byte[] bytes, Function<State, T> decode) {
    State s = State.of(bytes);
    T m = decode.apply(s);
    s.requireEnd();
    return m;
  }
}
