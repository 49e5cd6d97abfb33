package org.maiaos.mesh.hyperswarm.dht.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * Our routing table and NAT sampler against the JS packages ({@code interop/dht-model.js}): random
 * tables (some rows overfull, small k to make that common) give the same accepted nodes and the
 * same closest() lists, in order, which is what goes into closer-node replies; random sample
 * sequences give the same reported address after every sample.
 */
class DhtModelInteropIT {
  @Test
  void routingTableAndNatSamplerMatchJs() {
    Random r = new Random(Long.getLong("test.seed", 5L));
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode tables = in.putArray("tables");
    List<Key32> selves = new ArrayList<>();
    List<List<Key32>> nodeLists = new ArrayList<>();
    List<List<Key32>> targetLists = new ArrayList<>();
    List<Integer> ks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Key32 self = key(r, null, 0);
      int k = i % 2 == 0 ? 20 : 1 + r.nextInt(5);
      List<Key32> nodes = new ArrayList<>();
      int n = r.nextInt(300);
      for (int j = 0; j < n; j++) nodes.add(key(r, r.nextInt(3) == 0 ? self : null, r.nextInt(24)));
      if (n > 0 && r.nextBoolean()) nodes.add(nodes.get(0)); // a re-add
      List<Key32> targets = new ArrayList<>();
      for (int j = 0; j < 10; j++) targets.add(key(r, r.nextBoolean() ? self : null, r.nextInt(16)));
      selves.add(self);
      ks.add(k);
      nodeLists.add(nodes);
      targetLists.add(targets);
      ObjectNode t = tables.addObject().put("id", self.hex()).put("k", k);
      nodes.forEach(x -> t.withArray("nodes").add(x.hex()));
      targets.forEach(x -> t.withArray("targets").add(x.hex()));
    }
    ArrayNode nat = in.putArray("nat");
    List<List<PeerAddress>> seqs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      List<PeerAddress> seq = new ArrayList<>();
      int hosts = 1 + r.nextInt(3);
      int ports = 1 + r.nextInt(3);
      for (int j = 0; j < 1 + r.nextInt(60); j++) {
        seq.add(new PeerAddress("10.0.0." + (1 + r.nextInt(hosts)), 1000 + r.nextInt(ports)));
      }
      seqs.add(seq);
      ArrayNode a = nat.addArray();
      seq.forEach(p -> a.addArray().add(p.host()).add(p.port()));
    }

    JsonNode out = NodeScript.call("dht-model.js", in);

    for (int i = 0; i < selves.size(); i++) {
      RoutingTable table = new RoutingTable(selves.get(i), ks.get(i), (node, row) -> { });
      JsonNode js = out.get("tables").get(i);
      for (int j = 0; j < nodeLists.get(i).size(); j++) {
        Key32 id = nodeLists.get(i).get(j);
        boolean added = table.add(new Node(id, new PeerAddress("127.0.0.1", 1), null));
        assertEquals(js.get("added").get(j).asBoolean(), added, "table " + i + " add " + j);
      }
      assertEquals(js.get("size").asInt(), table.size(), "table " + i);
      for (int j = 0; j < targetLists.get(i).size(); j++) {
        List<String> ours = table.closest(targetLists.get(i).get(j)).stream().map(x -> x.id().hex()).toList();
        List<String> theirs = new ArrayList<>();
        js.get("closest").get(j).forEach(x -> theirs.add(x.asText()));
        assertEquals(theirs, ours, "table " + i + " target " + j);
      }
    }
    for (int i = 0; i < seqs.size(); i++) {
      NatSampler s = new NatSampler();
      for (int j = 0; j < seqs.get(i).size(); j++) {
        PeerAddress p = seqs.get(i).get(j);
        int hits = s.add(p.host(), p.port());
        JsonNode js = out.get("nat").get(i).get(j);
        String where = "sequence " + i + " sample " + j;
        assertEquals(js.get(0).isNull() ? null : js.get(0).asText(), s.host(), where);
        assertEquals(js.get(1).asInt(), s.port(), where);
        assertEquals(js.get(2).asInt(), hits, where);
      }
    }
  }

  /** A random key; with {@code near}, one sharing its first {@code prefixBytes} bytes. */
  private static Key32 key(Random r, Key32 near, int prefixBytes) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    if (near != null) System.arraycopy(near.toByteArray(), 0, b, 0, Math.min(prefixBytes, 31));
    return Key32.of(b);
  }
}
