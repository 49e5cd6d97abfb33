package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * hyperdht {@code announce} (also the UNANNOUNCE value): flags (1 peer, 2 refresh, 4 signature,
 * 8 bump), then the present fields. A zero bump is not written, as in JS.
 */
public record Announce(PeerRecord peer, Key32 refresh, byte[] signature, long bump) {
  public Announce {
    signature = HyperMessages.checkSignature(signature);
    if (bump < 0) throw CoreError.BAD_ARGUMENT.error("bump %d", bump);
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, Announce::preencode, Announce::encode);
  }

  public static Announce fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, Announce m) {
    s.end++;
    if (m.peer != null) PeerRecord.preencode(s, m.peer);
    if (m.refresh != null) s.end += Key32.BYTES;
    if (m.signature != null) s.end += HyperMessages.SIGNATURE_BYTES;
    if (m.bump != 0) Uint.preencode(s, m.bump);
  }

  public static void encode(State s, Announce m) {
    int flags = (m.peer != null ? 1 : 0) | (m.refresh != null ? 2 : 0) | (m.signature != null ? 4 : 0)
        | (m.bump != 0 ? 8 : 0);
    Uint.encode(s, flags);
    if (m.peer != null) PeerRecord.encode(s, m.peer);
    if (m.refresh != null) Messages.encodeKey(s, m.refresh);
    if (m.signature != null) HyperMessages.encodeSignature(s, m.signature);
    if (m.bump != 0) Uint.encode(s, m.bump);
  }

  public static Announce decode(State s) {
    long flags = Uint.decode(s);
    PeerRecord peer = (flags & 1) != 0 ? PeerRecord.decode(s) : null;
    Key32 refresh = (flags & 2) != 0 ? Messages.decodeKey(s) : null;
    byte[] sig = (flags & 4) != 0 ? HyperMessages.decodeSignature(s) : null;
    long bump = (flags & 8) != 0 ? Uint.decode(s) : 0;
    return new Announce(peer, refresh, sig, bump);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Announce a && java.util.Objects.equals(peer, a.peer) && java.util.Objects.equals(refresh, a.refresh)
        && HyperMessages.same(signature, a.signature) && bump == a.bump;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(peer, refresh, java.util.Arrays.hashCode(signature), bump);
  }

  @Override
  public String toString() {
    return "Announce[peer=" + peer + ", refresh=" + refresh + ", signature=" + HyperMessages.hex(signature) + ", bump=" + bump + "]";
  }
}
