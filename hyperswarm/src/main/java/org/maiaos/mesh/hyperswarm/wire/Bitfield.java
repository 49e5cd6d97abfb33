package org.maiaos.mesh.hyperswarm.wire;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Message 7, {@code bitfield}: which blocks from {@code start} the sender has
 * ({@code uint start | uint32array words}); block {@code start + j} is present iff bit
 * {@code j % 32} of word {@code j / 32} is set.
 */
public record Bitfield(long start, int[] words) {
  /** One JS bitfield segment: 2^21 bits. */
  public static final int MAX_WORDS = 65536;

  public Bitfield {
    Checks.requireUint(start, "start");
    if (words.length > MAX_WORDS) throw CoreError.BAD_ARGUMENT.error("%d bitfield words, max %d", words.length, MAX_WORDS);
    words = words.clone();
  }

  /** True when block {@code index} is marked present. */
  public boolean has(long index) {
    long j = index - start;
    if (j < 0 || j >= 32L * words.length) return false;
    return (words[(int) (j >>> 5)] >>> (int) (j & 31) & 1) != 0;
  }

  @Override
  public int[] words() {
    return words.clone();
  }

  public static void preencode(State s, Bitfield m) {
    Uint.preencode(s, m.start);
    Uint.preencode(s, m.words.length);
    s.end += 4 * m.words.length;
  }

  public static void encode(State s, Bitfield m) {
    Uint.encode(s, m.start);
    Uint.encode(s, m.words.length);
    for (int w : m.words) Fixed.encodeUint32(s, w & 0xFFFFFFFFL);
  }

  public static Bitfield decode(State s) {
    long start = Uint.decode(s);
    long n = Uint.decode(s);
    if (n > MAX_WORDS || 4 * n > s.remaining()) {
      throw CoreError.DECODING_ERROR.error("bitfield of %d words over limit (max %d, %d bytes left)", n, MAX_WORDS, s.remaining());
    }
    int[] words = new int[(int) n];
    for (int i = 0; i < n; i++) words[i] = (int) Fixed.decodeUint32(s);
    return new Bitfield(start, words);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bitfield b && b.start == start && Arrays.equals(b.words, words);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(start) * 31 + Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    return "Bitfield[start=" + start + ", words=" + words.length + "]";
  }
}
