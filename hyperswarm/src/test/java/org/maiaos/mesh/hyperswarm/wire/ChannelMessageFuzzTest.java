package org.maiaos.mesh.hyperswarm.wire;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.decodeOrRefuse;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.Request;

/**
 * One {@code hypercore/alpha} channel message from any bytes, as the replicator's Peer decodes it:
 * the first byte picks the type (0 sync .. 9 extension, 10 the channel handshake), the rest is the
 * body. Each decode gives a record or DECODING_ERROR, and the record re-encodes to bytes that
 * decode to an equal record.
 */
class ChannelMessageFuzzTest {
  private record Codec<T>(BiConsumer<State, T> preencode, BiConsumer<State, T> encode, Function<State, T> decode) {
    void check(byte[] body) {
      T m = decodeOrRefuse(() -> decode.apply(State.of(body)), CoreError.DECODING_ERROR);
      if (m == null) return;
      m.toString();
      State s = new State();
      preencode.accept(s, m);
      s.alloc();
      encode.accept(s, m);
      if (s.start != s.end) throw new AssertionError("preencode sized " + s.end + ", encode wrote " + s.start);
      State back = State.of(s.buffer);
      requireSame(m, decode.apply(back));
      if (back.remaining() != 0) throw new AssertionError(back.remaining() + " bytes left after re-decoding " + m);
    }
  }

  private static final Codec<?>[] CODECS = {
    new Codec<>(Sync::preencode, Sync::encode, Sync::decode),
    new Codec<>(Request::preencode, Request::encode, Request::decode),
    new Codec<>(Cancel::preencode, Cancel::encode, Cancel::decode),
    new Codec<>(Data::preencode, Data::encode, Data::decode),
    new Codec<>(NoData::preencode, NoData::encode, NoData::decode),
    new Codec<>(Want::preencode, Want::encode, Want::decode), // want and unwant share the codec
    new Codec<>(Want::preencode, Want::encode, Want::decode),
    new Codec<>(Bitfield::preencode, Bitfield::encode, Bitfield::decode),
    new Codec<>(Range::preencode, Range::encode, Range::decode),
    new Codec<>(Extension::preencode, Extension::encode, Extension::decode),
    new Codec<>(Handshake::preencode, Handshake::encode, Handshake::decode),
  };

  @FuzzTest
  void messageDecodesOrRefuses(byte[] input) {
    byte[] in = bounded(input);
    if (in.length == 0) return;
    CODECS[(in[0] & 0xFF) % CODECS.length].check(Arrays.copyOfRange(in, 1, in.length));
  }
}
