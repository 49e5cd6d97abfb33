package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.JsCorePeer;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * A sparse Java Hyperbee reader (over replication) whose writer removed its last batch with a
 * truncation and put other keys: the reader follows the new fork and answers from the new tree.
 * The writer is JS hyperbee 2.27.3 on hypercore 11.37.1 ({@code interop/core-peer.js}), or Java.
 */
class SparseHyperbeeReorgInteropIT {
  private static final int KEYS = 300;
  private static final int BATCH = 25;
  @TempDir Path tmp;
  private EventLoopGroup group;

  @BeforeEach
  void start() {
    group = new NioEventLoopGroup(1);
  }

  @AfterEach
  void stop() throws InterruptedException {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String key(int i) {
    return String.format("key-%05d", i * 7919 % 100_000);
  }

  private static Optional<String> get(Hyperbee<byte[], byte[]> bee, String key) {
    return bee.get(utf8(key)).map(e -> new String(e.value(), StandardCharsets.UTF_8));
  }

  private static void waitFor(BooleanSupplier ok, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within 30 s: " + what);
      Thread.sleep(20);
    }
  }

  /** Reads before and after the writer's reorg; the reader's bee is the same object throughout. */
  private void readAcrossTheReorg(Hypercore replica, Replicator rep, Runnable reorg, long newLength) throws Exception {
    rep.update().get(30, TimeUnit.SECONDS);
    Hyperbee<byte[], byte[]> bee = Hyperbee.open(replica);
    assertEquals(Optional.of("v1 7"), get(bee, key(7)));
    assertEquals(Optional.of("last " + (KEYS - 1)), get(bee, key(KEYS - 1)), "a key of the last batch");
    assertEquals(Optional.of("last 3"), get(bee, key(3)), "overwritten by the last batch");
    long before = rep.stats().downloadedBlocks();
    assertTrue(before < replica.length() / 2, "sparse: " + before + " of " + replica.length() + " blocks");

    reorg.run();
    waitFor(() -> replica.fork() == 1 && replica.length() == newLength, "the reader follows fork 1 to length " + newLength);

    assertEquals(Optional.empty(), get(bee, key(KEYS - 1)), "the removed batch's key is gone");
    assertEquals(Optional.of("v1 3"), get(bee, key(3)), "the overwrite was removed with it");
    assertEquals(Optional.of("v1 7"), get(bee, key(7)));
    assertEquals(Optional.of("fork 1"), get(bee, "after-the-fork"));
    assertEquals(Optional.of("again 8"), get(bee, key(8)));
    Hyperbee<byte[], byte[]> fresh = Hyperbee.open(replica);
    assertEquals(Optional.of("fork 1"), get(fresh, "after-the-fork"));
    assertEquals(Optional.empty(), get(fresh, key(KEYS - 2)));
    assertTrue(replica.fork() == 1 && replica.length() == newLength);
  }

  @Test
  void aSparseReaderOfAJsBeeWhoseLastBatchWasTruncated() throws Exception {
    try (JsCorePeer js = new JsCorePeer()) {
      ObjectNode ops = JsCorePeer.cmd("bee-ops").put("name", "bee").put("seed", "11".repeat(32));
      ArrayNode list = ops.putArray("ops");
      for (int i = 0; i < KEYS - BATCH; i += BATCH) {
        ArrayNode batch = list.addObject().putArray("batch");
        for (int j = i; j < i + BATCH; j++) batch.addObject().putArray("put").add(key(j)).add("v1 " + j);
      }
      long kept = js.call(ops).get("length").asLong();
      ObjectNode last = JsCorePeer.cmd("bee-ops").put("name", "bee");
      ArrayNode batch = last.putArray("ops").addObject().putArray("batch");
      for (int j = KEYS - BATCH; j < KEYS; j++) batch.addObject().putArray("put").add(key(j)).add("last " + j);
      batch.addObject().putArray("put").add(key(3)).add("last 3");
      JsonNode written = js.call(last);
      String coreKey = written.get("key").asText();
      int port = js.listen(false);

      try (Hypercore replica = Hypercore.createReplica(tmp.resolve("reader"), Key32.fromHex(coreKey)); Replicator rep = new Replicator(replica)) {
        connect(port, rep);
        long[] newLength = {0};
        readAcrossTheReorg(replica, rep, () -> {
          JsonNode cut = js.call(JsCorePeer.cmd("truncate").put("name", "bee").put("length", kept));
          assertEquals(1, cut.get("fork").asLong());
          ObjectNode more = JsCorePeer.cmd("bee-ops").put("name", "bee");
          ArrayNode b = more.putArray("ops").addObject().putArray("batch");
          b.addObject().putArray("put").add("after-the-fork").add("fork 1");
          b.addObject().putArray("put").add(key(8)).add("again 8");
          newLength[0] = js.call(more).get("length").asLong();
        }, kept + 2);
        assertEquals(kept + 2, newLength[0]);
      }
    }
  }

  @Test
  void aSparseReaderOfAJavaBeeWhoseLastBatchWasTruncated() throws Exception {
    try (Hypercore w = Hypercore.create(tmp.resolve("w"), HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
        Replicator rw = new Replicator(w)) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(w);
      for (int i = 0; i < KEYS - BATCH; i += BATCH) {
        try (Batch<byte[], byte[]> b = bee.batch()) {
          for (int j = i; j < i + BATCH; j++) b.put(utf8(key(j)), utf8("v1 " + j));
          b.flush();
        }
      }
      long kept = w.length();
      try (Batch<byte[], byte[]> b = bee.batch()) {
        for (int j = KEYS - BATCH; j < KEYS; j++) b.put(utf8(key(j)), utf8("last " + j));
        b.put(utf8(key(3)), utf8("last 3"));
        b.flush();
      }
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream.install(ch, false, Ed25519.keyPair(), ProtocolStream.of(List.of(rw)));
            }
          }).bind("127.0.0.1", 0).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      try (Hypercore replica = Hypercore.createReplica(tmp.resolve("reader"), w.key()); Replicator rep = new Replicator(replica)) {
        connect(port, rep);
        readAcrossTheReorg(replica, rep, () -> {
          w.truncate(kept);
          Hyperbee<byte[], byte[]> again = Hyperbee.open(w);
          try (Batch<byte[], byte[]> b = again.batch()) {
            b.put(utf8("after-the-fork"), utf8("fork 1"));
            b.put(utf8(key(8)), utf8("again 8"));
            b.flush();
          }
          assertFalse(w.length() == kept);
        }, kept + 2);
      }
      server.close().sync();
    }
  }

  private void connect(int port, Replicator rep) throws InterruptedException {
    new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ProtocolStream.install(ch, true, Ed25519.keyPair(), ProtocolStream.of(List.of(rep)));
          }
        })
        .connect("127.0.0.1", port).sync();
  }
}
