package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * hyperdht {@code noisePayload}, the plaintext inside the Noise IK messages: version, flags,
 * error, firewall, then the present fields in flag order (1 holepunch, 2 addresses4, 4 addresses6,
 * 8 udx, 16 secretStream, 32 relayThrough, 64 relayAddresses). Empty address lists are not
 * written (flag clear), but {@code relayAddresses} is written when non-null, even empty, as in JS.
 * A version other than 1 stops the decoder: the rest is left unread and the fields are empty.
 * The encoder always writes version 1 (as JS), and so do the sub-records.
 */
public record NoisePayload(long version, long error, long firewall, Holepunch holepunch, List<PeerAddress> addresses4,
    List<Ipv6Address> addresses6, Udx udx, SecretStream secretStream, RelayThrough relayThrough,
    List<PeerAddress> relayAddresses) {
  public static final int ERROR_NONE = 0;
  public static final int ERROR_ABORTED = 1;
  public static final int ERROR_VERSION_MISMATCH = 2;
  public static final int ERROR_TRY_LATER = 3;
  public static final int FIREWALL_UNKNOWN = 0;
  public static final int FIREWALL_OPEN = 1;
  public static final int FIREWALL_CONSISTENT = 2;
  public static final int FIREWALL_RANDOM = 3;

  /** {@code holepunchInfo}: the server's slot id and, per relay, its address as that relay saw it. */
  public record Holepunch(long id, List<RelayInfo> relays) {
    public Holepunch {
      if (id < 0) throw CoreError.BAD_ARGUMENT.error("id %d", id);
      relays = HyperMessages.copy(relays == null ? List.of() : relays, "relays");
    }
  }

  public record RelayInfo(PeerAddress relayAddress, PeerAddress peerAddress) {
    public RelayInfo {
      if (relayAddress == null || peerAddress == null) throw CoreError.BAD_ARGUMENT.error("null address");
    }
  }

  /** {@code udxInfo}: the sender's raw UDX stream id. */
  public record Udx(long version, boolean reusableSocket, long id, long seq) {
    public Udx {
      if (version < 0 || id < 0 || seq < 0) throw CoreError.BAD_ARGUMENT.error("negative udx field");
    }
  }

  public record SecretStream(long version) { }

  /** {@code relayThroughInfo} (blind relay): the relay's public key and a pairing token. */
  public record RelayThrough(long version, Key32 publicKey, Key32 token) {
    public RelayThrough {
      if (publicKey == null || token == null) throw CoreError.BAD_ARGUMENT.error("null relayThrough field");
    }
  }

  public NoisePayload {
    if (version < 0 || error < 0 || firewall < 0) throw CoreError.BAD_ARGUMENT.error("negative field");
    // JS preencode reserves one byte each for version, flags, error and firewall
    if (error > 0xFC || firewall > 0xFC) throw CoreError.BAD_ARGUMENT.error("error %d / firewall %d", error, firewall);
    addresses4 = HyperMessages.copy(addresses4 == null ? List.of() : addresses4, "addresses4");
    addresses6 = HyperMessages.copy(addresses6 == null ? List.of() : addresses6, "addresses6");
    relayAddresses = HyperMessages.copy(relayAddresses, "relay addresses");
  }

  public byte[] toBytes() {
    return Codecs.encode(this, NoisePayload::preencode, NoisePayload::encode);
  }

  public static NoisePayload fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  private int flags() {
    return (holepunch != null ? 1 : 0) | (!addresses4.isEmpty() ? 2 : 0) | (!addresses6.isEmpty() ? 4 : 0)
        | (udx != null ? 8 : 0) | (secretStream != null ? 16 : 0) | (relayThrough != null ? 32 : 0)
        | (relayAddresses != null ? 64 : 0);
  }

  public static void preencode(State s, NoisePayload m) {
    if (m.version != 1) throw CoreError.BAD_ARGUMENT.error("cannot encode noise payload version %d", m.version);
    s.end += 4;
    if (m.holepunch != null) {
      Uint.preencode(s, m.holepunch.id);
      Uint.preencode(s, m.holepunch.relays.size());
      s.end += m.holepunch.relays.size() * 2 * PeerAddress.BYTES;
    }
    if (!m.addresses4.isEmpty()) HyperMessages.preencodeAddresses(s, m.addresses4);
    if (!m.addresses6.isEmpty()) {
      Uint.preencode(s, m.addresses6.size());
      s.end += m.addresses6.size() * Ipv6Address.BYTES;
    }
    if (m.udx != null) {
      s.end += 2;
      Uint.preencode(s, m.udx.id);
      Uint.preencode(s, m.udx.seq);
    }
    if (m.secretStream != null) s.end += 1;
    if (m.relayThrough != null) s.end += 2 + 2 * Key32.BYTES;
    if (m.relayAddresses != null) HyperMessages.preencodeAddresses(s, m.relayAddresses);
  }

  public static void encode(State s, NoisePayload m) {
    Uint.encode(s, 1);
    Uint.encode(s, m.flags());
    Uint.encode(s, m.error);
    Uint.encode(s, m.firewall);
    if (m.holepunch != null) {
      Uint.encode(s, m.holepunch.id);
      Uint.encode(s, m.holepunch.relays.size());
      for (RelayInfo r : m.holepunch.relays) {
        PeerAddress.encode(s, r.relayAddress);
        PeerAddress.encode(s, r.peerAddress);
      }
    }
    if (!m.addresses4.isEmpty()) HyperMessages.encodeAddresses(s, m.addresses4);
    if (!m.addresses6.isEmpty()) {
      Uint.encode(s, m.addresses6.size());
      for (Ipv6Address a : m.addresses6) Ipv6Address.encode(s, a);
    }
    if (m.udx != null) {
      Uint.encode(s, 1);
      Uint.encode(s, m.udx.reusableSocket ? 1 : 0);
      Uint.encode(s, m.udx.id);
      Uint.encode(s, m.udx.seq);
    }
    if (m.secretStream != null) Uint.encode(s, 1);
    if (m.relayThrough != null) {
      Uint.encode(s, 1);
      Uint.encode(s, 0);
      Messages.encodeKey(s, m.relayThrough.publicKey);
      Messages.encodeKey(s, m.relayThrough.token);
    }
    if (m.relayAddresses != null) HyperMessages.encodeAddresses(s, m.relayAddresses);
  }

  public static NoisePayload decode(State s) {
    long version = Uint.decode(s);
    if (version != 1) return new NoisePayload(version, 0, 0, null, null, null, null, null, null, null);
    long flags = Uint.decode(s);
    long error = Uint.decode(s, 0xFC);
    long firewall = Uint.decode(s, 0xFC);
    Holepunch hp = null;
    if ((flags & 1) != 0) {
      long id = Uint.decode(s);
      long n = Uint.decode(s);
      if (n > HyperMessages.MAX_ADDRESSES) throw CoreError.DECODING_ERROR.error("%d relays over limit", n);
      s.require(n * 2 * PeerAddress.BYTES);
      List<RelayInfo> relays = new ArrayList<>((int) n);
      for (int i = 0; i < n; i++) relays.add(new RelayInfo(PeerAddress.decode(s), PeerAddress.decode(s)));
      hp = new Holepunch(id, relays);
    }
    List<PeerAddress> a4 = (flags & 2) != 0 ? HyperMessages.decodeAddresses(s) : List.of();
    List<Ipv6Address> a6 = List.of();
    if ((flags & 4) != 0) {
      long n = Uint.decode(s);
      if (n > HyperMessages.MAX_ADDRESSES) throw CoreError.DECODING_ERROR.error("%d ipv6 addresses over limit", n);
      s.require(n * Ipv6Address.BYTES);
      List<Ipv6Address> l = new ArrayList<>((int) n);
      for (int i = 0; i < n; i++) l.add(Ipv6Address.decode(s));
      a6 = l;
    }
    Udx udx = null;
    if ((flags & 8) != 0) {
      long v = Uint.decode(s);
      long features = Uint.decode(s);
      udx = new Udx(v, (features & 1) != 0, Uint.decode(s), Uint.decode(s));
    }
    SecretStream ss = (flags & 16) != 0 ? new SecretStream(Uint.decode(s)) : null;
    RelayThrough rt = null;
    if ((flags & 32) != 0) {
      long v = Uint.decode(s);
      Uint.decode(s);
      rt = new RelayThrough(v, Messages.decodeKey(s), Messages.decodeKey(s));
    }
    List<PeerAddress> relayAddresses = (flags & 64) != 0 ? HyperMessages.decodeAddresses(s) : null;
    return new NoisePayload(version, error, firewall, hp, a4, a6, udx, ss, rt, relayAddresses);
  }
}
