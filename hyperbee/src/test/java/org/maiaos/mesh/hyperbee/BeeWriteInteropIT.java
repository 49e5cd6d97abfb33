package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.interop.NodeScript;

/**
 * The same long random sequence of writes (puts, overwrites, deletes of present and absent keys,
 * null and empty values, cas checks, batches up to hundreds of ops, prefix-heavy keys, nested subs)
 * is applied by the Java bee and by JS hyperbee 2.27.3 ({@code interop/bee-write.js}) to cores with
 * the same key pair; at every checkpoint both cores must have the same length, the same tree hash and
 * byte-identical blocks.
 */
class BeeWriteInteropIT {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}: {1} ops, key space {2}, batches up to {3}, alwaysDuplicate {4}")
  @CsvSource({
      "small-keyspace, 3000, 3, 40, true",
      "no-duplicates, 3000, 4, 40, false",
      "big-batches, 2500, 6, 600, true",
      "long, 20000, 8, 200, true"
  })
  void javaWritesTheSameBlocksAsJs(String name, int count, int keySpace, int maxBatch, boolean alwaysDuplicate) {
    Random rnd = TestSeeds.random("BeeWriteInteropIT." + name);
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    BeeOps gen = new BeeOps(rnd, keySpace);
    List<BeeOps.Op> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) ops.add(gen.next(maxBatch));
    List<Integer> checkpoints = new ArrayList<>();
    int every = Math.max(1, count / 10);
    for (int i = 0; i < count; i++) {
      if (i < 30 || i % every == every - 1 || i == count - 1) checkpoints.add(i);
    }

    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("seed", BeeOps.HEX.formatHex(seed));
    in.put("alwaysDuplicate", alwaysDuplicate);
    ArrayNode jsOps = in.putArray("ops");
    for (BeeOps.Op op : ops) jsOps.add(BeeOps.json(op));
    ArrayNode cps = in.putArray("checkpoints");
    checkpoints.forEach(cps::add);
    JsonNode js = NodeScript.call("bee-write.js", in);

    HyperbeeOptions<byte[], byte[]> opts = HyperbeeOptions.builder(Encoding.BINARY, Encoding.BINARY)
        .alwaysDuplicate(alwaysDuplicate).build();
    try (Hypercore core = Hypercore.create(tmp.resolve(name), HypercoreOptions.builder().keyPair(Ed25519.keyPair(seed)).build());
        Hyperbee<byte[], byte[]> bee = Hyperbee.open(core, opts)) {
      int c = 0;
      long reported = 0;
      for (int i = 0; i < ops.size(); i++) {
        BeeOps.apply(bee, ops.get(i));
        if (c < checkpoints.size() && checkpoints.get(c) == i) {
          JsonNode cp = js.get("checkpoints").get(c);
          String where = name + " after op " + i + " (" + ops.get(i).kind() + ")";
          JsonNode blocks = cp.get("blocks");
          for (int b = 0; b < blocks.size() && reported + b < core.length(); b++) {
            assertEquals(blocks.get(b).asText(), BeeOps.HEX.formatHex(core.get(reported + b)), where + ": block " + (reported + b));
          }
          assertEquals(cp.get("length").asLong(), core.length(), where + ": length");
          assertEquals(cp.get("treeHash").asText(), BeeOps.HEX.formatHex(core.treeHash()), where + ": tree hash");
          reported = core.length();
          c++;
        }
      }
      assertEquals(checkpoints.size(), c);
    }
  }
}
