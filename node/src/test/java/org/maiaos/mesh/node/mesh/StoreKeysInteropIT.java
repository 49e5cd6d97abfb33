package org.maiaos.mesh.node.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * Named cores get the keys corestore 7.12.5 itself gives them ({@code interop/store-keys.js} opens
 * them with a real Corestore): random primary keys, zero to three nested namespaces (empty names
 * among them) and core names (ASCII, non-ASCII), compared on public key, core key and discovery key.
 */
class StoreKeysInteropIT {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void namedCoreKeysMatchCorestore() {
    Random r = new Random(Long.getLong("test.seed", 17L));
    String[] names = {"bee", "region-us", "", "héllo wörld", "日本", "a/b/c"};
    record Case(Key32 primary, List<String> namespaces, String name) { }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] pk = new byte[32];
      r.nextBytes(pk);
      List<String> ns = new ArrayList<>();
      for (int j = r.nextInt(4); j > 0; j--) ns.add(names[r.nextInt(names.length)]);
      String name = names[r.nextInt(names.length)] + (r.nextBoolean() ? "" : i);
      cases.add(new Case(Key32.of(pk), ns, name.isEmpty() ? "x" : name)); // corestore has no core named 
    }
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode arr = in.putArray("cases");
    for (Case c : cases) {
      ObjectNode o = arr.addObject().put("primaryKey", c.primary().hex()).put("name", c.name());
      c.namespaces().forEach(o.putArray("namespaces")::add);
    }
    JsonNode out = NodeScript.call("store-keys.js", in).get("cases");
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Key32 ns = StoreKeys.ROOT_NAMESPACE;
      for (String n : c.namespaces()) ns = StoreKeys.namespace(ns, n);
      KeyPair kp = StoreKeys.keyPair(c.primary(), ns, c.name());
      Key32 key = StoreKeys.coreKey(kp);
      JsonNode js = out.get(i);
      assertEquals(js.get("publicKey").asText(), kp.publicKey().hex(), "case " + i + " " + c);
      assertEquals(js.get("key").asText(), key.hex(), "case " + i);
      assertEquals(js.get("discoveryKey").asText(), Caps.discoveryKey(key).hex(), "case " + i);
    }
    // as in corestore, where get({ name: '' }) is no named core at all
    assertThrows(org.maiaos.mesh.hypercore.HypercoreException.class,
        () -> StoreKeys.keyPair(cases.get(0).primary(), StoreKeys.ROOT_NAMESPACE, ""));
  }
}
