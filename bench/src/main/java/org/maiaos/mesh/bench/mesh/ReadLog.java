package org.maiaos.mesh.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The region reads a node logged ({@code RegionRead} at DEBUG: "read ID in region R: M messages,
 * A attempts, T round trips, B blocks fetched"; at INFO "read of ID in region R ended without an
 * answer"), per region: the per-read view that {@code GET /metrics}' sums cannot give.
 */
final class ReadLog {
  private static final Pattern READ = Pattern.compile("read (\\S+) in region (\\S+): (\\d+) messages, (\\d+) attempts, (\\d+) round trips, (\\d+) blocks fetched");
  private static final Pattern GAVE_UP = Pattern.compile("read of (\\S+) in region (\\S+) ended without an answer");

  record Read(String id, String region, int messages, int attempts, int roundTrips, int blocks) {}

  final List<Read> reads = new ArrayList<>();
  final List<String> gaveUp = new ArrayList<>();

  static ReadLog parse(Path log) throws IOException {
    return parse(log, 0, Integer.MAX_VALUE);
  }

  /** The reads logged on lines [{@code from}, {@code to}) only (a step's own, where later steps read the same values). */
  static ReadLog parse(Path log, int from, int to) throws IOException {
    ReadLog r = new ReadLog();
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (String l : all.subList(Math.min(from, all.size()), Math.min(to, all.size()))) {
      Matcher m = READ.matcher(l);
      if (m.find()) {
        r.reads.add(new Read(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
            Integer.parseInt(m.group(6))));
        continue;
      }
      Matcher g = GAVE_UP.matcher(l);
      if (g.find()) r.gaveUp.add(g.group(1) + "@" + g.group(2));
    }
    return r;
  }

  /** Lines in {@code log} so far: a mark for {@link #parse(Path, int, int)}. */
  static int lines(Path log) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).size();
  }

  /** This log without the first read of {@code id} in each region (for (4): the subscription's own load). */
  ReadLog withoutFirst(String id) {
    ReadLog r = new ReadLog();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Read x : reads) {
      if (x.id.equals(id) && seen.add(x.region)) continue;
      r.reads.add(x);
    }
    r.gaveUp.addAll(gaveUp);
    return r;
  }

  /**
   * Per region, over the reads of {@code ids}: how many reads took how many round trips, the most
   * blocks one read fetched; e.g. {@code us: 200 reads, round trips {2=198, 3=2}, max 14 blocks}.
   */
  String summary(Collection<String> ids) {
    Map<String, Map<Integer, Integer>> trips = new TreeMap<>();
    Map<String, Integer> count = new TreeMap<>();
    Map<String, Integer> maxBlocks = new TreeMap<>();
    Map<String, Integer> found = new TreeMap<>();
    java.util.Set<String> wanted = new java.util.HashSet<>(ids);
    for (Read r : reads) {
      if (!wanted.contains(r.id)) continue;
      trips.computeIfAbsent(r.region, k -> new TreeMap<>()).merge(r.roundTrips, 1, Integer::sum);
      count.merge(r.region, 1, Integer::sum);
      maxBlocks.merge(r.region, r.blocks, Math::max);
      if (r.messages > 0) found.merge(r.region, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    for (String region : trips.keySet()) {
      if (sb.length() > 0) sb.append("; ");
      sb.append(region).append(": ").append(count.get(region)).append(" reads (").append(found.getOrDefault(region, 0))
          .append(" found content), round trips per read ").append(trips.get(region)).append(", max ").append(maxBlocks.get(region))
          .append(" blocks per read");
    }
    long failed = gaveUp.stream().filter(g -> wanted.contains(g.substring(0, g.indexOf('@')))).count();
    if (failed > 0) sb.append("; ").append(failed).append(" reads ended without an answer");
    return sb.length() == 0 ? "no region reads logged" : sb.toString();
  }

  /** The most round trips one read of {@code ids} in {@code region} waited for (-1: none logged). */
  int maxRoundTrips(Collection<String> ids, String region) {
    java.util.Set<String> wanted = new java.util.HashSet<>(ids);
    return reads.stream().filter(r -> wanted.contains(r.id) && r.region.equals(region)).mapToInt(Read::roundTrips).max().orElse(-1);
  }
}
