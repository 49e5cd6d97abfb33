package org.maiaos.mesh.node.sync;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.StorageApi;
import org.maiaos.mesh.hypercore.encoding.JsonStringify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cojson sync server that unmodified Jazz clients use ({@code syncServer: "ws://HOST:PORT"}):
 * WebSocket on every path, {@code GET /health}, content verified before it is stored in {@code
 * storage}, acknowledged only once durable. See {@code docs/sync-server.md}.
 *
 * <p>{@link #close()} drains: it stops accepting and reading, lets every queued store become
 * durable and its acknowledgement go out, then closes the connections and the storage.
 */
public final class SyncServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);
  /**
   * Buffers for every sync server's sockets: Netty's pooled allocator with 1 MiB chunks instead of
   * its default 4 MiB. Each arena (one per I/O thread, 2 per core) takes a whole chunk with its first
   * buffer, so on 2 cores a server of idle connections held 16 MiB for reads of a few hundred bytes;
   * a busy one adds chunks as it needs them, and a buffer over a chunk is allocated on its own.
   */
  private static final ByteBufAllocator BUFFERS = new PooledByteBufAllocator(PooledByteBufAllocator.defaultPreferDirect(),
      PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
      PooledByteBufAllocator.defaultPageSize(), Math.min(PooledByteBufAllocator.defaultMaxOrder(), 7),
      PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
      PooledByteBufAllocator.defaultUseCacheForAllThreads());
  /** One read-size predictor for all connections (it holds only its settings; each channel has its own handle). */
  private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator();

  private final SyncServerConfig config;
  private final StorageApi storage;
  private final SyncEngine engine;
  private final EventLoopGroup group;
  private final String dcJson;
  private final Pinger pinger;
  private final WebSocketDecoderConfig wsDecoderConfig;
  private final Channel listener;
  private final java.util.Map<String, HttpRoute> routes;
  private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;

  private SyncServer(SyncServerConfig config, StorageApi storage, java.util.Map<String, HttpRoute> routes, OtherRegions regions) {
    this.config = config;
    this.storage = storage;
    this.routes = java.util.Map.copyOf(routes);
    this.dcJson = JsonStringify.string(config.dc());
    this.pinger = new Pinger(config.pingInterval().toMillis(), dcJson);
    this.wsDecoderConfig = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(config.maxMessageBytes())
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .build();
    Preload.run(storage, config.limits());
    this.engine = new SyncEngine(storage, config.dependencyTimeout(), config.storageQueue(), regions);
    boolean epoll = nativeTransport();
    this.group = epoll
        ? new EpollEventLoopGroup(0, new DefaultThreadFactory("sync-io", true))
        : new NioEventLoopGroup(0, new DefaultThreadFactory("sync-io", true));
    Class<? extends ServerChannel> listenerType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(listenerType)
        .option(ChannelOption.ALLOCATOR, BUFFERS)
        .childOption(ChannelOption.ALLOCATOR, BUFFERS)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
        .childHandler(new WebSocketUpgradeHandler(this));
    try {
      this.listener = b.bind(config.host(), config.port()).sync().channel();
    } catch (Exception e) {
      engine.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw SyncError.BAD_ARGUMENT.error(e, "cannot listen on %s:%d: %s", config.host(), config.port(), e.getMessage());
    }
  }

  /**
   * True when the server runs on Netty's native epoll transport (Linux, where it loads; {@code
   * -Dmesh.sync.transport=nio} turns it off). An epoll channel is a file descriptor and Netty's
   * own state, without the JDK's {@code SocketChannelImpl}, its socket adaptor, locks and
   * selection key: about 0.8 KiB less per connection, and less garbage per accept.
   */
  static boolean nativeTransport() {
    return !"nio".equals(System.getProperty("mesh.sync.transport")) && Epoll.isAvailable();
  }

  /** Binds and starts serving; the server owns {@code storage} from here on and closes it. */
  public static SyncServer start(SyncServerConfig config, StorageApi storage) {
    return start(config, storage, java.util.Map.of());
  }

  /** As {@link #start(SyncServerConfig, StorageApi)}, also answering {@code GET} on each path of {@code routes}. */
  public static SyncServer start(SyncServerConfig config, StorageApi storage, java.util.Map<String, HttpRoute> routes) {
    return start(config, storage, routes, OtherRegions.NONE);
  }

  /**
   * A region node's sync server: as {@link #start(SyncServerConfig, StorageApi, java.util.Map)}, and
   * a client's load also takes in what {@code regions} hold of the CoValue (see {@link OtherRegions}).
   */
  public static SyncServer start(SyncServerConfig config, StorageApi storage, java.util.Map<String, HttpRoute> routes,
      OtherRegions regions) {
    SyncServer s = new SyncServer(config, storage, routes, regions);
    LOG.info("sync server listening on {}", s.url());
    return s;
  }

  /**
   * Another region stored content of {@code id}: if a client here follows it, it is read from the
   * other regions again, and what is new reaches the subscribed clients. Any thread; a hint only,
   * the content itself is verified as always.
   */
  public void regionChanged(String id) {
    if (!closed) engine.regionChanged(id);
  }

  /**
   * A peer region connected, for the first time or again: every CoValue a client here follows is
   * read from the other regions again, since what was stored while the region was away was never
   * announced. Any thread.
   */
  public void regionConnected() {
    if (!closed) engine.regionConnected();
  }

  /**
   * Compiles the load, write and push paths before a server starts: a throw-away server over a
   * throw-away store in a temporary directory is loaded, written and subscribed to by local clients
   * for {@code budget}, after a small setup (past twice the budget, no client runs); no user data
   * is touched and a failure is only logged. A freshly started JVM otherwise answers its first
   * seconds of requests several times slower while the JIT compiles them. Returns the loads
   * answered plus the transactions acknowledged plus the pushes received.
   */
  public static int warmUp(java.time.Duration budget) {
    WarmUp.Done done = WarmUp.run(budget);
    return done.loads() + done.writes() + done.pushes();
  }

  /** {@code ws://HOST:PORT} of the bound socket. */
  public String url() {
    InetSocketAddress a = (InetSocketAddress) listener.localAddress();
    return "ws://" + config.host() + ":" + a.getPort();
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public SyncServerConfig config() {
    return config;
  }

  SyncEngine engine() {
    return engine;
  }

  /** Sync clients (WebSocket connections) connected now. */
  public int clients() {
    return clients.get();
  }

  HttpRoute route(String path) {
    return routes.get(path);
  }

  /** A WebSocket client's connection is upgraded ({@link SyncFrameHandler} added). */
  void clientConnected() {
    clients.incrementAndGet();
  }

  /** ... and closed. */
  void clientDisconnected() {
    clients.decrementAndGet();
  }

  Pinger pinger() {
    return pinger;
  }

  /** The WebSocket frame decoder's limits, shared by every connection. */
  WebSocketDecoderConfig wsDecoderConfig() {
    return wsDecoderConfig;
  }

  /** Drains and stops (see the class comment); idempotent, bounded in time. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    LOG.info("sync server draining");
    listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    // The sync connections are the pinged ones (no group of channels is kept beside the pinger's
    // rounds: it cost every connection a map entry and a close listener). A connection still in
    // its HTTP handshake is closed with its event loop below.
    List<Channel> channels = pinger.channels(Duration.ofSeconds(2));
    channels.forEach(ch -> ch.config().setAutoRead(false));
    engine.close(); // every accepted store durable, every acknowledgement queued
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    channels.forEach(ch -> ch.eventLoop().execute(() -> {
      SyncFrameHandler h = ch.pipeline().get(SyncFrameHandler.class);
      if (h != null) h.flushNow(ch);
    }));
    while (System.nanoTime() < deadline && !allFlushed(channels)) sleepQuietly(20);
    long closing = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    List<ChannelFuture> sent = new ArrayList<>(channels.size());
    for (Channel ch : channels) sent.add(ch.writeAndFlush(new CloseWebSocketFrame(1001, "server shutting down")));
    for (ChannelFuture f : sent) f.awaitUninterruptibly(Math.max(0, closing - System.nanoTime()), TimeUnit.NANOSECONDS);
    List<ChannelFuture> closes = new ArrayList<>(channels.size());
    for (Channel ch : channels) closes.add(ch.close());
    closing = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    for (ChannelFuture f : closes) f.awaitUninterruptibly(Math.max(0, closing - System.nanoTime()), TimeUnit.NANOSECONDS);
    pinger.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    storage.close();
    LOG.info("sync server stopped");
  }

  private static boolean allFlushed(List<Channel> channels) {
    for (Channel ch : channels) {
      SyncFrameHandler h = ch.pipeline().get(SyncFrameHandler.class);
      if (h != null && !h.flushed()) return false;
    }
    return true;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
