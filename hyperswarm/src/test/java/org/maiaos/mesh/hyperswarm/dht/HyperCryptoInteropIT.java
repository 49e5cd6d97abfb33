package org.maiaos.mesh.hyperswarm.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/** Announce, unannounce and mutable signatures equal those of hyperdht's lib/persistent.js (Ed25519 is deterministic). */
class HyperCryptoInteropIT {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void signaturesEqualThoseOfHyperdhtOverRandomInputs() {
    Random r = new Random(Long.getLong("test.seed", 5L));
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode anns = in.putArray("announces");
    ArrayNode muts = in.putArray("mutables");
    List<byte[]> expectedAnn = new ArrayList<>();
    List<byte[]> expectedUnann = new ArrayList<>();
    List<byte[]> expectedMut = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      KeyPair kp = Ed25519.keyPair(bytes(r, 32));
      Key32 target = Key32.of(bytes(r, 32));
      Key32 id = Key32.of(bytes(r, 32));
      Key32 token = Key32.of(bytes(r, 32));
      Key32 refresh = r.nextBoolean() ? Key32.of(bytes(r, 32)) : null;
      List<PeerAddress> relays = new ArrayList<>();
      int n = r.nextInt(4);
      for (int k = 0; k < n; k++) relays.add(new PeerAddress("10." + r.nextInt(256) + ".0." + r.nextInt(256), r.nextInt(65536)));
      PeerRecord peer = new PeerRecord(kp.publicKey(), relays);
      expectedAnn.add(HyperCrypto.signAnnounce(target, id, token, peer, refresh, kp));
      expectedUnann.add(HyperCrypto.signUnannounce(target, id, token, peer, kp));
      ObjectNode a = anns.addObject();
      a.put("seed", HEX.formatHex(kp.seed()));
      a.put("target", target.hex());
      a.put("id", id.hex());
      a.put("token", token.hex());
      a.put("refresh", refresh == null ? null : refresh.hex());
      ArrayNode ra = a.putArray("relayAddresses");
      for (PeerAddress p : relays) ra.addObject().put("host", p.host()).put("port", p.port());

      byte[] value = bytes(r, r.nextInt(300));
      long seq = r.nextBoolean() ? r.nextInt(300) : r.nextLong() & ((1L << 53) - 1);
      expectedMut.add(HyperCrypto.signMutable(seq, value, kp));
      muts.addObject().put("seed", HEX.formatHex(kp.seed())).put("seq", seq).put("value", HEX.formatHex(value));
    }
    JsonNode out = NodeScript.call("hyperdht-crypto.js", in);
    for (int i = 0; i < expectedAnn.size(); i++) {
      assertEquals(HEX.formatHex(expectedAnn.get(i)), out.get("announces").get(i).get("signature").asText(), "announce " + i);
      assertEquals(HEX.formatHex(expectedUnann.get(i)), out.get("announces").get(i).get("unsignature").asText(), "unannounce " + i);
      assertEquals(HEX.formatHex(expectedMut.get(i)), out.get("mutables").get(i).get("signature").asText(), "mutable " + i);
    }
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
