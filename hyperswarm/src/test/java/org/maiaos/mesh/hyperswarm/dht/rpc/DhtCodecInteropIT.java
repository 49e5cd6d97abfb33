package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * Byte identity with the real dht-rpc IO code ({@code interop/dht-codec.js} drives lib/io.js on stub
 * sockets): random requests and responses encoded by JS equal ours, and ours decode in JS to the
 * same fields, with the same id validation and the same token verdicts (shared fixed secrets).
 */
class DhtCodecInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int N = 300;

  @Test
  void randomMessagesAreByteIdenticalBothWays() {
    Random r = new Random(Long.getLong("test.seed", 7L));
    byte[] s0 = new byte[32];
    byte[] s1 = new byte[32];
    r.nextBytes(s0);
    r.nextBytes(s1);
    Tokens tokens = new Tokens(s0, s1);
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.putArray("secrets").add(HEX.formatHex(s0)).add(HEX.formatHex(s1));
    ArrayNode encReq = in.putArray("encodeRequests");
    ArrayNode encRes = in.putArray("encodeResponses");
    ArrayNode decReq = in.putArray("decodeRequests");
    ArrayNode decRes = in.putArray("decodeResponses");

    List<DhtRequest> requests = new ArrayList<>();
    List<DhtResponse> responses = new ArrayList<>();
    List<DhtRequest> sentRequests = new ArrayList<>();
    List<PeerAddress> requestSenders = new ArrayList<>();
    List<DhtResponse> sentResponses = new ArrayList<>();
    List<PeerAddress> responseSenders = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      DhtRequest q = Random2.request(r);
      requests.add(q);
      ObjectNode o = encReq.addObject();
      o.put("tid", q.tid());
      address(o.putObject("to"), q.to());
      o.put("id", hex(q.id()));
      o.put("token", hex(q.token()));
      o.put("internal", q.internal());
      o.put("command", q.command());
      o.put("target", hex(q.target()));
      o.put("value", q.hasValue() ? HEX.formatHex(q.value()) : null);

      boolean withToken = r.nextBoolean();
      DhtResponse p = Random2.response(r);
      p = new DhtResponse(p.tid(), p.to(), p.id(), withToken ? tokens.current(p.to().host()) : null, p.closerNodes(),
          p.error(), p.value());
      responses.add(p);
      ObjectNode e = encRes.addObject();
      e.put("tid", p.tid());
      address(e.putObject("to"), p.to());
      e.put("id", hex(p.id()));
      e.put("token", withToken);
      ArrayNode nodes = e.putArray("closerNodes");
      for (PeerAddress a : p.closerNodes()) address(nodes.addObject(), a);
      e.put("error", p.error());
      e.put("value", p.hasValue() ? HEX.formatHex(p.value()) : null);

      PeerAddress from = Random2.address(r);
      if (from.port() == 0) from = new PeerAddress(from.host(), 1);
      DhtRequest j = Random2.request(r);
      Key32 id = pick(r, null, from.id(), Random2.key(r));
      Key32 token = pick(r, null, tokens.token(from.host(), 0), tokens.token(from.host(), 1), Random2.key(r));
      j = new DhtRequest(j.tid(), j.to(), id, token, j.internal(), j.command(), j.target(), j.value());
      sentRequests.add(j);
      requestSenders.add(from);
      ObjectNode dq = decReq.addObject();
      dq.put("bytes", HEX.formatHex(j.toBytes()));
      address(dq.putObject("from"), from);

      PeerAddress rfrom = Random2.address(r);
      if (rfrom.port() == 0) rfrom = new PeerAddress(rfrom.host(), 1);
      DhtResponse jr = Random2.response(r);
      jr = new DhtResponse(jr.tid(), jr.to(), pick(r, null, rfrom.id(), Random2.key(r)), jr.token(), jr.closerNodes(),
          jr.error(), jr.value());
      sentResponses.add(jr);
      responseSenders.add(rfrom);
      ObjectNode dr = decRes.addObject();
      dr.put("bytes", HEX.formatHex(jr.toBytes()));
      address(dr.putObject("from"), rfrom);
    }

    JsonNode out = NodeScript.call("dht-codec.js", in);

    for (int i = 0; i < N; i++) {
      assertEquals(HEX.formatHex(requests.get(i).toBytes()), out.get("requests").get(i).asText(), "request " + i);
      assertEquals(HEX.formatHex(responses.get(i).toBytes()), out.get("responses").get(i).asText(), "response " + i);
      // and the JS bytes decode to the same records here
      assertEquals(requests.get(i), DhtRequest.decode(State.of(HEX.parseHex(out.get("requests").get(i).asText()))));
      assertEquals(responses.get(i), DhtResponse.decode(State.of(HEX.parseHex(out.get("responses").get(i).asText()))));
    }

    int rejected = 0;
    for (int i = 0; i < N; i++) {
      DhtRequest j = sentRequests.get(i);
      PeerAddress from = requestSenders.get(i);
      JsonNode d = out.get("decodedRequests").get(i);
      boolean accepted = j.token() == null || tokens.accepts(from.host(), j.token());
      if (!accepted) {
        rejected++;
        assertEquals("INVALID_TOKEN", d.path("rejected").asText(), "request " + i);
        DhtResponse expected = new DhtResponse(j.tid(), from, null, tokens.current(from.host()), List.of(),
            RpcError.INVALID_TOKEN, null);
        assertEquals(HEX.formatHex(expected.toBytes()), d.get("reply").asText(), "INVALID_TOKEN reply " + i);
        continue;
      }
      assertEquals(j.tid(), d.get("tid").asInt());
      assertEquals(j.to(), address(d.get("to")));
      Key32 valid = j.id() != null && j.id().equals(from.id()) ? j.id() : null;
      assertEquals(hex(valid), text(d.get("fromId")), "validated id " + i);
      assertEquals(hex(j.token()), text(d.get("token")));
      assertEquals(j.internal(), d.get("internal").asBoolean());
      assertEquals(j.command(), d.get("command").asLong());
      assertEquals(hex(j.target()), text(d.get("target")));
      assertEquals(j.hasValue() ? HEX.formatHex(j.value()) : null, text(d.get("value")));
    }
    assertTrue(rejected > 10 && rejected < N - 10, "both token verdicts exercised: " + rejected);

    for (int i = 0; i < N; i++) {
      DhtResponse j = sentResponses.get(i);
      PeerAddress from = responseSenders.get(i);
      JsonNode d = out.get("decodedResponses").get(i);
      assertEquals(j.tid(), d.get("tid").asInt(), "response " + i);
      assertEquals(j.to(), address(d.get("to")));
      Key32 valid = j.id() != null && j.id().equals(from.id()) ? j.id() : null;
      assertEquals(hex(valid), text(d.get("fromId")));
      assertEquals(hex(j.token()), text(d.get("token")));
      List<PeerAddress> nodes = new ArrayList<>();
      if (!d.get("closerNodes").isNull()) for (JsonNode n : d.get("closerNodes")) nodes.add(address(n));
      assertEquals(j.closerNodes(), nodes);
      assertEquals(j.error(), d.get("error").asLong());
      assertEquals(j.hasValue() ? HEX.formatHex(j.value()) : null, text(d.get("value")));
    }
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static String hex(Key32 k) {
    return k == null ? null : k.hex();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static void address(ObjectNode o, PeerAddress a) {
    o.put("host", a.host());
    o.put("port", a.port());
  }

  private static PeerAddress address(JsonNode n) {
    return new PeerAddress(n.get("host").asText(), n.get("port").asInt());
  }
}
