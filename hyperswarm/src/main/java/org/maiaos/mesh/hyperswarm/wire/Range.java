package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Message 8, {@code range}: the sender has ({@code drop} false) or no longer has blocks
 * {@code [start, start + length)} ({@code uint flags(1 drop, 2 length==1) | uint start | [uint length]}).
 */
public record Range(boolean drop, long start, long length) {
  public Range {
    Checks.requireUint(start, "start");
    Checks.requireUint(length, "length");
  }

  public static void preencode(State s, Range m) {
    s.end++; // flags
    Uint.preencode(s, m.start);
    if (m.length != 1) Uint.preencode(s, m.length);
  }

  public static void encode(State s, Range m) {
    Uint.encode(s, (m.drop ? 1 : 0) | (m.length == 1 ? 2 : 0));
    Uint.encode(s, m.start);
    if (m.length != 1) Uint.encode(s, m.length);
  }

  public static Range decode(State s) {
    long flags = Uint.decode(s);
    long start = Uint.decode(s);
    long length = (flags & 2) != 0 ? 1 : Uint.decode(s);
    return new Range((flags & 1) != 0, start, length);
  }
}
