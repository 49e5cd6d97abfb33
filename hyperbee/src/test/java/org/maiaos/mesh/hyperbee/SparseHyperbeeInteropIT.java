package org.maiaos.mesh.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.TestSeeds;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.replication.JsCorePeer;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;

/**
 * A Hyperbee opened on a sparse replica of a remote JS bee (JS hyperbee 2.27.3 on hypercore
 * 11.37.1, over TCP): a {@code get} downloads only the blocks on its path, no more than JS itself
 * downloads for the same get from a fresh replica; both counts are printed.
 */
class SparseHyperbeeInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  static final int KEYS = Integer.getInteger("sparse.bee.keys", 20_000);

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

  @Test
  void aRandomGetDownloadsNoMoreBlocksThanJsDoes() throws Exception {
    Random r = TestSeeds.random("SparseHyperbeeInteropIT");
    try (JsCorePeer writer = new JsCorePeer()) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      JsonNode bee = writer.call(JsCorePeer.cmd("bee").put("name", "bee").put("seed", HEX.formatHex(seed))
          .put("count", KEYS).put("batch", 1000).put("keySeed", r.nextInt(1 << 30)), Math.max(60, KEYS / 500));
      String key = bee.get("key").asText();
      int port = writer.listen(false);
      JsonNode sample = bee.get("sample");
      long javaTotal = 0;
      long jsTotal = 0;
      for (int k = 0; k < 6; k++) {
        String probe = sample.get(r.nextInt(sample.size())).asText();
        // Java: a fresh sparse replica, one get
        long javaBlocks;
        byte[] javaValue;
        try (Hypercore replica = Hypercore.createReplica(tmp.resolve("r" + k), Key32.fromHex(key));
            Replicator rep = new Replicator(replica)) {
          connect(port, rep);
          rep.update().get(30, TimeUnit.SECONDS);
          Optional<Entry<byte[], byte[]>> e = Hyperbee.open(replica).get(HEX.parseHex(probe));
          assertTrue(e.isPresent(), "key " + probe);
          javaValue = e.get().value();
          javaBlocks = rep.stats().downloadedBlocks();
        }
        // JS: a fresh replica in a fresh process, the same get
        try (JsCorePeer reader = new JsCorePeer()) {
          reader.replica("r", key);
          reader.connect(port, true);
          JsonNode got = reader.call(JsCorePeer.cmd("bee-get").put("name", "r").put("key", probe));
          assertArrayEquals(HEX.parseHex(got.get("value").asText()), javaValue, "same value for " + probe);
          long jsBlocks = got.get("downloaded").asLong();
          System.out.printf("SparseHyperbeeInteropIT: %d keys, get %s: Java downloaded %d blocks, JS %d%n", KEYS, probe, javaBlocks, jsBlocks);
          assertTrue(javaBlocks <= jsBlocks, "Java downloaded " + javaBlocks + " blocks, JS " + jsBlocks);
          javaTotal += javaBlocks;
          jsTotal += jsBlocks;
        }
      }
      System.out.printf("SparseHyperbeeInteropIT: %d keys, 6 gets: Java %d blocks in all, JS %d%n", KEYS, javaTotal, jsTotal);
      assertTrue(javaTotal > 0);
    }
  }

  @Test
  void aJavaServedBeeIsReadSparselyByJsAndByJava() throws Exception {
    Random r = TestSeeds.random("SparseHyperbeeInteropIT.javaServed");
    try (Hypercore w = Hypercore.create(tmp.resolve("w"), org.maiaos.mesh.hypercore.HypercoreOptions.builder().keyPair(Ed25519.keyPair(new byte[32])).build());
        Replicator rw = new Replicator(w)) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(w);
      byte[][] keys = new byte[KEYS][];
      for (int i = 0; i < KEYS; i += 1000) {
        try (Batch<byte[], byte[]> b = bee.batch()) {
          for (int j = i; j < Math.min(KEYS, i + 1000); j++) {
            keys[j] = new byte[16];
            r.nextBytes(keys[j]);
            b.put(keys[j], ("value " + j).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
          b.flush();
        }
      }
      io.netty.channel.Channel server = new io.netty.bootstrap.ServerBootstrap().group(group)
          .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream.install(ch, false, Ed25519.keyPair(), ProtocolStream.of(List.of(rw)));
            }
          }).bind("127.0.0.1", 0).sync().channel();
      int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
      for (int k = 0; k < 4; k++) {
        int i = r.nextInt(KEYS);
        String probe = HEX.formatHex(keys[i]);
        long javaBlocks;
        try (Hypercore replica = Hypercore.createReplica(tmp.resolve("jr" + k), w.key()); Replicator rep = new Replicator(replica)) {
          connect(port, rep);
          rep.update().get(30, TimeUnit.SECONDS);
          assertArrayEquals(("value " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), Hyperbee.open(replica).get(keys[i]).orElseThrow().value());
          javaBlocks = rep.stats().downloadedBlocks();
        }
        try (JsCorePeer reader = new JsCorePeer()) {
          reader.replica("r", w.key().hex());
          reader.connect(port, true);
          JsonNode got = reader.call(JsCorePeer.cmd("bee-get").put("name", "r").put("key", probe));
          assertEquals(HEX.formatHex(("value " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)), got.get("value").asText());
          long jsBlocks = got.get("downloaded").asLong();
          System.out.printf("SparseHyperbeeInteropIT: Java-served %d-key bee, get %s: Java reader downloaded %d blocks, JS reader %d%n", KEYS, probe, javaBlocks, jsBlocks);
          assertTrue(javaBlocks <= jsBlocks, "Java downloaded " + javaBlocks + " blocks, JS " + jsBlocks);
        }
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
