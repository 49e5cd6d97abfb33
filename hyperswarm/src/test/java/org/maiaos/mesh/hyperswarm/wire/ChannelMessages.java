package org.maiaos.mesh.hyperswarm.wire;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;

/**
 * The small {@code hypercore/alpha} messages (all but request and data) described once for the
 * tests: a random instance, its JSON form as JS names the fields, and the Java codec.
 */
final class ChannelMessages {
  private static final HexFormat HEX = HexFormat.of();

  record Kind<T>(String type, Function<Random, T> random, Function<T, Map<String, Object>> json,
      BiConsumer<State, T> preencode, BiConsumer<State, T> encode, Function<State, T> decode) {
    byte[] encode(Object m) {
      @SuppressWarnings("unchecked")
      T t = (T) m;
      State s = new State();
      preencode.accept(s, t);
      s.alloc();
      encode.accept(s, t);
      if (s.start != s.end) throw new AssertionError(type + ": preencode sized " + s.end + ", encode wrote " + s.start);
      return s.buffer;
    }

    Map<String, Object> jsonOf(Object m) {
      @SuppressWarnings("unchecked")
      T t = (T) m;
      return json.apply(t);
    }
  }

  private ChannelMessages() {}

  static long uint(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> r.nextInt(0xFD);
      case 1 -> r.nextInt(0x10000);
      case 2 -> r.nextLong() >>> 32;
      case 3 -> r.nextLong() >>> 11; // up to 2^53 - 1
      default -> r.nextInt(3);
    };
  }

  static byte[] bytes(Random r, int max) {
    byte[] b = new byte[r.nextInt(max + 1)];
    r.nextBytes(b);
    return b;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static final List<Kind<?>> ALL = List.of(
      new Kind<Handshake>("handshake",
          r -> new Handshake(r.nextBoolean(), Key32.of(bytes32(r))),
          m -> map("seeks", m.seeks(), "capability", m.capability().hex()),
          Handshake::preencode, Handshake::encode, Handshake::decode),
      new Kind<Sync>("sync",
          r -> new Sync(uint(r), uint(r), uint(r), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean()),
          m -> map("fork", m.fork(), "length", m.length(), "remoteLength", m.remoteLength(), "canUpgrade", m.canUpgrade(),
              "uploading", m.uploading(), "downloading", m.downloading(), "hasManifest", m.hasManifest(), "allowPush", m.allowPush()),
          Sync::preencode, Sync::encode, Sync::decode),
      new Kind<Cancel>("cancel", r -> new Cancel(uint(r)), m -> map("request", m.request()),
          Cancel::preencode, Cancel::encode, Cancel::decode),
      new Kind<NoData>("noData", r -> new NoData(uint(r), r.nextInt(3)), m -> map("request", m.request(), "reason", m.reason()),
          NoData::preencode, NoData::encode, NoData::decode),
      new Kind<Want>("want", r -> new Want(uint(r), uint(r), r.nextBoolean()),
          m -> map("start", m.start(), "length", m.length(), "any", m.any()),
          Want::preencode, Want::encode, Want::decode),
      new Kind<Bitfield>("bitfield", r -> {
            int[] w = new int[r.nextInt(40)];
            for (int i = 0; i < w.length; i++) w[i] = r.nextInt();
            return new Bitfield(uint(r), w);
          },
          m -> {
            long[] words = new long[m.words().length];
            for (int i = 0; i < words.length; i++) words[i] = m.words()[i] & 0xFFFFFFFFL;
            return map("start", m.start(), "bitfield", words);
          },
          Bitfield::preencode, Bitfield::encode, Bitfield::decode),
      new Kind<Range>("range", r -> new Range(r.nextBoolean(), uint(r), r.nextInt(4) == 0 ? 1 : uint(r)),
          m -> map("drop", m.drop(), "start", m.start(), "length", m.length()),
          Range::preencode, Range::encode, Range::decode),
      new Kind<Extension>("extension", r -> new Extension(r.nextInt(4) == 0 ? "" : "ext-" + r.nextInt(1000), bytes(r, 300)),
          m -> map("name", m.name(), "message", HEX.formatHex(m.message())),
          Extension::preencode, Extension::encode, Extension::decode));

  private static byte[] bytes32(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return b;
  }
}
