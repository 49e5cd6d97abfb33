package org.maiaos.mesh.hyperswarm.dht.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Byte identity with hyperdht 6.34.0's own {@code lib/messages.js} ({@code interop/hyperdht-codec.js}):
 * random records of every kind are encoded by JS to our bytes, JS decodes our bytes to the same
 * fields, and our decoder reads the JS bytes back to the same record.
 */
class HyperdhtCodecInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final int N = 150;

  private record Kind(String type, Function<Random, Object> gen, Function<byte[], Object> decode, Function<Object, byte[]> encode) { }

  private static final List<Kind> KINDS = List.of(
      new Kind("peer", HyperRandom::peer, PeerRecord::fromBytes, o -> ((PeerRecord) o).toBytes()),
      new Kind("lookupRawReply", HyperRandom::lookup, LookupRawReply::fromBytes, o -> ((LookupRawReply) o).toBytes()),
      new Kind("announce", HyperRandom::announce, Announce::fromBytes, o -> ((Announce) o).toBytes()),
      new Kind("mutablePutRequest", HyperRandom::mutablePut, MutablePutRequest::fromBytes,
          o -> ((MutablePutRequest) o).toBytes()),
      new Kind("mutableGetResponse", HyperRandom::mutableGet, MutableGetResponse::fromBytes,
          o -> ((MutableGetResponse) o).toBytes()),
      new Kind("handshake", HyperRandom::handshake, Handshake::fromBytes, o -> ((Handshake) o).toBytes()),
      new Kind("holepunch", HyperRandom::holepunch, PeerHolepunch::fromBytes, o -> ((PeerHolepunch) o).toBytes()),
      new Kind("noisePayload", HyperRandom::noisePayload, NoisePayload::fromBytes, o -> ((NoisePayload) o).toBytes()));

  @Test
  void randomRecordsAreByteIdenticalWithHyperdhtMessagesBothWays() {
    Random r = new Random(Long.getLong("test.seed", 11L));
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode items = in.putArray("items");
    List<Object> records = new ArrayList<>();
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      for (Kind k : KINDS) {
        Object m = k.gen.apply(r);
        records.add(m);
        kinds.add(k);
        ObjectNode it = items.addObject();
        it.put("type", k.type);
        it.set("value", HyperRandom.json(m, false));
        it.put("bytes", HEX.formatHex(k.encode.apply(m)));
      }
    }

    JsonNode out = NodeScript.call("hyperdht-codec.js", in);

    for (int i = 0; i < records.size(); i++) {
      Kind k = kinds.get(i);
      Object m = records.get(i);
      String js = out.get("encoded").get(i).asText();
      assertEquals(HEX.formatHex(k.encode.apply(m)), js, k.type + " " + i + " encoded by JS");
      assertEquals(m, k.decode.apply(State.of(HEX.parseHex(js)).buffer), k.type + " " + i + " JS bytes decoded here");
      assertEquals(reparse(HyperRandom.json(m, true)), out.get("decoded").get(i), k.type + " " + i + " our bytes decoded by JS");
    }
  }

  /** Through text, so long and int nodes of the same number compare equal. */
  private static JsonNode reparse(JsonNode n) {
    try {
      return NodeScript.JSON.readTree(n.toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
