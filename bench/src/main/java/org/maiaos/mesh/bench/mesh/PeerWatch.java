package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's watch on its region node's {@code GET /status} during a partition: polled every
 * {@code intervalMs}, and every change of a peer region's {@code connected} recorded with its time
 * ({@link System#nanoTime}). A connection that survives a cut shows no change at all; one that is
 * lost shows false during the cut and true again after the heal (a flap shorter than one interval
 * could pass unseen, but no connection can be made while the cut lasts).
 */
final class PeerWatch {
  private final RegionMetrics http;
  private final String statusUrl;
  private final List<String> peers;
  private final long intervalMs;
  private final Map<String, Boolean> last = new HashMap<>();
  /** At the last poll: the node's own bee length, and each peer's bee length as verified here. */
  private long beeLength;
  private final Map<String, Long> remoteLength = new HashMap<>();
  private final ArrayNode changes = Conn.JSON.createArrayNode();
  private final Thread thread;
  private volatile boolean stop;
  private int polls;
  private int failedPolls;

  PeerWatch(RegionMetrics http, String statusUrl, List<String> peers, long intervalMs) {
    this.http = http;
    this.statusUrl = statusUrl;
    this.peers = peers;
    this.intervalMs = intervalMs;
    this.thread = new Thread(this::run, "bench-peer-watch");
    thread.setDaemon(true);
  }

  /** Takes the first look (so the start state is known), then polls on its own thread. */
  ObjectNode start() throws Exception {
    poll();
    thread.start();
    ObjectNode r = Conn.JSON.createObjectNode();
    synchronized (this) {
      last.forEach(r::put);
    }
    return r;
  }

  private void run() {
    while (!stop) {
      try {
        Thread.sleep(intervalMs);
        poll();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        synchronized (this) {
          failedPolls++;
        }
      }
    }
  }

  private void poll() throws Exception {
    JsonNode s = Conn.JSON.readTree(http.get(statusUrl));
    long at = System.nanoTime();
    synchronized (this) {
      polls++;
      beeLength = s.path("beeLength").asLong();
      for (JsonNode p : s.path("peers")) {
        if (peers.contains(p.path("region").asText())) remoteLength.put(p.path("region").asText(), p.path("remoteLength").asLong());
      }
      for (String p : peers) {
        boolean now = RegionMetrics.connected(s, p);
        Boolean before = last.put(p, now);
        if (before != null && before != now) changes.addObject().put("peer", p).put("connected", now).put("at", at);
      }
    }
  }

  /** Stops polling; the changes seen, the polls made and failed, and the last state and bee lengths seen. */
  ObjectNode end() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join(10_000);
    ObjectNode r = Conn.JSON.createObjectNode();
    synchronized (this) {
      r.set("changes", changes.deepCopy());
      r.put("polls", polls);
      r.put("failedPolls", failedPolls);
      ObjectNode now = r.putObject("last");
      last.forEach(now::put);
      r.put("beeLength", beeLength);
      ObjectNode lengths = r.putObject("remoteLength");
      remoteLength.forEach(lengths::put);
    }
    return r;
  }
}
