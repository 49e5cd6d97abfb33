package org.maiaos.mesh.hyperswarm.secretstream;

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
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Known answers from the pinned JS ({@code interop/noise-ik-vectors.js}): noise-handshake's IK
 * with noise-curve-ed and the NS_PEER_HANDSHAKE prologue, as hyperdht's noise-wrap sets it up,
 * with the ephemeral keys fixed from seeds, so both messages, the handshake hash, tx/rx and the
 * remote keys can be compared byte for byte; and a JS responder fed Java's tampered messages.
 */
class NoiseIKInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int HANDSHAKES = 50;
  private static final List<byte[][]> cases = new ArrayList<>(); // {c, s, ce, se, p1, p2}
  private static final List<Boolean> tamperedExpectFail = new ArrayList<>();
  private static final List<byte[]> tamperedPayloads = new ArrayList<>();
  private static final List<KeyPair> tamperedClients = new ArrayList<>();
  private static JsonNode js;

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @BeforeAll
  static void runJs() {
    Random rnd = TestSeeds.random("NoiseIKInteropIT");
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("prologue", HEX.formatHex(NoiseIKTest.PROLOGUE));
    ArrayNode hs = in.putArray("handshakes");
    for (int i = 0; i < HANDSHAKES; i++) {
      byte[][] c = {bytes(rnd, 32), bytes(rnd, 32), bytes(rnd, 32), bytes(rnd, 32),
          bytes(rnd, i == 0 ? 0 : rnd.nextInt(200)), bytes(rnd, i == 1 ? 0 : rnd.nextInt(200))};
      cases.add(c);
      hs.addObject().put("clientSeed", HEX.formatHex(c[0])).put("serverSeed", HEX.formatHex(c[1]))
          .put("clientEphemeralSeed", HEX.formatHex(c[2])).put("serverEphemeralSeed", HEX.formatHex(c[3]))
          .put("payload1", HEX.formatHex(c[4])).put("payload2", HEX.formatHex(c[5]));
    }
    // Java-made msg1s (random ephemerals) for a JS responder: intact ones must be accepted,
    // byte-flipped or truncated ones refused
    ArrayNode m1s = in.putArray("msg1s");
    for (int i = 0; i < 30; i++) {
      byte[] serverSeed = bytes(rnd, 32);
      KeyPair server = Ed25519.keyPair(serverSeed);
      KeyPair client = Ed25519.keyPair();
      byte[] payload = bytes(rnd, rnd.nextInt(50));
      byte[] m1 = NoiseIK.initiator(client, server.publicKey(), NoiseIKTest.PROLOGUE).send(payload);
      boolean tamper = i % 3 != 0;
      if (tamper) {
        if (i % 3 == 1) m1[rnd.nextInt(m1.length)] ^= (byte) (1 + rnd.nextInt(255));
        else m1 = java.util.Arrays.copyOf(m1, rnd.nextInt(m1.length));
      }
      tamperedExpectFail.add(tamper);
      tamperedPayloads.add(payload);
      tamperedClients.add(client);
      m1s.addObject().put("serverSeed", HEX.formatHex(serverSeed)).put("msg1", HEX.formatHex(m1));
    }
    js = NodeScript.call("noise-ik-vectors.js", in);
  }

  private static void assertSide(JsonNode want, NoiseResult got, String what) {
    assertEquals(want.get("hash").asText(), HEX.formatHex(got.handshakeHash()), what + " hash");
    assertEquals(want.get("tx").asText(), HEX.formatHex(got.tx()), what + " tx");
    assertEquals(want.get("rx").asText(), HEX.formatHex(got.rx()), what + " rx");
    assertEquals(want.get("remotePublicKey").asText(), got.remotePublicKey().hex(), what + " remotePublicKey");
  }

  @Test
  void everyMessageByteHashAndKeyMatchesJs() {
    for (int k = 0; k < HANDSHAKES; k++) {
      byte[][] c = cases.get(k);
      JsonNode want = js.get("handshakes").get(k);
      KeyPair server = Ed25519.keyPair(c[1]);
      NoiseIK i = NoiseIK.initiator(Ed25519.keyPair(c[0]), server.publicKey(), NoiseIKTest.PROLOGUE, Ed25519.keyPair(c[2]));
      NoiseIK r = NoiseIK.responder(server, NoiseIKTest.PROLOGUE, Ed25519.keyPair(c[3]));
      byte[] m1 = i.send(c[4]);
      assertEquals(want.get("msg1").asText(), HEX.formatHex(m1), "msg1 #" + k);
      // the Java responder reads the JS msg1, the Java initiator the JS msg2
      assertEquals(HEX.formatHex(c[4]), HEX.formatHex(r.recv(HEX.parseHex(want.get("msg1").asText()))));
      byte[] m2 = r.send(c[5]);
      assertEquals(want.get("msg2").asText(), HEX.formatHex(m2), "msg2 #" + k);
      assertEquals(HEX.formatHex(c[5]), HEX.formatHex(i.recv(HEX.parseHex(want.get("msg2").asText()))));
      assertEquals(want.get("recv1").asText(), HEX.formatHex(c[4]));
      assertEquals(want.get("recv2").asText(), HEX.formatHex(c[5]));
      assertSide(want.get("client"), i.result(), "client #" + k);
      assertSide(want.get("server"), r.result(), "server #" + k);
    }
  }

  @Test
  void jsResponderAcceptsJavaMsg1AndRefusesTamperedOnes() {
    int refused = 0;
    for (int k = 0; k < tamperedExpectFail.size(); k++) {
      JsonNode got = js.get("msg1s").get(k);
      if (tamperedExpectFail.get(k)) {
        assertTrue(got.isNull(), "JS accepted tampered msg1 #" + k);
        refused++;
      } else {
        assertEquals(HEX.formatHex(tamperedPayloads.get(k)), got.get("payload").asText());
        assertEquals(tamperedClients.get(k).publicKey().hex(), got.get("remotePublicKey").asText());
      }
    }
    assertEquals(20, refused);
  }
}
