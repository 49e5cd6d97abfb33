package org.maiaos.mesh.hypercore.encoding;

import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.bounded;
import static org.maiaos.mesh.hypercore.fuzz.FuzzChecks.requireRefusal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * The compact-encoding primitives driven by the input itself: each step reads an op byte, then
 * decodes that primitive (uint, bounded uint, count, buffer, optional buffer, string, uint32,
 * uint64, bool, fixed32) from what follows. Every decode either reads a value that re-encodes to a
 * value decoding the same, or is a DECODING_ERROR; the cursor never moves backwards or past the end.
 */
class CompactEncodingFuzzTest {
  private static final int OPS = 10;

  @FuzzTest
  void primitivesDecodeOrRefuse(byte[] input) {
    State s = State.of(bounded(input));
    try {
      while (s.remaining() > 0) {
        int op = (s.buffer[s.start++] & 0xFF) % OPS;
        int before = s.start;
        step(op, s);
        if (s.start < before || s.start > s.end) throw new AssertionError("cursor at " + s.start + " after op " + op);
      }
    } catch (HypercoreException e) {
      requireRefusal(e, CoreError.DECODING_ERROR);
    }
  }

  private static void step(int op, State s) {
    switch (op) {
      case 0 -> {
        long n = Uint.decode(s);
        same(n, Uint.decode(State.of(enc(st -> Uint.preencode(st, n), st -> Uint.encode(st, n)))));
      }
      case 1 -> Uint.decode(s, 1000);
      case 2 -> Uint.decodeCount(s, 1 << 20);
      case 3 -> {
        byte[] b = Bytes.decode(s);
        if (!Arrays.equals(b, Bytes.decode(State.of(enc(st -> Bytes.preencode(st, b), st -> Bytes.encode(st, b)))))) {
          throw new AssertionError("buffer round trip");
        }
      }
      case 4 -> {
        byte[] b = Bytes.decodeOptional(s);
        byte[] again = Bytes.decodeOptional(State.of(enc(st -> Bytes.preencodeOptional(st, b), st -> Bytes.encodeOptional(st, b))));
        if (!Arrays.equals(b, again)) throw new AssertionError("optional buffer round trip");
      }
      case 5 -> {
        String str = Bytes.decodeString(s);
        same(str, Bytes.decodeString(State.of(enc(st -> Bytes.preencodeString(st, str), st -> Bytes.encodeString(st, str)))));
      }
      case 6 -> {
        long n = Fixed.decodeUint32(s);
        if (n < 0 || n > 0xFFFFFFFFL) throw new AssertionError("uint32 " + n);
      }
      case 7 -> Fixed.decodeUint64(s);
      case 8 -> Bytes.decodeBool(s);
      default -> {
        if (Fixed.decode(s, 32).length != 32) throw new AssertionError("fixed32 length");
      }
    }
  }

  private interface Pass {
    void run(State s);
  }

  private static byte[] enc(Pass pre, Pass write) {
    State st = new State();
    pre.run(st);
    st.alloc();
    write.run(st);
    if (st.start != st.end) throw new AssertionError("preencode sized " + st.end + ", encode wrote " + st.start);
    return st.buffer;
  }

  private static void same(Object a, Object b) {
    if (!a.equals(b)) throw new AssertionError(a + " != " + b);
  }
}
