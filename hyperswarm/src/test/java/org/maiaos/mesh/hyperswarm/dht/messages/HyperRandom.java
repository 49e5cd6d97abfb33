package org.maiaos.mesh.hyperswarm.dht.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.maiaos.mesh.hypercore.crypto.Key32;

/** Random hyperdht records (every flag, every uint width) and their JSON form for the JS codec script. */
final class HyperRandom {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private HyperRandom() {}

  static PeerAddress address(Random r) {
    return new PeerAddress(r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256),
        r.nextInt(65536));
  }

  static Key32 key(Random r) {
    return Key32.of(bytes(r, 32));
  }

  static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  static byte[] value(Random r) {
    return bytes(r, r.nextInt(4) == 0 ? 253 + r.nextInt(400) : r.nextInt(40));
  }

  static long uint(Random r) {
    switch (r.nextInt(4)) {
      case 0: return r.nextInt(0xfd);
      case 1: return r.nextInt(0x10000);
      case 2: return r.nextLong() & 0xFFFFFFFFL;
      default: return r.nextLong() & ((1L << 53) - 1);
    }
  }

  static List<PeerAddress> addresses(Random r, int max) {
    List<PeerAddress> l = new ArrayList<>();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) l.add(address(r));
    return l;
  }

  static PeerRecord peer(Random r) {
    return new PeerRecord(key(r), addresses(r, 4));
  }

  static LookupRawReply lookup(Random r) {
    List<PeerRecord> peers = new ArrayList<>();
    int n = r.nextInt(22);
    for (int i = 0; i < n; i++) peers.add(peer(r));
    return new LookupRawReply(peers, r.nextBoolean() ? 0 : uint(r));
  }

  static Announce announce(Random r) {
    return new Announce(r.nextBoolean() ? peer(r) : null, r.nextBoolean() ? key(r) : null,
        r.nextBoolean() ? bytes(r, 64) : null, r.nextBoolean() ? 0 : uint(r));
  }

  static MutablePutRequest mutablePut(Random r) {
    return new MutablePutRequest(key(r), uint(r), value(r), bytes(r, 64));
  }

  static MutableGetResponse mutableGet(Random r) {
    return new MutableGetResponse(uint(r), value(r), bytes(r, 64));
  }

  static Handshake handshake(Random r) {
    return new Handshake(r.nextInt(5), value(r), r.nextBoolean() ? address(r) : null, r.nextBoolean() ? address(r) : null);
  }

  static PeerHolepunch holepunch(Random r) {
    long id = r.nextInt(4) == 0 ? (r.nextLong() >>> 12) : r.nextInt(300);
    return new PeerHolepunch(r.nextInt(5), id, value(r), r.nextBoolean() ? address(r) : null);
  }

  static NoisePayload noisePayload(Random r) {
    NoisePayload.Holepunch hp = null;
    if (r.nextBoolean()) {
      List<NoisePayload.RelayInfo> relays = new ArrayList<>();
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) relays.add(new NoisePayload.RelayInfo(address(r), address(r)));
      hp = new NoisePayload.Holepunch(uint(r), relays);
    }
    List<Ipv6Address> a6 = new ArrayList<>();
    if (r.nextInt(3) == 0) {
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) a6.add(new Ipv6Address(bytes(r, 16), r.nextInt(65536)));
    }
    return new NoisePayload(1, r.nextInt(4), r.nextInt(4), hp, addresses(r, 3), a6,
        r.nextBoolean() ? new NoisePayload.Udx(1, r.nextBoolean(), uint(r), r.nextBoolean() ? 0 : uint(r)) : null,
        r.nextBoolean() ? new NoisePayload.SecretStream(1) : null,
        r.nextBoolean() ? new NoisePayload.RelayThrough(1, key(r), key(r)) : null,
        r.nextBoolean() ? addresses(r, 3) : null);
  }

  // ------------------------------------------------------------------ JSON (the shape hyperdht-codec.js reads/writes)

  static ObjectNode json(Object m, boolean out) {
    if (m instanceof PeerRecord p) return peer(p);
    if (m instanceof LookupRawReply l) {
      ObjectNode o = F.objectNode();
      ArrayNode a = o.putArray("peers");
      for (PeerRecord p : l.peers()) a.add(peer(p));
      o.put("bump", l.bump());
      return o;
    }
    if (m instanceof Announce a) {
      ObjectNode o = F.objectNode();
      o.set("peer", a.peer() == null ? F.nullNode() : peer(a.peer()));
      o.put("refresh", a.refresh() == null ? null : a.refresh().hex());
      o.put("signature", a.signature() == null ? null : HEX.formatHex(a.signature()));
      o.put("bump", a.bump());
      return o;
    }
    if (m instanceof MutablePutRequest p) {
      ObjectNode o = F.objectNode();
      o.put("publicKey", p.publicKey().hex());
      o.put("seq", p.seq());
      o.put("value", HEX.formatHex(p.value()));
      o.put("signature", HEX.formatHex(p.signature()));
      return o;
    }
    if (m instanceof MutableGetResponse g) {
      ObjectNode o = F.objectNode();
      o.put("seq", g.seq());
      o.put("value", HEX.formatHex(g.value()));
      o.put("signature", HEX.formatHex(g.signature()));
      return o;
    }
    if (m instanceof PeerHolepunch h) {
      ObjectNode o = F.objectNode();
      o.put("mode", h.mode());
      o.put("id", h.id());
      o.put("payload", HEX.formatHex(h.payload()));
      o.set("peerAddress", address(h.peerAddress()));
      return o;
    }
    if (m instanceof Handshake h) {
      ObjectNode o = F.objectNode();
      o.put("mode", h.mode());
      o.put("noise", HEX.formatHex(h.noise()));
      o.set("peerAddress", address(h.peerAddress()));
      o.set("relayAddress", address(h.relayAddress()));
      return o;
    }
    NoisePayload n = (NoisePayload) m;
    ObjectNode o = F.objectNode();
    o.put("version", n.version());
    o.put("error", n.error());
    o.put("firewall", n.firewall());
    if (n.holepunch() == null) {
      o.putNull("holepunch");
    } else {
      ObjectNode h = o.putObject("holepunch");
      h.put("id", n.holepunch().id());
      ArrayNode rs = h.putArray("relays");
      for (NoisePayload.RelayInfo ri : n.holepunch().relays()) {
        ObjectNode x = rs.addObject();
        x.set("relayAddress", address(ri.relayAddress()));
        x.set("peerAddress", address(ri.peerAddress()));
      }
    }
    o.set("addresses4", addresses(n.addresses4()));
    ArrayNode a6 = o.putArray("addresses6");
    for (Ipv6Address a : n.addresses6()) {
      ObjectNode x = a6.addObject();
      if (out) x.put("address", HEX.formatHex(a.address()));
      else x.put("host", a.host());
      x.put("port", a.port());
    }
    if (n.udx() == null) {
      o.putNull("udx");
    } else {
      ObjectNode u = o.putObject("udx");
      u.put("version", n.udx().version());
      u.put("reusableSocket", n.udx().reusableSocket());
      u.put("id", n.udx().id());
      u.put("seq", n.udx().seq());
    }
    if (n.secretStream() == null) o.putNull("secretStream");
    else o.putObject("secretStream").put("version", n.secretStream().version());
    if (n.relayThrough() == null) {
      o.putNull("relayThrough");
    } else {
      ObjectNode t = o.putObject("relayThrough");
      t.put("version", n.relayThrough().version());
      t.put("publicKey", n.relayThrough().publicKey().hex());
      t.put("token", n.relayThrough().token().hex());
    }
    o.set("relayAddresses", n.relayAddresses() == null ? F.nullNode() : addresses(n.relayAddresses()));
    return o;
  }

  private static ObjectNode peer(PeerRecord p) {
    ObjectNode o = F.objectNode();
    o.put("publicKey", p.publicKey().hex());
    o.set("relayAddresses", addresses(p.relayAddresses()));
    return o;
  }

  private static ArrayNode addresses(List<PeerAddress> l) {
    ArrayNode a = F.arrayNode();
    for (PeerAddress p : l) a.add(address(p));
    return a;
  }

  private static JsonNode address(PeerAddress p) {
    if (p == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    o.put("host", p.host());
    o.put("port", p.port());
    return o;
  }
}
