package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * (5) The mesh's partition step: ap is cut off by the switch (from us, eu and the DHT alike) and
 * healed; the acceptance point is that a region cut off and reconnected converges. Before the cut a
 * client in ap subscribes to a map written in us, and a client in us to one written in ap; during
 * it, us and ap each write {@code writes} updates to their map, spread over the cut, each timed to
 * its local ack; after the heal, convergence is when both subscribers have the other side's last
 * update. Both agents poll their node's {@code /status} throughout, which tells whether the
 * connection between the two survived the cut or was lost and made again. A cut fails unless both
 * converge within {@code bound} and a fresh client on each side then loads every update; the
 * failure is reported with the figures, and the benchmark fails at its end.
 */
final class PartitionStep {
  private static final Duration STEP = Duration.ofSeconds(30);
  /** How often the agents poll {@code /status} during the step. */
  private static final long WATCH_MS = 250;
  private static final String CUT = "ap";
  private static final String OTHER = "us";

  private final Netns net;
  private final MeshSetup mesh;
  private final Map<String, AgentProcess> agents;
  private final int writes;
  private final Duration bound;

  PartitionStep(Netns net, MeshSetup mesh, Map<String, AgentProcess> agents, int writes, Duration bound) {
    this.net = net;
    this.mesh = mesh;
    this.agents = agents;
    this.writes = writes;
    this.bound = bound;
  }

  /** One cut of {@code cutSeconds}; a failed convergence or work check is in the result ({@link CutResult#failure}), not thrown. */
  CutResult run(int cutSeconds) throws Exception {
    AgentProcess us = agents.get(OTHER);
    AgentProcess ap = agents.get(CUT);
    // a cut before may have left the mesh reconnecting: start whole
    waitPeers(ap, List.of(OTHER, "eu"));
    waitPeers(us, List.of(CUT));
    JsonNode usMap = us.call(AgentProcess.command("propMap").put("updates", writes), STEP);
    JsonNode apMap = ap.call(AgentProcess.command("propMap").put("updates", writes), STEP);
    String usId = usMap.path("id").asText();
    String apId = apMap.path("id").asText();
    // each node now follows the other's map (its client's load read it across regions)
    ap.call(AgentProcess.command("subscribe").put("id", usId).put("session", usMap.path("session").asText()), STEP);
    us.call(AgentProcess.command("subscribe").put("id", apId).put("session", apMap.path("session").asText()), STEP);
    watch(ap, OTHER);
    watch(us, CUT);
    int apMark = ReadLog.lines(mesh.log(CUT));
    int usMark = ReadLog.lines(mesh.log(OTHER));

    net.cut(CUT);
    long cutAt = System.nanoTime();
    long spacingMs = cutSeconds * 1000L / writes;
    for (AgentProcess a : List.of(us, ap)) a.send(AgentProcess.command("updates").put("n", writes).put("spacingMs", spacingMs));
    JsonNode usWrote = us.next(Duration.ofSeconds(cutSeconds).plus(STEP));
    JsonNode apWrote = ap.next(Duration.ofSeconds(cutSeconds).plus(STEP));
    long left = cutAt + cutSeconds * 1_000_000_000L - System.nanoTime();
    if (left > 0) Thread.sleep(left / 1_000_000);
    long dropped = net.heal(CUT);
    long healAt = System.nanoTime();

    CutResult.Builder r = new CutResult.Builder(cutSeconds, writes, healAt - cutAt, dropped);
    r.wrote(OTHER, usWrote, healAt);
    r.wrote(CUT, apWrote, healAt);
    long deadline = healAt + bound.toNanos();
    long toAp = seen(ap, usId, writes + 1, healAt, deadline, r);
    long toUs = seen(us, apId, writes + 1, healAt, deadline, r);
    r.converged(OTHER + " -> " + CUT, toAp < 0 ? -1 : toAp - healAt);
    r.converged(CUT + " -> " + OTHER, toUs < 0 ? -1 : toUs - healAt);
    if (toAp > 0 && toUs > 0) Thread.sleep(1000); // a last look at /status once both sides have each other's writes
    r.watched(CUT + " sees " + OTHER, ap.call(AgentProcess.command("watchEnd"), STEP), cutAt, healAt);
    r.watched(OTHER + " sees " + CUT, us.call(AgentProcess.command("watchEnd"), STEP), cutAt, healAt);
    r.readLog(CUT + "'s reads of " + OTHER + "'s map", ReadLog.parse(mesh.log(CUT), apMark, Integer.MAX_VALUE).summary(List.of(usId)));
    r.readLog(OTHER + "'s reads of " + CUT + "'s map", ReadLog.parse(mesh.log(OTHER), usMark, Integer.MAX_VALUE).summary(List.of(apId)));

    // work check: a fresh client on each side loads the map created and all its updates
    long onAp = ap.call(AgentProcess.command("count").put("id", usId), STEP).path("transactions").asLong();
    long onUs = us.call(AgentProcess.command("count").put("id", apId), STEP).path("transactions").asLong();
    r.loaded(onAp, onUs, writes + 1);
    if (toAp < 0 || toUs < 0) {
      r.fail("no convergence within " + bound.toSeconds() + " s after the heal (" + String.join("; ", r.lastSeen) + "); node logs in "
          + mesh.log(CUT).getParent());
    } else if (onAp != writes + 1 || onUs != writes + 1) {
      r.fail("updates missing after convergence: a fresh client in ap loads " + onAp + " transactions of us's map, in us " + onUs + " of ap's, expected "
          + (writes + 1) + " each");
    }
    return r.build();
  }

  private void waitPeers(AgentProcess a, List<String> peers) throws Exception {
    ObjectNode c = AgentProcess.command("waitPeers").put("status", mesh.statusUrl(a.region)).put("timeoutMs", 120_000);
    peers.forEach(c.putArray("peers")::add);
    a.call(c, Duration.ofSeconds(150));
  }

  private void watch(AgentProcess a, String peer) throws Exception {
    JsonNode w = a.call(AgentProcess.command("watch").put("status", mesh.statusUrl(a.region)).put("intervalMs", WATCH_MS).set("peers",
        Conn.JSON.createArrayNode().add(peer)), STEP);
    if (!w.path("connected").path(peer).asBoolean()) throw new IllegalStateException(a.region + " is not connected to " + peer + " before the cut: " + w);
  }

  /**
   * When {@code a}'s subscriber had {@code end} transactions of {@code id}, or -1 if not by {@code
   * deadline}; pushes that came before the heal are counted (the cut let something through).
   */
  private static long seen(AgentProcess a, String id, long end, long healAt, long deadline, CutResult.Builder r) throws Exception {
    long last = 0;
    while (true) {
      JsonNode ev;
      try {
        ev = a.event(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (java.io.IOException e) {
        r.lastSeen.add(a.region + "'s subscriber has " + (last == 0 ? "no update" : last + " of " + end + " transactions"));
        return -1;
      }
      if (!ev.path("id").asText().equals(id)) continue;
      last = Math.max(last, ev.path("end").asLong());
      if (ev.path("at").asLong() < healAt) r.pushedDuringCut();
      if (last >= end) return ev.path("at").asLong();
    }
  }
}
