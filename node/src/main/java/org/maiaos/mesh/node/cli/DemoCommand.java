package org.maiaos.mesh.node.cli;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hyperbee.Batch;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.Range;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hyperswarm.replication.ProtocolStream;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh demo}: the README's main job. By default the multi-region demo ({@link MeshDemo}):
 * three region nodes on a private DHT in one process, a CoMap written in one region, read sparsely
 * through another and written live through the third. With {@code --layers}, the layer-by-layer
 * demo on an embedded default: create a core, append batches, reopen it from disk, read blocks
 * back, truncate, print the signed head, replicate it to a sparse replica over loopback TCP, write
 * and read a Hyperbee, and store a CoValue in cojson storage on a Hyperbee, read back by the
 * writer and by a read-only view as another region would read it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The mesh in one process, on 127.0.0.1 only: a private DHT and three region nodes (us, eu, ap). An account"
        + " writes a CoMap through us; a fresh client loads it through eu, which reads us's bee sparsely (blocks downloaded,"
        + " round trips); a write through ap reaches a client subscribed on us live. Prints each step, then closes everything.",
        "With --layers: each layer once instead (a core: append, reopen, truncate, replicate sparsely over TCP; a bee; a"
        + " CoValue in cojson storage)."},
    footer = {"", "Examples:", "  mesh demo", "  mesh demo --dir ./demo     keeps ./demo/us, eu and ap (node directories)",
        "  mesh demo --layers --blocks 250"})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the demo's data, kept afterwards (default: a new temp dir, removed at the end).") Path dir;
  @Option(names = "--layers", description = "Run the layer-by-layer demo (core, replication, bee, cojson storage) instead.") boolean layers;
  @Option(names = "--blocks", paramLabel = "N", description = "With --layers: how many blocks to append (default: 1000).") Integer blocks;

  @Override
  public Integer call() throws Exception {
    if (!layers && blocks != null) throw new CliException("BAD_ARGUMENT: --blocks goes with --layers");
    if (blocks == null) blocks = 1000;
    if (!layers) MeshDemo.quietLogs();
    if (dir != null) return run(dir);
    try (TempDir temp = TempDir.create("mesh-demo-")) {
      int code = run(temp.path);
      System.out.println("removing " + temp.path);
      return code;
    }
  }

  private int run(Path where) throws Exception {
    return layers ? layerByLayer(where) : new MeshDemo(System.out).run(where);
  }

  private int layerByLayer(Path where) throws IOException {
    System.out.println("creating a core in " + where);
    try (Hypercore core = Hypercore.create(where, HypercoreOptions.defaults())) {
      System.out.println("key           " + core.key().hex());
      System.out.println("discoveryKey  " + core.discoveryKey().hex());
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < blocks; i++) {
        batch.add(("block " + i).getBytes(StandardCharsets.UTF_8));
        if (batch.size() == 100 || i == blocks - 1) {
          core.append(batch);
          batch = new ArrayList<>();
        }
      }
      System.out.println("appended " + core.length() + " blocks in batches of 100");
    }
    try (Hypercore core = Hypercore.open(where)) {
      System.out.println("reopened: length " + core.length() + ", signature verified on open");
      long last = core.length() - 1;
      if (last >= 0) {
        System.out.println("block " + last + " = " + new String(core.get(last), StandardCharsets.UTF_8));
        core.truncate(core.length() / 2);
        System.out.println("truncated to " + core.length() + ", fork " + core.fork());
      }
      System.out.println(CoreCommands.infoJson(core.info()));
      replicate(core, where);
    }
    bee(where);
    cojson(where);
    return 0;
  }

  /** A sparse replica on the same machine fetches two blocks over TCP, verified, and nothing else. */
  private static void replicate(Hypercore core, Path where) throws IOException {
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("node-demo"));
    try (Replicator served = new Replicator(core);
        Hypercore replica = Hypercore.createReplica(where.resolve("replica"), core.key());
        Replicator reader = new Replicator(replica)) {
      Channel server = new ServerBootstrap().group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ProtocolStream.install(ch, false, Ed25519.keyPair(), ProtocolStream.of(List.of(served)));
            }
          }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      RemoteReplica.connect(group, new Endpoint("127.0.0.1", port), reader);
      long length = RemoteReplica.unwrap(() -> reader.update().get());
      String first = new String(RemoteReplica.unwrap(() -> reader.get(0).get()), StandardCharsets.UTF_8);
      String last = new String(RemoteReplica.unwrap(() -> reader.get(length - 1).get()), StandardCharsets.UTF_8);
      System.out.println("replica over 127.0.0.1:" + port + ": verified length " + length + ", fetched '" + first + "' and '" + last
          + "', downloaded " + reader.stats().downloadedBlocks() + " blocks");
      server.close().syncUninterruptibly();
    } catch (Exception e) {
      if (e instanceof RuntimeException re) throw re;
      throw new IOException(e);
    } finally {
      group.shutdownGracefully();
    }
  }

  /** A Hyperbee: a few puts in one batch, a get and a range. */
  private static void bee(Path where) {
    try (Hypercore core = Hypercore.create(where.resolve("bee"), HypercoreOptions.defaults())) {
      Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
      try (Batch<byte[], byte[]> b = bee.batch()) {
        for (String region : List.of("eu", "us", "ap")) b.put(utf8("region/" + region), utf8("node in " + region));
        b.flush();
      }
      System.out.println("bee: region/us = " + new String(bee.get(utf8("region/us")).orElseThrow().value(), StandardCharsets.UTF_8)
          + "; " + bee.list(Range.<byte[]>all()).size() + " entries, core length " + core.length());
    }
  }

  /**
   * cojson storage on a Hyperbee: a CoMap's content message (three trusting transactions; storage
   * checks shapes, not signatures) stored as one batch, loaded back, its known state; then the same
   * bee opened read-only, as another region's node reads it.
   */
  private static void cojson(Path where) {
    Path dir = where.resolve("cojson");
    CoValueHeader header = CoValueHeader.parse("{\"type\":\"comap\",\"ruleset\":{\"type\":\"unsafeAllowAll\"},\"meta\":null,\"uniqueness\":\"mesh-demo\"}");
    String session = "co_zDemoAccountDemoAccountDemoAcc_session_zDemo1";
    List<Transaction> txs = new ArrayList<>();
    for (String region : List.of("eu", "us", "ap")) {
      txs.add(Transaction.parse("{\"privacy\":\"trusting\",\"madeAt\":1795474623702,\"changes\":\"[{\\\"op\\\":\\\"set\\\",\\\"key\\\":\\\""
          + region + "\\\",\\\"value\\\":\\\"node in " + region + "\\\"}]\"}"));
    }
    Map<String, SessionNewContent> sessions = new LinkedHashMap<>();
    sessions.put(session, new SessionNewContent(0, txs, "signature_zDemoSignature"));
    String id = header.coValueId();
    try (HyperbeeStorage storage = HyperbeeStorage.open(dir)) {
      storage.store(new ContentMessage(id, header, header.priority(), sessions, null), null, null);
      System.out.println("cojson: stored " + id + " (3 transactions) as one Hyperbee batch; loaded back " + loadedTransactions(storage, id)
          + " transactions; known state " + storage.loadKnownState(id).orElseThrow().sessions());
    }
    try (Hypercore core = Hypercore.open(dir); HyperbeeStorage remote = HyperbeeStorage.readOnly(Hyperbee.open(core))) {
      System.out.println("cojson: a read-only view of that bee (as another region reads it) loads " + loadedTransactions(remote, id) + " transactions");
    }
  }

  private static long loadedTransactions(HyperbeeStorage storage, String id) {
    AtomicLong n = new AtomicLong();
    storage.load(id, m -> m.sessions().values().forEach(s -> n.addAndGet(s.newTransactions().size())), null);
    return n.get();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
