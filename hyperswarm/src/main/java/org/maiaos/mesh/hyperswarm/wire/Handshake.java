package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code hypercore/alpha} channel-open payload ({@code wire.handshake}):
 * {@code uint flags(bit0 seeks) | fixed32 capability}. The capability proves the sender knows the
 * core key and binds it to this Noise session ({@link org.maiaos.mesh.hypercore.crypto.Caps#replicate}).
 */
public record Handshake(boolean seeks, Key32 capability) {
  public static void preencode(State s, Handshake m) {
    s.end += 1 + 32;
  }

  public static void encode(State s, Handshake m) {
    Uint.encode(s, m.seeks ? 1 : 0);
    Fixed.encode(s, m.capability.toByteArray(), 32);
  }

  public static Handshake decode(State s) {
    long flags = Uint.decode(s);
    return new Handshake((flags & 1) != 0, Key32.of(Fixed.decode(s, 32)));
  }
}
