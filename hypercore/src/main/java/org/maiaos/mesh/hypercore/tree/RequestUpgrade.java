package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code upgrade} part of a {@code wire.request}, {@code uint start | uint length}: prove the
 * head at {@code start + length} to a requester whose length is {@code start}.
 */
public record RequestUpgrade(long start, long length) {
  public RequestUpgrade {
    Nodes.requireUint(start, "start");
    Nodes.requireUint(length, "length");
  }

  public static void preencode(State s, RequestUpgrade m) {
    Uint.preencode(s, m.start);
    Uint.preencode(s, m.length);
  }

  public static void encode(State s, RequestUpgrade m) {
    Uint.encode(s, m.start);
    Uint.encode(s, m.length);
  }

  public static RequestUpgrade decode(State s) {
    long start = Uint.decode(s);
    return new RequestUpgrade(start, Uint.decode(s));
  }
}
