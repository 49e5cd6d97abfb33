package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** Message 2, {@code cancel}: the requester drops request {@code request} ({@code uint request}). */
public record Cancel(long request) {
  public Cancel {
    Checks.requireUint(request, "request");
  }

  public static void preencode(State s, Cancel m) {
    Uint.preencode(s, m.request);
  }

  public static void encode(State s, Cancel m) {
    Uint.encode(s, m.request);
  }

  public static Cancel decode(State s) {
    return new Cancel(Uint.decode(s));
  }
}
