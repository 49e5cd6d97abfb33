package org.maiaos.mesh.hyperswarm.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.CurveEd;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.crypto.SecretStream;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Known answers from the pinned JS ({@code interop/stream-vectors.js}): full Noise XX handshakes
 * through secret-stream's own {@code lib/handshake.js} with the ephemeral keys fixed from seeds,
 * so every message byte, the handshake hash and both key pairs can be compared; the noise-curve-ed
 * DH on valid and invalid points; noise-handshake's HKDF; secretstream push/pull both ways; and the
 * stream ids of the header message.
 */
class NoiseInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HANDSHAKES = 40;
  private static final List<byte[][]> seeds = new ArrayList<>(); // {i, r, ie, re}
  private static final List<byte[][]> dhInputs = new ArrayList<>(); // {publicKey, seed}
  private static final List<byte[][]> hkdfInputs = new ArrayList<>();
  private static final List<byte[]> pushKeys = new ArrayList<>();
  private static final List<List<byte[]>> pushMessages = new ArrayList<>();
  private static final List<byte[]> pullKeys = new ArrayList<>();
  private static final List<byte[]> pullHeaders = new ArrayList<>();
  private static final List<List<byte[]>> pullPlain = new ArrayList<>();
  private static final List<byte[]> hashes = new ArrayList<>();
  private static JsonNode js;

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static ArrayNode hexArray(List<byte[]> list) {
    ArrayNode a = NodeScript.JSON.createArrayNode();
    list.forEach(b -> a.add(HEX.formatHex(b)));
    return a;
  }

  @BeforeAll
  static void runJs() {
    Random rnd = TestSeeds.random("NoiseInteropIT");
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode hs = in.putArray("handshakes");
    for (int i = 0; i < HANDSHAKES; i++) {
      byte[][] s = {bytes(rnd, 32), bytes(rnd, 32), bytes(rnd, 32), bytes(rnd, 32)};
      seeds.add(s);
      hs.addObject().put("initiatorSeed", HEX.formatHex(s[0])).put("responderSeed", HEX.formatHex(s[1]))
          .put("initiatorEphemeralSeed", HEX.formatHex(s[2])).put("responderEphemeralSeed", HEX.formatHex(s[3]));
    }
    ArrayNode dh = in.putArray("dh");
    String[] special = {
      "0100000000000000000000000000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // non-canonical
    };
    for (String h : special) dhInputs.add(new byte[][] {HEX.parseHex(h), bytes(rnd, 32)});
    for (int i = 0; i < 40; i++) {
      // half real public keys, half random 32-byte strings (many not on the curve)
      byte[] pk = i % 2 == 0 ? Ed25519.keyPair(bytes(rnd, 32)).publicKey().toByteArray() : bytes(rnd, 32);
      dhInputs.add(new byte[][] {pk, bytes(rnd, 32)});
    }
    dhInputs.forEach(d -> dh.addObject().put("publicKey", HEX.formatHex(d[0])).put("seed", HEX.formatHex(d[1])));
    ArrayNode hkdf = in.putArray("hkdf");
    for (int i = 0; i < 20; i++) {
      byte[][] h = {bytes(rnd, i % 4 == 0 ? 200 : 64), bytes(rnd, rnd.nextInt(100))};
      hkdfInputs.add(h);
      hkdf.addObject().put("salt", HEX.formatHex(h[0])).put("ikm", HEX.formatHex(h[1]));
    }
    ArrayNode push = in.putArray("push");
    for (int i = 0; i < 5; i++) {
      byte[] key = bytes(rnd, 32);
      List<byte[]> msgs = new ArrayList<>();
      for (int j = 0; j < 20; j++) msgs.add(bytes(rnd, j == 0 ? 0 : rnd.nextInt(3000)));
      pushKeys.add(key);
      pushMessages.add(msgs);
      push.addObject().put("key", HEX.formatHex(key)).set("messages", hexArray(msgs));
    }
    ArrayNode pull = in.putArray("pull");
    for (int i = 0; i < 5; i++) {
      byte[] key = bytes(rnd, 32);
      SecretStream.Push p = new SecretStream.Push(key);
      List<byte[]> plain = new ArrayList<>();
      List<byte[]> cipher = new ArrayList<>();
      for (int j = 0; j < 20; j++) {
        byte[] m = bytes(rnd, j == 0 ? 0 : rnd.nextInt(3000));
        plain.add(m);
        cipher.add(p.next(m));
      }
      pullKeys.add(key);
      pullHeaders.add(p.header());
      pullPlain.add(plain);
      pull.addObject().put("key", HEX.formatHex(key)).put("header", HEX.formatHex(p.header())).set("ciphertexts", hexArray(cipher));
    }
    ArrayNode ids = in.putArray("streamIds");
    for (int i = 0; i < 10; i++) {
      byte[] h = bytes(rnd, 64);
      hashes.add(h);
      ids.addObject().put("handshakeHash", HEX.formatHex(h)).put("isInitiator", i % 2 == 0);
    }
    js = NodeScript.call("stream-vectors.js", in);
  }

  private static String frame(byte[] body) {
    int n = body.length;
    return HEX.formatHex(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16)}) + HEX.formatHex(body);
  }

  @Test
  void everyHandshakeByteHashAndKeyMatchesJs() {
    for (int k = 0; k < HANDSHAKES; k++) {
      byte[][] s = seeds.get(k);
      JsonNode want = js.get("handshakes").get(k);
      KeyPair is = Ed25519.keyPair(s[0]);
      KeyPair rs = Ed25519.keyPair(s[1]);
      NoiseXX i = new NoiseXX(true, is, Ed25519.keyPair(s[2]));
      NoiseXX r = new NoiseXX(false, rs, Ed25519.keyPair(s[3]));
      byte[] m1 = i.send();
      r.recv(m1);
      byte[] m2 = r.send();
      i.recv(m2);
      byte[] m3 = i.send();
      r.recv(m3);
      assertEquals(want.get("msg1").asText(), frame(m1), "msg1 #" + k);
      assertEquals(want.get("msg2").asText(), frame(m2), "msg2 #" + k);
      assertEquals(want.get("msg3").asText(), frame(m3), "msg3 #" + k);
      for (NoiseXX side : new NoiseXX[] {i, r}) {
        JsonNode w = want.get(side.isInitiator() ? "initiator" : "responder");
        NoiseResult got = side.result();
        assertEquals(w.get("hash").asText(), HEX.formatHex(got.handshakeHash()));
        assertEquals(w.get("tx").asText(), HEX.formatHex(got.tx()));
        assertEquals(w.get("rx").asText(), HEX.formatHex(got.rx()));
        assertEquals(w.get("remotePublicKey").asText(), got.remotePublicKey().hex());
      }
    }
  }

  @Test
  void dhMatchesNoiseCurveEdIncludingWhatItRefuses() {
    int refused = 0;
    for (int k = 0; k < dhInputs.size(); k++) {
      byte[][] d = dhInputs.get(k);
      JsonNode want = js.get("dh").get(k);
      String got;
      try {
        got = HEX.formatHex(CurveEd.dh(Key32.of(d[0]), Ed25519.keyPair(d[1])));
      } catch (HypercoreException e) {
        got = null;
        refused++;
      }
      assertEquals(want.isNull() ? null : want.asText(), got, "dh #" + k + " with " + HEX.formatHex(d[0]));
    }
    assertTrue(refused >= 5, "the special points and random strings off the curve are refused");
  }

  @Test
  void hkdfMatchesNoiseHandshake() {
    for (int k = 0; k < hkdfInputs.size(); k++) {
      byte[][] out = SymmetricState.hkdf(hkdfInputs.get(k)[0], hkdfInputs.get(k)[1]);
      JsonNode want = js.get("hkdf").get(k);
      assertEquals(want.get(0).asText(), HEX.formatHex(out[0]));
      assertEquals(want.get(1).asText(), HEX.formatHex(out[1]));
    }
  }

  @Test
  void javaPullsWhatJsPushed() {
    for (int k = 0; k < pushKeys.size(); k++) {
      JsonNode want = js.get("push").get(k);
      SecretStream.Pull pull = new SecretStream.Pull(pushKeys.get(k));
      pull.init(HEX.parseHex(want.get("header").asText()));
      for (int j = 0; j < pushMessages.get(k).size(); j++) {
        assertArrayEquals(pushMessages.get(k).get(j), pull.next(HEX.parseHex(want.get("ciphertexts").get(j).asText())));
      }
    }
  }

  @Test
  void jsPullsWhatJavaPushed() {
    for (int k = 0; k < pullKeys.size(); k++) {
      JsonNode got = js.get("pull").get(k);
      assertEquals(pullPlain.get(k).size(), got.size());
      for (int j = 0; j < got.size(); j++) assertEquals(HEX.formatHex(pullPlain.get(k).get(j)), got.get(j).asText());
    }
  }

  @Test
  void streamIdsMatch() {
    for (int k = 0; k < hashes.size(); k++) {
      assertEquals(js.get("streamIds").get(k).asText(), HEX.formatHex(SecretStreamHandler.streamId(hashes.get(k), k % 2 == 0)));
    }
  }
}
