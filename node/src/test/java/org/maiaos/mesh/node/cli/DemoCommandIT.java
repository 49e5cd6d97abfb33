package org.maiaos.mesh.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job. {@code bin/mesh demo} runs the multi-region demo and prints every step
 * in order, with numbers that hold together (eu downloads a few of the blocks of us's bee, in one
 * or two round trips); with {@code --dir} the three node directories are kept, each one {@code mesh
 * node info} reads, and nothing the demo started is left running; {@code --layers} runs every layer
 * as before. Output is checked for its form and its sense, never for how fast a step was.
 */
class DemoCommandIT {
  private static final Path MESH = Path.of(System.getProperty("interop.dir")).getParent().resolve("bin/mesh");
  /** A run takes 5 to 10 s on a busy two-core machine; every wait of the demo is 30 s at most. */
  private static final long LIMIT_S = 180;
  private static final String HEX12 = "[0-9a-f]{12}\u2026";
  private static final String MS = "\\d+ ms";

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  /** {@code bin/mesh args...} as a person runs it, killed (and the test failed) after {@link #LIMIT_S}. */
  private Run binMesh(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(MESH.toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(LIMIT_S, TimeUnit.SECONDS)) {
        throw new AssertionError("bin/mesh " + String.join(" ", args) + " still ran after " + LIMIT_S + " s; stdout:\n"
            + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  /** What the demo's lines say, checked step by step in order. */
  private record Seen(Path where, String usNode, long usLength, long downloaded, long roundTrips) {}

  private static Seen checkEveryStep(String out) {
    Lines l = new Lines(out);
    Path where = Path.of(l.next("mesh demo: three region nodes in one process, on 127\\.0\\.0\\.1, in (.+)").group(1));
    l.next("1\\. a private DHT of 3 nodes \\(bootstrap 127\\.0\\.0\\.1:\\d+\\); 3 region nodes joined on topic " + HEX12 + ":");
    String usNode = l.next("   us  ws://127\\.0\\.0\\.1:\\d+  node (" + HEX12 + ")  bee " + HEX12).group(1);
    l.next("   eu  ws://127\\.0\\.0\\.1:\\d+  node " + HEX12 + "  bee " + HEX12);
    l.next("   ap  ws://127\\.0\\.0\\.1:\\d+  node " + HEX12 + "  bee " + HEX12);
    l.next("   each region sees the other two, " + MS + " after the start");
    l.next("2\\. an account wrote a group \\(readable by everyone\\) and a CoMap of 3 fields through us: acknowledged in " + MS);
    long first = Long.parseLong(l.next("   CoMap co_z[1-9A-HJ-NP-Za-km-z]+; us's bee: length (\\d+)").group(1));
    long length = Long.parseLong(l.next("   300 more CoMaps of the account through us in " + MS + ": us's bee has length (\\d+)").group(1));
    assertTrue(first > 0 && length > first + 300, "us's bee grows with every CoMap: " + first + ", then " + length);
    l.next("3\\. a fresh client loaded the CoMap through eu in " + MS + ": title = Hello from us, color = teal, count = 1");
    Matcher read = l.next("   eu read us's bee sparsely: (\\d+) of its (\\d+) blocks \\((\\d+)%\\) downloaded in (\\d+) round trips,"
        + " each verified against us's signed tree");
    long downloaded = Long.parseLong(read.group(1));
    long trips = Long.parseLong(read.group(4));
    assertEquals(length, Long.parseLong(read.group(2)), "the length eu read is the one us reported");
    assertTrue(downloaded > 0 && downloaded < length / 10, "a sparse read: " + downloaded + " of " + length + " blocks");
    assertEquals(Math.round(100.0 * downloaded / length), Long.parseLong(read.group(3)), "the share printed");
    assertTrue(trips >= 1 && trips <= 2, "one cold read costs one or two round trips, not " + trips);
    l.next("4\\. a client on us subscribes to it; the account, in a second session, sets status = written in ap through ap:"
        + " acknowledged in " + MS);
    l.next("   the client on us got it live -?" + MS + " after ap's acknowledgement \\(the client on eu after -?" + MS + "\\)");
    l.next("5\\. summary: 3 regions; 303 CoValues written in us; eu loaded one with " + downloaded + " of " + length + " blocks in "
        + trips + " round trips;");
    l.next("   a write in ap was live on us -?" + MS + " after its acknowledgement; " + MS + " in all");
    l.next("   closed the clients, the 3 nodes and the DHT in " + MS);
    return new Seen(where, usNode, length, downloaded, trips);
  }

  /** The output's lines, matched one after the other, each in full. */
  private static final class Lines {
    private final String all;
    private final List<String> lines;
    private int at;

    Lines(String out) {
      this.all = out;
      this.lines = out.lines().toList();
    }

    Matcher next(String regex) {
      assertTrue(at < lines.size(), "no line matching '" + regex + "' after line " + at + " of:\n" + all);
      Matcher m = Pattern.compile(regex).matcher(lines.get(at));
      assertTrue(m.matches(), "line " + (at + 1) + " is not '" + regex + "':\n" + lines.get(at) + "\nin:\n" + all);
      at++;
      return m;
    }
  }

  @Test
  void binMeshDemoShowsEveryStepOfTheMultiRegionDemoThenRemovesItsTempDir() throws Exception {
    Run r = binMesh("demo");
    assertEquals(0, r.code(), r.out() + "\nstderr:\n" + r.err());
    Seen seen = checkEveryStep(r.out());
    List<String> lines = r.out().lines().toList();
    assertEquals("removing " + seen.where(), lines.get(lines.size() - 1), r.out());
    assertTrue(!Files.exists(seen.where()), seen.where() + " is left behind");
    assertEquals("", r.err().strip(), "the demo writes nothing on stderr");
  }

  @Test
  void withDirTheNodeDirectoriesAreKeptAndNothingIsLeftRunning() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path dir = tmp.resolve("demo");
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--dir", dir.toString());
    assertEquals(0, r.code(), r.outText() + "\nstderr:\n" + r.err());
    Seen seen = checkEveryStep(r.outText());
    assertEquals(dir, seen.where());
    assertTrue(!r.outText().contains("removing"), r.outText());

    CoreCommandsTest.Result info = CoreCommandsTest.mesh(null, "node", "info", "--dir", dir.resolve("us").toString(), "--json");
    assertEquals(0, info.code(), info.err());
    JsonNode node = new ObjectMapper().readTree(info.outText());
    assertEquals("us", node.path("region").asText());
    assertEquals(seen.usNode(), node.path("publicKey").asText().substring(0, 12) + "\u2026", "the kept directory is us's node");
    for (String region : List.of("eu", "ap")) assertTrue(Files.isDirectory(dir.resolve(region).resolve("store")), region + " is kept");

    // every thread the demo started ends, but the JDK's own, which live until the JVM exits
    // (java.net.http's selector and workers, CompletableFuture's timeout scheduler)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Thread> left;
    while (!(left = startedSince(before)).isEmpty() && System.nanoTime() - deadline < 0) Thread.sleep(50);
    assertTrue(left.isEmpty(), "still running after the demo: " + left.stream().map(Thread::getName).collect(Collectors.toList()));
  }

  private static List<Thread> startedSince(Set<Thread> before) {
    List<Thread> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (before.contains(t) || !t.isAlive() || t.getName().startsWith("HttpClient-") || t.getName().equals("CompletableFutureDelayScheduler")) {
        continue;
      }
      out.add(t);
    }
    return out;
  }

  @Test
  void theLayersDemoRunsEveryStep() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--layers", "--dir", tmp.resolve("demo").toString(), "--blocks", "250");
    assertEquals(0, r.code(), r.err());
    String out = r.outText();
    for (String step : new String[] {"appended 250 blocks", "reopened: length 250", "truncated to 125, fork 1",
        "verified length 125, fetched 'block 0' and 'block 124', downloaded 2 blocks", "bee: region/us = node in us; 3 entries",
        "(3 transactions) as one Hyperbee batch; loaded back 3 transactions", "_session_zDemo1=3}", "(as another region reads it) loads 3 transactions"}) {
      assertTrue(out.contains(step), "missing '" + step + "' in:\n" + out);
    }
    assertTrue(Files.isDirectory(tmp.resolve("demo").resolve("bee")), "--dir is kept");
  }

  @Test
  void withoutDirTheLayersDemoRemovesItsTempDir() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--layers", "--blocks", "20");
    assertEquals(0, r.code(), r.err());
    String out = r.outText();
    String first = out.lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("creating a core in "), out);
    Path where = Path.of(first.substring("creating a core in ".length()));
    assertTrue(out.contains("removing " + where), out);
    assertTrue(!Files.exists(where), where + " is left behind");
  }

  @Test
  void blocksGoesWithLayers() {
    CoreCommandsTest.Result r = CoreCommandsTest.mesh(null, "demo", "--blocks", "20");
    assertEquals(1, r.code(), r.outText());
    assertEquals("mesh: BAD_ARGUMENT: --blocks goes with --layers", r.err().strip());
  }
}
