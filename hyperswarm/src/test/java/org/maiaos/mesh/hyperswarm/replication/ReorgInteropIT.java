package org.maiaos.mesh.hyperswarm.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * Reorgs against real JS hypercore 11.37.1 ({@code interop/core-peer.js}, over TCP): a JS writer
 * truncates and appends again, and Java replicas (full and sparse) follow its new fork; a Java
 * writer does the same, and a JS replica follows it, asking our writer for the fork proof and the
 * hash proofs it needs to find the common ancestor.
 */
class ReorgInteropIT {
  private static final long WAIT_SECONDS = 30;
  @TempDir Path tmp;
  private TcpPeers net;
  private JsCorePeer js;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    net = new TcpPeers();
    js = new JsCorePeer();
  }

  @AfterEach
  void stop() throws Exception {
    js.close();
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    net.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private static byte[] block(String tag, int i) {
    return (tag + " block " + i + " " + "z".repeat(i * 7 % 300)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> blocks(String tag, int from, int to) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < to; i++) out.add(block(tag, i));
    return out;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void javaReplicasFullAndSparseFollowAJsWritersNewFork() throws Exception {
    String key = js.create("w", new byte[32], blocks("old", 0, 60)).get("key").asText();
    int port = js.listen(false);
    Hypercore full = track(Hypercore.createReplica(tmp.resolve("full"), Key32.fromHex(key)));
    Hypercore sparse = track(Hypercore.createReplica(tmp.resolve("sparse"), Key32.fromHex(key)));
    Replicator rf = track(new Replicator(full));
    Replicator rs = track(new Replicator(sparse));
    net.connect(port, true, List.of(rf));
    net.connect(port, true, List.of(rs)); // a second connection to the JS responder
    await(rf.download(0, 60));
    assertArrayEquals(block("old", 5), await(rs.get(5)));
    assertArrayEquals(block("old", 50), await(rs.get(50)));
    long fullDownloads = rf.stats().downloadedBlocks();

    JsonNode cut = js.call(JsCorePeer.cmd("truncate").put("name", "w").put("length", 40));
    assertEquals(1, cut.get("fork").asLong());
    assertEquals(55, js.append("w", blocks("new", 40, 55)));

    waitFor(() -> full.fork() == 1 && full.length() == 55, "the full replica follows fork 1 to length 55");
    waitFor(() -> sparse.fork() == 1 && sparse.length() == 55, "the sparse replica follows fork 1 to length 55");
    for (Hypercore r : List.of(full, sparse)) {
      for (int i = 40; i < 60; i++) assertFalse(r.has(i), "block " + i + " of the old fork is dropped");
    }
    for (int i = 0; i < 40; i++) assertTrue(full.has(i), "shared block " + i + " is kept");
    assertTrue(sparse.has(5), "the sparse replica keeps its shared block");
    assertEquals(fullDownloads, rf.stats().downloadedBlocks(), "finding the ancestor fetched no block");

    await(rf.download(0, 55));
    for (int i = 0; i < 55; i++) assertArrayEquals(block(i < 40 ? "old" : "new", i), full.get(i), "full, block " + i);
    assertEquals(fullDownloads + 15, rf.stats().downloadedBlocks(), "only the new fork's blocks were fetched");
    assertArrayEquals(block("new", 50), await(rs.get(50)), "the sparse replica refetches on the new fork");
    assertArrayEquals(block("new", 54), await(rs.get(54)));
    assertArrayEquals(block("old", 5), await(rs.get(5)));
    assertEquals(55L, await(rf.update()));

    // and once more: the replicas follow fork 2 as well
    js.call(JsCorePeer.cmd("truncate").put("name", "w").put("length", 20));
    js.append("w", blocks("third", 20, 23));
    waitFor(() -> full.fork() == 2 && full.length() == 23, "fork 2");
    assertArrayEquals(block("third", 22), await(rf.get(22)));
    assertArrayEquals(block("old", 19), full.get(19));
  }

  @Test
  void aJsReplicaFollowsAJavaWritersNewFork() throws Exception {
    Hypercore w = track(Hypercore.create(tmp.resolve("w"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build()));
    w.append(blocks("old", 0, 60));
    Replicator rw = track(new Replicator(w));
    js.replica("r", w.key().hex());
    js.connect(TcpPeers.port(net.listen(false, List.of(rw))), true);
    assertEquals(60, js.update("r"));
    for (int i = 0; i < 60; i++) assertArrayEquals(block("old", i), js.get("r", i), "JS got block " + i);

    w.truncate(40);
    w.append(blocks("new", 40, 55));
    JsonNode[] info = new JsonNode[1];
    waitFor(() -> {
      info[0] = js.info("r");
      return info[0].get("fork").asLong() == 1 && info[0].get("length").asLong() == 55;
    }, "the JS replica follows fork 1 to length 55: " + info[0]);
    Set<Integer> has = new HashSet<>();
    info[0].get("has").forEach(n -> has.add(n.asInt()));
    for (int i = 0; i < 40; i++) assertTrue(has.contains(i), "JS kept shared block " + i);
    for (int i = 40; i < 55; i++) assertFalse(has.contains(i), "JS dropped block " + i);
    long downloaded = info[0].get("downloaded").asLong();
    assertArrayEquals(block("new", 47), js.get("r", 47), "JS refetches on the new fork");
    assertArrayEquals(block("old", 12), js.get("r", 12));
    assertEquals(downloaded + 1, js.info("r").get("downloaded").asLong(), "only the new block was downloaded");
  }
}
