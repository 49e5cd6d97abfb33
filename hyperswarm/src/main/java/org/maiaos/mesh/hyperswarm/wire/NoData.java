package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * Message 4, {@code noData}: the responder cannot serve request {@code request}
 * ({@code uint request | uint flags | [uint reason]}; a missing flags byte decodes as 0, as in JS).
 *
 * @param reason 0 none, {@link #NOT_AVAILABLE} or {@link #INVALID_REQUEST}
 */
public record NoData(long request, long reason) {
  public static final long NOT_AVAILABLE = 1;
  public static final long INVALID_REQUEST = 2;

  public NoData {
    Checks.requireUint(request, "request");
    Checks.requireUint(reason, "reason");
  }

  public static void preencode(State s, NoData m) {
    Uint.preencode(s, m.request);
    s.end++; // flags
    if (m.reason != 0) Uint.preencode(s, m.reason);
  }

  public static void encode(State s, NoData m) {
    Uint.encode(s, m.request);
    Uint.encode(s, m.reason != 0 ? 1 : 0);
    if (m.reason != 0) Uint.encode(s, m.reason);
  }

  public static NoData decode(State s) {
    long request = Uint.decode(s);
    long flags = s.remaining() > 0 ? Uint.decode(s) : 0;
    return new NoData(request, (flags & 1) != 0 ? Uint.decode(s) : 0);
  }
}
