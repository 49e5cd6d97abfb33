package org.maiaos.mesh.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.interop.NodeScript;
import org.maiaos.mesh.node.cli.MeshCommand;

/**
 * The mesh end to end, with the real clients: three region nodes ({@code us}, {@code eu},
 * {@code ap}) as {@code mesh node run} child processes on one topic of a private DHT (one {@code
 * mesh dht bootstrap} node on 127.0.0.1), and unmodified cojson 0.20.19 clients and a jazz-tools
 * 0.20.19 worker ({@code interop/mesh-client.js}, {@code interop/sync-client.js}) as Node child
 * processes, each talking to one region only:
 *
 * <ol>
 *   <li>an account creates a group everyone may read and a CoMap in it through us, acknowledged;
 *       then {@value #FILLERS} more CoMaps through us, so that us's bee has some size;
 *   <li>a new session of that account (its secret from step 1) loads the group and the CoMap
 *       through eu: same values, and it is the group's admin;
 *   <li>a brand-new guest account loads them through ap: same values, role reader (everyone);
 *   <li>a client subscribed to the CoMap through eu sees a write made through us, live;
 *   <li>a client subscribed through us sees a write a jazz-tools worker of the account makes
 *       through ap (the worker's load through ap already shows step 4's write);
 *   <li>eu read us's bee sparsely: the blocks it downloaded of it (eu's {@code GET /status}) are
 *       more than none and under {@value #MAX_FRACTION_PERCENT}% of us's bee length;
 *   <li>us is killed with SIGKILL: a guest still reads the map through eu, and the account writes
 *       through eu; us restarts on its directory (its bee no shorter than before) and a client of
 *       the restarted us reads the map with the write eu took while us was down.
 * </ol>
 *
 * Every child has a deadline and is killed in a finally; every wait is bounded.
 */
class MultiRegionIT {
  private static final String TOPIC = "6d".repeat(32);
  private static final List<String> REGIONS = List.of("us", "eu", "ap");
  /** Extra CoMaps written through us before anything is read elsewhere: ~5 bee blocks each. */
  private static final int FILLERS = 300;
  /**
   * A sparse read of three CoValues (account, group, map) walks the B-tree paths to their keys and
   * their ranges: a few dozen blocks of us's ~1,500. A whole copy would be 100%; a quarter leaves
   * room for any B-tree shape the random ids give while still failing on anything like a download
   * of the bee.
   */
  private static final int MAX_FRACTION_PERCENT = 25;
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration MESH = Duration.ofSeconds(60);
  /** A Node client child's deadline; its own waits are bounded by {@link #JS_WAIT_MS} each. */
  private static final Duration CLIENT = Duration.ofSeconds(75);
  private static final int JS_WAIT_MS = 30_000;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ChildProcess> children = new ArrayList<>();
  private final Map<String, Long> millis = new LinkedHashMap<>();
  @TempDir Path tmp;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void threeRegionsServeOneAccountsValuesToRealClientsEverywhere() throws Exception {
    long t0 = System.nanoTime();
    try {
      run(t0);
    } catch (Throwable e) {
      for (String r : REGIONS) System.err.println("--- " + r + " node log (tail):\n" + tail(log(r), 8000));
      throw e;
    } finally {
      for (int i = children.size() - 1; i >= 0; i--) children.get(i).close();
    }
  }

