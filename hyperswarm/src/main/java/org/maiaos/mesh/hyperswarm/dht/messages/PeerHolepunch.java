package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * hyperdht {@code holepunch}, the PEER_HOLEPUNCH value: flags (1 peerAddress), mode (as
 * {@link Handshake}), the server's handshake slot id, the encrypted payload, then the address.
 * A relay reads only the routing fields; the payload is opaque to it.
 */
public record PeerHolepunch(int mode, long id, byte[] payload, PeerAddress peerAddress) {
  /** A holepunch payload is a nonce, a MAC and a few addresses; nothing bigger than a datagram is one. */
  public static final int MAX_PAYLOAD_BYTES = 2048;

  public PeerHolepunch {
    if (mode < 0 || mode > 0xFC) throw CoreError.BAD_ARGUMENT.error("mode %d", mode);
    if (id < 0) throw CoreError.BAD_ARGUMENT.error("id %d", id);
    if (payload == null || payload.length > MAX_PAYLOAD_BYTES) throw CoreError.BAD_ARGUMENT.error("holepunch payload");
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, PeerHolepunch::preencode, PeerHolepunch::encode);
  }

  public static PeerHolepunch fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, PeerHolepunch m) {
    s.end += 2; // flags and mode, one byte each
    Uint.preencode(s, m.id);
    Bytes.preencode(s, m.payload);
    if (m.peerAddress != null) s.end += PeerAddress.BYTES;
  }

  public static void encode(State s, PeerHolepunch m) {
    Uint.encode(s, m.peerAddress != null ? 1 : 0);
    Uint.encode(s, m.mode);
    Uint.encode(s, m.id);
    Bytes.encode(s, m.payload);
    if (m.peerAddress != null) PeerAddress.encode(s, m.peerAddress);
  }

  public static PeerHolepunch decode(State s) {
    long flags = Uint.decode(s);
    int mode = (int) Uint.decode(s, 0xFC);
    long id = Uint.decode(s);
    long n = Uint.decode(s);
    if (n > MAX_PAYLOAD_BYTES) throw CoreError.DECODING_ERROR.error("holepunch payload of %d bytes", n);
    s.require(n);
    byte[] payload = java.util.Arrays.copyOfRange(s.buffer, s.start, s.start + (int) n);
    s.start += (int) n;
    PeerAddress peer = (flags & 1) != 0 ? PeerAddress.decode(s) : null;
    return new PeerHolepunch(mode, id, payload, peer);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerHolepunch h && mode == h.mode && id == h.id && HyperMessages.same(payload, h.payload)
        && java.util.Objects.equals(peerAddress, h.peerAddress);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(mode, id, java.util.Arrays.hashCode(payload), peerAddress);
  }

  @Override
  public String toString() {
    return "PeerHolepunch[mode=" + mode + ", id=" + id + ", payload=" + payload.length + " bytes, peerAddress="
        + peerAddress + "]";
  }
}
