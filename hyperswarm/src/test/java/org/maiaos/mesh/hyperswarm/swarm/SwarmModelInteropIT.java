package org.maiaos.mesh.hyperswarm.swarm;

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

/**
 * The swarm's per-peer rules judged by hyperswarm 4.17.2 itself ({@code interop/swarm-model.js}
 * runs JS's PeerInfo and RetryTimer): over many random event sequences (connections that last
 * shorter and longer than 15 s, resets, explicit and banned toggles, queueing, priority updates)
 * the attempt count, priority, whether the peer may be queued, the back-off chosen and whether the
 * record may be dropped are the same after every step.
 */
class SwarmModelInteropIT {
  private static final String[] OPS = {"connected", "disconnected", "reset", "explicit", "ban", "queue", "unqueue", "update"};

  @Test
  void peerInfoAndRetryTimerDecideAsJsOverRandomSequences() {
    Random r = new Random(Long.getLong("test.seed", 4242L));
    List<List<String>> scripts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      List<String> ops = new ArrayList<>();
      int n = 1 + r.nextInt(30);
      for (int j = 0; j < n; j++) {
        // disconnects and updates most often: they drive attempts and priorities
        int k = r.nextInt(12);
        String op = k < 3 ? "disconnected" : k < 6 ? "update" : k < 8 ? "connected" : OPS[r.nextInt(OPS.length)];
        if (op.equals("disconnected")) op += ":" + (r.nextBoolean() ? r.nextInt(100) : 14_990 + r.nextInt(20));
        ops.add(op);
      }
      scripts.add(ops);
    }
    ObjectNode in = NodeScript.JSON.createObjectNode();
    ArrayNode arr = in.putArray("scripts");
    for (List<String> ops : scripts) ops.forEach(arr.addArray()::add);
    JsonNode out = NodeScript.call("swarm-model.js", in).get("traces");

    RetryTimer timer = new RetryTimer(List.of(1L, 2L, 3L, 4L), 0, new Random());
    for (int i = 0; i < scripts.size(); i++) {
      long now = 1_000_000;
      PeerInfo p = new PeerInfo(Key32.of(new byte[32]), List.of());
      for (int j = 0; j < scripts.get(i).size(); j++) {
        String[] op = scripts.get(i).get(j).split(":");
        Boolean updated = null;
        switch (op[0]) {
          case "connected" -> p.connected(now);
          case "disconnected" -> {
            now += Long.parseLong(op[1]);
            p.disconnected(now);
          }
          case "reset" -> p.reset();
          case "explicit" -> p.explicit = !p.explicit;
          case "ban" -> p.banned = !p.banned;
          case "queue" -> p.queued = true;
          case "unqueue" -> p.queued = false;
          case "update" -> updated = p.updatePriority();
          default -> throw new AssertionError(op[0]);
        }
        now += 1;
        JsonNode js = out.get(i).get(j);
        String where = "script " + i + " step " + j + " " + scripts.get(i).subList(0, j + 1);
        assertEquals(js.get("attempts").asInt(), p.attempts, where);
        assertEquals(js.get("priority").asInt(), p.priority, where);
        assertEquals(js.get("updated").isNull() ? null : js.get("updated").asBoolean(), updated, where);
        long delay = timer.delayFor(p);
        assertEquals(js.get("timer").asInt(), delay < 0 ? -1 : (int) delay - 1, where);
        assertEquals(js.get("gc").asBoolean(), p.collectable(), where);
      }
    }
  }
}