  private void run(long t0) throws Exception {
    // the mesh: a private DHT of one bootstrap node, three region nodes on one topic
    ChildProcess boot = mesh("dht bootstrap", log("boot"), "dht", "bootstrap", "--listen", "127.0.0.1:0");
    String bootstrap = expect(boot, "listening ", START);
    Map<String, ChildProcess> nodes = new LinkedHashMap<>();
    for (String r : REGIONS) {
      nodes.put(r, mesh("node " + r, log(r), "node", "run", "--dir", tmp.resolve(r).toString(), "--region", r,
          "--listen", "127.0.0.1:0", "--topic", TOPIC, "--bootstrap", bootstrap));
    }
    Map<String, String> ws = new LinkedHashMap<>();
    for (String r : REGIONS) ws.put(r, expect(nodes.get(r), "listening ", START));
    for (String r : REGIONS) assertEquals(TOPIC, expect(nodes.get(r), "joined ", START), r);
    for (String r : REGIONS) {
      List<String> others = new ArrayList<>(REGIONS);
      others.remove(r);
      waitForConnected(ws.get(r), r, others);
    }
    lap("mesh", t0);

    // 1. through us: account, group (everyone reads), CoMap; then the fillers
    long t = System.nanoTime();
    ObjectNode in = input(ws.get("us"));
    in.put("fillers", FILLERS);
    JsonNode created = js("mesh-client.js", "create", in, "create");
    lap("create+fillers", t);
    millis.put("of which fillers", created.path("ms").path("fillers").asLong());
    String mapId = created.get("mapId").asText();
    for (String f : new String[] {"accountID", "groupId", "mapId"}) assertTrue(created.get(f).asText().startsWith("co_z"), f + ": " + created);
    assertEquals(FILLERS, created.get("fillers").asInt());
    JsonNode usBefore = status(ws.get("us"));
    long usLength = usBefore.get("beeLength").asLong();
    assertTrue(usLength >= 3L * FILLERS, "us's bee holds the fillers: length " + usLength);
    JsonNode euBefore = status(ws.get("eu"));
    assertEquals(0, euBefore.get("beeLength").asLong(), "nothing written through eu yet: " + euBefore);
    assertEquals(0, peer(euBefore, "us").get("downloadedBlocks").asLong(), "eu has read nothing of us yet: " + euBefore);

    // 2. through eu: the same account, a new session, reads the group and the CoMap
    t = System.nanoTime();
    ObjectNode same = readInput(created, ws.get("eu"));
    same.put("accountID", created.get("accountID").asText());
    same.put("accountSecret", created.get("accountSecret").asText());
    same.put("expectRole", "admin");
    JsonNode read = js("mesh-client.js", "read", same, "read-eu");
    lap("read@eu", t);
    assertEquals(created.get("expected"), read.get("map"), read.toString());
    assertEquals(created.get("accountID"), read.get("accountID"));
    assertFalse(read.get("guest").asBoolean());
    assertEquals("admin", read.get("role").asText());
    JsonNode euAfterRead = status(ws.get("eu"));
    long usLengthThen = status(ws.get("us")).get("beeLength").asLong();
    long downloadedAfterRead = peer(euAfterRead, "us").get("downloadedBlocks").asLong();
    assertTrue(euAfterRead.get("beeLength").asLong() > 0, "eu stored what it imported: " + euAfterRead);

    // 3. through ap: a brand-new guest account reads them
    t = System.nanoTime();
    ObjectNode guestIn = readInput(created, ws.get("ap"));
    guestIn.put("expectRole", "reader");
    JsonNode guest = js("mesh-client.js", "read", guestIn, "guest-ap");
    lap("guest@ap", t);
    assertTrue(guest.get("guest").asBoolean());
    assertTrue(guest.get("accountID").asText().startsWith("co_z") && !guest.get("accountID").equals(created.get("accountID")), guest.toString());
    assertEquals(created.get("expected"), guest.get("map"), guest.toString());
    assertEquals("reader", guest.get("role").asText(), "a guest reads through everyone: " + guest);
    assertTrue(peer(status(ws.get("ap")), "us").get("downloadedBlocks").asLong() > 0, "ap read us's bee");

    // 4. subscribed through eu, written through us (cojson)
    ObjectNode expected = ((ObjectNode) created.get("expected")).deepCopy();
    t = System.nanoTime();
    JsonNode seen = liveWrite(ws.get("eu"), mapId, "fromUs", "live through us", "subscribe-eu", "seen@eu after the ack", () -> {
      ObjectNode w = input(ws.get("us"));
      w.put("accountID", created.get("accountID").asText());
      w.put("accountSecret", created.get("accountSecret").asText());
      w.put("mapId", mapId);
      w.put("key", "fromUs");
      w.put("value", "live through us");
      JsonNode wrote = js("sync-client.js", "write", w, "write-us");
      assertEquals("live through us", wrote.path("wrote").path("value").asText(), wrote.toString());
    });
    lap("live us->eu", t);
    expected.put("fromUs", "live through us");
    assertEquals(expected, seen.get("map"), "the subscriber's whole map: " + seen);

    // 5. subscribed through us, written through ap (jazz-tools worker of the account)
    t = System.nanoTime();
    JsonNode[] worker = new JsonNode[1];
    JsonNode seen2 = liveWrite(ws.get("us"), mapId, "fromAp", "live through ap", "subscribe-us", "seen@us after the ack", () -> {
      ObjectNode w = input(ws.get("ap"));
      w.put("accountID", created.get("accountID").asText());
      w.put("accountSecret", created.get("accountSecret").asText());
      w.put("mapId", mapId);
      w.put("key", "fromAp");
      w.put("value", "live through ap");
      worker[0] = js("mesh-client.js", "worker-write", w, "worker-ap");
    });
    lap("live ap->us", t);
    assertEquals(expected, worker[0].get("read"), "the worker's load through ap has step 4's write: " + worker[0]);
    expected.put("fromAp", "live through ap");
    assertEquals(expected, seen2.get("map"), "the subscriber's whole map: " + seen2);

    // 6. eu read us's bee sparsely
    JsonNode euEnd = status(ws.get("eu"));
    JsonNode usEnd = status(ws.get("us"));
    long downloadedEnd = peer(euEnd, "us").get("downloadedBlocks").asLong();
    long usLengthEnd = usEnd.get("beeLength").asLong();
    assertTrue(downloadedAfterRead > 0, "eu downloaded blocks of us's bee for step 2: " + euAfterRead);
    assertTrue(downloadedAfterRead * 100 < MAX_FRACTION_PERCENT * usLengthThen,
        "after step 2 eu downloaded " + downloadedAfterRead + " of us's " + usLengthThen + " blocks, not under " + MAX_FRACTION_PERCENT + "%");
    assertTrue(downloadedEnd >= downloadedAfterRead && downloadedEnd * 100 < MAX_FRACTION_PERCENT * usLengthEnd,
        "at the end eu downloaded " + downloadedEnd + " of us's " + usLengthEnd + " blocks, not under " + MAX_FRACTION_PERCENT + "%");
    assertTrue(peer(euEnd, "us").get("connected").asBoolean() && peer(euEnd, "ap").get("connected").asBoolean(), euEnd.toString());

    // 7. us is killed (SIGKILL); eu keeps serving what it took in, takes a write; us restarts and catches up
    t = System.nanoTime();
    nodes.get("us").close();
    ObjectNode whileDown = readInput(created, ws.get("eu"));
    whileDown.put("expectRole", "reader");
    whileDown.set("expected", expected);
    JsonNode downRead = js("mesh-client.js", "read", whileDown, "read-eu-us-down");
    assertEquals(expected, downRead.get("map"), "eu serves the map while us is down: " + downRead);
    ObjectNode w = input(ws.get("eu"));
    w.put("accountID", created.get("accountID").asText());
    w.put("accountSecret", created.get("accountSecret").asText());
    w.put("mapId", mapId);
    w.put("key", "whileUsWasDown");
    w.put("value", "written through eu");
    JsonNode wrote = js("sync-client.js", "write", w, "write-eu-us-down");
    assertEquals("written through eu", wrote.path("wrote").path("value").asText(), wrote.toString());
    expected.put("whileUsWasDown", "written through eu");
    ChildProcess usAgain = mesh("node us again", log("us-again"), "node", "run", "--dir", tmp.resolve("us").toString(), "--region", "us",
        "--listen", "127.0.0.1:0", "--topic", TOPIC, "--bootstrap", bootstrap);
    String usUrl = expect(usAgain, "listening ", START);
    assertEquals(TOPIC, expect(usAgain, "joined ", START));
    assertTrue(status(usUrl).get("beeLength").asLong() >= usLengthEnd, "us kept every acknowledged write across SIGKILL");
    waitForConnected(usUrl, "us", List.of("eu", "ap"));
    JsonNode caughtUp = js("mesh-client.js", "read", readInputWith(created, usUrl, expected), "read-us-restarted");
    assertEquals(expected, caughtUp.get("map"), "us, restarted, serves the write eu took while it was down: " + caughtUp);
    lap("kill -9 us, restart, catch up", t);
    lap("total", t0);

    StringBuilder times = new StringBuilder();
    millis.forEach((k, v) -> times.append(times.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.1f s", v / 1000.0)));
    System.out.printf(Locale.ROOT, "MultiRegionIT: eu downloaded %d of us's %d bee blocks (%.1f%%) for step 2, %d of %d (%.1f%%) at the end;"
        + " %d fillers; %s%n", downloadedAfterRead, usLengthThen, 100.0 * downloadedAfterRead / usLengthThen, downloadedEnd, usLengthEnd,
        100.0 * downloadedEnd / usLengthEnd, FILLERS, times);
  }

  // ---- steps ----

  private interface Step {
    void run() throws Exception;
  }

  /**
   * A cojson client subscribed to {@code mapId} through {@code subscribeUrl} says it is subscribed;
   * then {@code write} runs; the subscriber must then see {@code key = value} without loading
   * again. Returns the subscriber's result ({@code key, value, map}); {@code pushLabel} times the
   * wait from the writer's end (its write acknowledged) to the subscriber's report.
   */
  private JsonNode liveWrite(String subscribeUrl, String mapId, String key, String value, String name, String pushLabel, Step write)
      throws Exception {
    ObjectNode sub = input(subscribeUrl);
    sub.put("mapId", mapId);
    sub.put("key", key);
    sub.put("expectValue", value);
    try (ChildProcess subscriber = start("sync-client.js", "subscribe", sub, name)) {
      assertEquals("{\"subscribed\":true}", line(subscriber, name));
      write.run();
      long acked = System.nanoTime();
      JsonNode seen = NodeScript.JSON.readTree(line(subscriber, name));
      lap(pushLabel, acked);
      assertEquals(value, seen.path("value").asText(), seen.toString());
      int code = subscriber.waitFor(Duration.ofSeconds(30));
      assertEquals(0, code, name + " exit; stderr: " + JsSyncClient.tail(log(name)));
      return seen;
    }
  }

  // ---- child processes ----

  private Path log(String name) {
    return tmp.resolve(name + ".log");
  }

  private static String tail(Path log, int chars) {
    try {
      String s = java.nio.file.Files.readString(log);
      return s.length() <= chars ? s : s.substring(s.length() - chars);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void lap(String what, long since) {
    millis.put(what, (System.nanoTime() - since) / 1_000_000);
  }

  /**
   * {@code mesh args...} in a child JVM, killed at the end of the test. Its log (printed when the
   * test fails) has each region read's outcome: messages found, attempts, blocks fetched.
   */
  private ChildProcess mesh(String name, Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.org.maiaos.mesh.node.mesh.RegionRead=debug",
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", System.getProperty("java.class.path"), MeshCommand.class.getName()));
    cmd.addAll(List.of(args));
    ChildProcess c = new ChildProcess(name, new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    children.add(c);
    return c;
  }

  private static String expect(ChildProcess c, String prefix, Duration limit) throws InterruptedException {
    String l = c.nextLine(limit);
    if (!l.startsWith(prefix)) throw new AssertionError("expected '" + prefix + "...', got '" + l + "'");
    return l.substring(prefix.length());
  }

  private static ObjectNode input(String url) {
    ObjectNode in = NodeScript.JSON.createObjectNode();
    in.put("url", url);
    in.put("timeoutMs", JS_WAIT_MS);
    return in;
  }

  private static ObjectNode readInputWith(JsonNode created, String url, JsonNode expected) {
    ObjectNode in = readInput(created, url);
    in.put("expectRole", "reader");
    in.set("expected", expected);
    return in;
  }

  private static ObjectNode readInput(JsonNode created, String url) {
    ObjectNode in = input(url);
    in.put("groupId", created.get("groupId").asText());
    in.put("mapId", created.get("mapId").asText());
    in.set("expected", created.get("expected"));
    return in;
  }

  /** {@code node interop/<script> <scenario>} with {@code input} on stdin; killed at the end of the test at the latest. */
  private ChildProcess start(String script, String scenario, ObjectNode input, String name) throws IOException {
    NodeScript.ensureInstalled();
    Path dir = NodeScript.interopDir();
    Process p = new ProcessBuilder(List.of("node", dir.resolve(script).toString(), scenario)).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
    ChildProcess c = new ChildProcess(script + " " + scenario, p);
    children.add(c);
    try (OutputStream os = p.getOutputStream()) {
      os.write(NodeScript.JSON.writeValueAsBytes(input));
    }
    return c;
  }

  /** The next line of a client, within its deadline; fails with its stderr. */
  private String line(ChildProcess c, String name) throws InterruptedException {
    try {
      return c.nextLine(CLIENT);
    } catch (AssertionError e) {
      c.close();
      throw new AssertionError(e.getMessage() + "; stderr: " + JsSyncClient.tail(log(name)), e);
    }
  }

  /** Runs a scenario to its end within {@link #CLIENT}; returns its result. */
  private JsonNode js(String script, String scenario, ObjectNode input, String name) throws Exception {
    try (ChildProcess c = start(script, scenario, input, name)) {
      String result = line(c, name);
      int code = c.waitFor(Duration.ofSeconds(30));
      assertEquals(0, code, script + " " + scenario + " exit; stderr: " + JsSyncClient.tail(log(name)));
      return NodeScript.JSON.readTree(result);
    }
  }

  // ---- GET /status ----

  private JsonNode status(String wsUrl) throws Exception {
    String url = "http://" + wsUrl.substring("ws://".length()) + "/status";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url);
    return NodeScript.JSON.readTree(r.body());
  }

  private static JsonNode peer(JsonNode status, String region) {
    for (JsonNode p : status.get("peers")) if (p.get("region").asText().equals(region)) return p;
    throw new AssertionError("no peer region " + region + " in " + status);
  }

  private static boolean connected(JsonNode status, String region) {
    for (JsonNode p : status.get("peers")) {
      if (p.get("region").asText().equals(region) && p.get("connected").asBoolean()) return true;
    }
    return false;
  }

  /** Polls {@code GET /status} of {@code region} until every one of {@code others} is listed as connected. */
  private void waitForConnected(String wsUrl, String region, List<String> others) throws Exception {
    long deadline = System.nanoTime() + MESH.toNanos();
    while (true) {
      JsonNode s = status(wsUrl);
      assertEquals(region, s.get("region").asText());
      if (others.stream().allMatch(o -> connected(s, o))) return;
      if (System.nanoTime() - deadline > 0) throw new AssertionError(region + ": not connected to all of " + others + " within " + MESH + ": " + s);
      Thread.sleep(100);
    }
  }
}
