package org.maiaos.mesh.bench.mesh;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What one setup of the mesh benchmark measured, and the work it did (compared across setups). */
final class SetupResult {
  final String key;
  String describe;
  String links = "";
  String load = "";
  /** (1) write acks, per region and all together. */
  final Map<String, Stats> writeByRegion = new LinkedHashMap<>();
  Stats writes;
  int acks;
  /** (2, 3) cold and warm loads in eu of values written in us, with the eu node's read counters per load. */
  Stats cold;
  Stats warm;
  long[] coldRoundTrips = new long[0];
  long[] coldRegionReads = new long[0];
  long[] warmRoundTrips = new long[0];
  long[] warmRegionReads = new long[0];
  int loads;
  int loadsWithTheWrite;
  String coldReadLog = "";
  /** M: the most round trips one region read of a cold load waited for, per peer region (eu's node log). */
  final Map<String, Integer> coldMaxTrips = new LinkedHashMap<>();
  /** (4) us -> ap propagation: from the writer's ack, and from its send. */
  Stats lagFromAck;
  Stats lagFromSend;
  int pushes;
  String propagationReadLog = "";
  /** M: the most round trips one region read of the propagated map waited for, per peer region (ap's node log). */
  final Map<String, Integer> propagationMaxTrips = new LinkedHashMap<>();
  /** (5) M only: one per cut of ap; not part of {@link #work} (C has no regions to cut). */
  final java.util.List<CutResult> cuts = new java.util.ArrayList<>();

  SetupResult(String key) {
    this.key = key;
  }

  /** The work the setup did, which must be the same in every setup. */
  String work() {
    return "acks " + acks + ", loads " + loads + " (with the written transaction: " + loadsWithTheWrite + "), pushes seen " + pushes;
  }

  static String sumsPerLoad(long[] v) {
    if (v.length == 0) return "n/a";
    long[] s = v.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "median %d, max %d, total %d", s[(s.length - 1) / 2], s[s.length - 1], Arrays.stream(s).sum());
  }

  static long total(long[] v) {
    return Arrays.stream(v).sum();
  }

  /** The round-trip column of the summary table for one metric. */
  String trips(int metric) {
    if (!key.equals("M")) return metric == 4 ? "0 after the ack (1 from the send)" : "1";
    return switch (metric) {
      case 1 -> "0 across regions";
      case 2 -> "at most " + coldMaxTrips + " per region read; " + sumsPerLoad(coldRoundTrips) + " per load over " + total(coldRegionReads)
          / Math.max(1, coldRegionReads.length) + " region reads";
      case 3 -> total(warmRoundTrips) + " (" + total(warmRegionReads) + " region reads in " + warmRegionReads.length + " loads)";
      default -> "1/2 (the change hint) + at most " + propagationMaxTrips + " counted per region read";
    };
  }

  void print() {
    System.out.println("== " + key + " results: " + describe);
    System.out.println("   links: " + links);
    System.out.println("   (1) write ack, all regions: " + writes + "; acks " + acks);
    writeByRegion.forEach((r, s) -> System.out.println("       " + r + ": " + s));
    System.out.println("   (2) cold load in eu: " + cold);
    System.out.println("       eu node, per load: region round trips " + sumsPerLoad(coldRoundTrips) + "; region reads " + sumsPerLoad(coldRegionReads));
    if (!coldReadLog.isEmpty()) System.out.println("       eu node log: " + coldReadLog);
    System.out.println("   (3) warm load in eu: " + warm);
    System.out.println("       eu node, per load: region round trips " + sumsPerLoad(warmRoundTrips) + "; region reads " + sumsPerLoad(warmRegionReads));
    System.out.println("   (4) propagation us -> ap, from the writer's ack: " + lagFromAck);
    System.out.println("       from the writer's send: " + lagFromSend);
    if (!propagationReadLog.isEmpty()) System.out.println("       ap node log: " + propagationReadLog);
    if (cuts.isEmpty()) System.out.println("   (5) partition: n/a (no regions)");
    cuts.forEach(CutResult::print);
    System.out.println("   work: " + work());
    System.out.println("   load average: " + load);
  }
}
