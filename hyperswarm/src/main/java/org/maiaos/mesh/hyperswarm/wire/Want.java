package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Messages 5 and 6, {@code want} and {@code unwant}: blocks {@code [start, start + length)}
 * ({@code uint start | uint length | [uint flags(bit0 any)]}, flags omitted when 0).
 */
public record Want(long start, long length, boolean any) {
  public Want {
    Checks.requireUint(start, "start");
    Checks.requireUint(length, "length");
  }

  public static void preencode(State s, Want m) {
    Uint.preencode(s, m.start);
    Uint.preencode(s, m.length);
    if (m.any) s.end++;
  }

  public static void encode(State s, Want m) {
    Uint.encode(s, m.start);
    Uint.encode(s, m.length);
    if (m.any) Uint.encode(s, 1);
  }

  public static Want decode(State s) {
    long start = Uint.decode(s);
    long length = Uint.decode(s);
    long flags = s.remaining() > 0 ? Uint.decode(s) : 0;
    return new Want(start, length, (flags & 1) != 0);
  }
}
