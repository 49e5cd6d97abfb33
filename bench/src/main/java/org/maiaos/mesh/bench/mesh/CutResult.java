package org.maiaos.mesh.bench.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one cut of the partition step ({@link PartitionStep}) measured. */
record CutResult(int cutSeconds, int writes, double heldSeconds, long droppedPackets, Map<String, Wrote> wrote, Map<String, Double> convergedMs,
    Map<String, View> views, int pushedDuringCut, Map<String, String> readLogs, String loaded, String failure) {

  /** A region's writes during the cut: how many were acknowledged before the heal, and their ack latencies. */
  record Wrote(int acked, int ackedBeforeHeal, Stats ack) {}

  /**
   * One node's {@code /status} view of the other: ms after the cut it showed it disconnected, ms
   * after the heal connected again (-1: never), and at the end its own bee's length and the other's
   * as verified here.
   */
  record View(double lostAfterCutMs, double backAfterHealMs, int changes, int polls, boolean connectedAtEnd, long ownLength, long peerLength) {
    String describe() {
      String lengths = "; at the end its own bee " + ownLength + " blocks, the peer's as verified here " + peerLength;
      if (changes == 0) return "connected throughout (" + polls + " polls)" + lengths;
      return String.format(Locale.ROOT, "disconnected %.1f s after the cut, connected again %.1f s after the heal (%d changes, %d polls)%s%s",
          lostAfterCutMs / 1000, backAfterHealMs / 1000, changes, polls, connectedAtEnd ? "" : "; NOT connected at the end", lengths);
    }
  }

  /** {@code survived}, {@code reconnected}, or what the two views say otherwise. */
  String connection() {
    if (views.values().stream().allMatch(v -> v.changes == 0)) return "survived";
    if (views.values().stream().allMatch(v -> v.lostAfterCutMs >= 0 && v.backAfterHealMs >= 0 && v.connectedAtEnd)) return "reconnected";
    return "mixed: " + views.keySet();
  }

  /** Acknowledged before the heal, all regions together, e.g. "40 of 40 (us 20, ap 20)". */
  String ackedDuringCut() {
    int all = 0;
    int before = 0;
    List<String> each = new ArrayList<>();
    for (Map.Entry<String, Wrote> e : wrote.entrySet()) {
      all += e.getValue().acked;
      before += e.getValue().ackedBeforeHeal;
      each.add(e.getKey() + " " + e.getValue().ackedBeforeHeal);
    }
    return before + " of " + all + " (" + String.join(", ", each) + ")";
  }

  /** Convergence per direction, e.g. "us -> ap 2542 ms, ap -> us not converged". */
  String converged() {
    List<String> each = new ArrayList<>();
    convergedMs.forEach((d, v) -> each.add(d + " " + ms(v)));
    return String.join(", ", each);
  }

  static String ms(double v) {
    return v < 0 ? "not converged" : String.format(Locale.ROOT, "%.0f ms", v);
  }

  void print() {
    System.out.printf(Locale.ROOT, "   (5) partition, ap cut for %.1f s (%d packets dropped): writes acked during the cut %s%n", heldSeconds,
        droppedPackets, ackedDuringCut());
    wrote.forEach((r, w) -> System.out.println("       " + r + " ack latency during the cut: " + w.ack));
    System.out.println("       converged after the heal: " + converged());
    views.forEach((v, w) -> System.out.println("       /status, " + v + ": " + w.describe()));
    System.out.println("       connection: " + connection() + "; pushes seen during the cut: " + pushedDuringCut + "; work check, fresh clients: "
        + loaded);
    readLogs.forEach((k, v) -> System.out.println("       node log, " + k + " from the cut on: " + v));
    if (failure != null) System.out.println("       FAILED: " + failure);
  }

  static final class Builder {
    private final int cutSeconds;
    private final int writes;
    private final double heldSeconds;
    private final long dropped;
    private final Map<String, Wrote> wrote = new LinkedHashMap<>();
    private final Map<String, Double> converged = new LinkedHashMap<>();
    private final Map<String, View> views = new LinkedHashMap<>();
    private int pushedDuringCut;
    private final Map<String, String> readLogs = new LinkedHashMap<>();
    private String loaded = "";
    private String failure;
    /** What a subscriber that did not converge had. */
    final List<String> lastSeen = new ArrayList<>();

    Builder(int cutSeconds, int writes, long heldNanos, long dropped) {
      this.cutSeconds = cutSeconds;
      this.writes = writes;
      this.heldSeconds = heldNanos / 1e9;
      this.dropped = dropped;
    }

    void wrote(String region, JsonNode reply, long healAt) {
      JsonNode at = reply.path("ackedAt");
      int before = 0;
      for (JsonNode a : at) if (a.asLong() < healAt) before++;
      long[] micros = new long[reply.path("ackMicros").size()];
      for (int i = 0; i < micros.length; i++) micros[i] = reply.path("ackMicros").get(i).asLong();
      wrote.put(region, new Wrote(at.size(), before, Stats.of(micros)));
    }

    /** {@code nanos} -1: did not converge. */
    void converged(String direction, long nanos) {
      converged.put(direction, nanos < 0 ? -1 : nanos / 1e6);
    }

    void pushedDuringCut() {
      pushedDuringCut++;
    }

    void watched(String view, JsonNode w, long cutAt, long healAt) {
      double lost = -1;
      double back = -1;
      for (JsonNode c : w.path("changes")) {
        long at = c.path("at").asLong();
        if (!c.path("connected").asBoolean() && lost < 0) lost = (at - cutAt) / 1e6;
        if (c.path("connected").asBoolean() && lost >= 0 && back < 0) back = (at - healAt) / 1e6;
      }
      boolean end = true;
      for (JsonNode v : w.path("last")) end &= v.asBoolean();
      long peerLength = -1;
      for (JsonNode v : w.path("remoteLength")) peerLength = v.asLong();
      views.put(view, new View(lost, back, w.path("changes").size(), w.path("polls").asInt(), end, w.path("beeLength").asLong(), peerLength));
    }

    void readLog(String what, String summary) {
      readLogs.put(what, summary);
    }

    void loaded(long onAp, long onUs, long expected) {
      loaded = "ap loads " + onAp + " transactions of us's map, us " + onUs + " of ap's (" + expected + " each expected)";
    }

    void fail(String why) {
      failure = why;
    }

    CutResult build() {
      return new CutResult(cutSeconds, writes, heldSeconds, dropped, wrote, converged, views, pushedDuringCut, readLogs, loaded, failure);
    }
  }
}
