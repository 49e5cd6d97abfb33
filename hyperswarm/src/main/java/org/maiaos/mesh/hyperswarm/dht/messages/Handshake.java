package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * hyperdht {@code handshake}, the PEER_HANDSHAKE value: flags (1 peerAddress, 2 relayAddress),
 * mode, the Noise message, then the present addresses.
 */
public record Handshake(int mode, byte[] noise, PeerAddress peerAddress, PeerAddress relayAddress) {
  public static final int FROM_CLIENT = 0;
  public static final int FROM_SERVER = 1;
  public static final int FROM_RELAY = 2;
  public static final int FROM_SECOND_RELAY = 3;
  public static final int REPLY = 4;
  /** A Noise IK message is 96 + payload bytes; anything bigger than a datagram is not one. */
  public static final int MAX_NOISE_BYTES = 2048;

  public Handshake {
    // JS preencode counts flags and mode as one byte each
    if (mode < 0 || mode > 0xFC) throw CoreError.BAD_ARGUMENT.error("mode %d", mode);
    if (noise == null || noise.length > MAX_NOISE_BYTES) throw CoreError.BAD_ARGUMENT.error("noise message");
    noise = noise.clone();
  }

  @Override
  public byte[] noise() {
    return noise.clone();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, Handshake::preencode, Handshake::encode);
  }

  public static Handshake fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, Handshake m) {
    s.end += 2 + (m.peerAddress != null ? PeerAddress.BYTES : 0) + (m.relayAddress != null ? PeerAddress.BYTES : 0);
    Bytes.preencode(s, m.noise);
  }

  public static void encode(State s, Handshake m) {
    Uint.encode(s, (m.peerAddress != null ? 1 : 0) | (m.relayAddress != null ? 2 : 0));
    Uint.encode(s, m.mode);
    Bytes.encode(s, m.noise);
    if (m.peerAddress != null) PeerAddress.encode(s, m.peerAddress);
    if (m.relayAddress != null) PeerAddress.encode(s, m.relayAddress);
  }

  public static Handshake decode(State s) {
    long flags = Uint.decode(s);
    int mode = (int) Uint.decode(s, 0xFC);
    long n = Uint.decode(s);
    if (n > MAX_NOISE_BYTES) throw CoreError.DECODING_ERROR.error("noise message of %d bytes", n);
    s.require(n);
    byte[] noise = java.util.Arrays.copyOfRange(s.buffer, s.start, s.start + (int) n);
    s.start += (int) n;
    PeerAddress peer = (flags & 1) != 0 ? PeerAddress.decode(s) : null;
    PeerAddress relay = (flags & 2) != 0 ? PeerAddress.decode(s) : null;
    return new Handshake(mode, noise, peer, relay);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Handshake h && mode == h.mode && HyperMessages.same(noise, h.noise)
        && java.util.Objects.equals(peerAddress, h.peerAddress) && java.util.Objects.equals(relayAddress, h.relayAddress);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(mode, java.util.Arrays.hashCode(noise), peerAddress, relayAddress);
  }

  @Override
  public String toString() {
    return "Handshake[mode=" + mode + ", noise=" + noise.length + " bytes, peerAddress=" + peerAddress
        + ", relayAddress=" + relayAddress + "]";
  }
}
