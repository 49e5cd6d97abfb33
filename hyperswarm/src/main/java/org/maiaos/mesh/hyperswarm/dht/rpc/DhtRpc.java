package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dht-rpc node ({@code dht-rpc/index.js}): answers the internal commands, keeps the routing table
 * fresh, samples its own address from replies, bootstraps, checks its firewall with PING_NAT and
 * turns persistent (an id from its address, in every message from the server socket) when it may.
 * Application commands go to the {@link RequestHandler}; {@link #query} runs iterative queries with
 * an optional commit phase. State lives on the scheduler thread; the public methods may be called
 * from any thread and return futures completed there.
 */
public final class DhtRpc implements AutoCloseable {
  static final long TICK_MILLIS = 5000;
  static final long SLEEPING_MILLIS = 3 * TICK_MILLIS;
  static final int STABLE_TICKS = 240;
  static final int MORE_STABLE_TICKS = 3 * STABLE_TICKS;
  static final int REFRESH_TICKS = 60;
  static final int RECENT_NODE = 12;
  static final int OLD_NODE = 360;
  static final int MAX_CHECKS = 10;
  static final int DOWN_HINTS_PER_TICK = 50;
  private static final Logger LOG = LoggerFactory.getLogger(DhtRpc.class);

  private final Scheduler scheduler;
  private final DhtRpcOptions opts;
  private final SecureRandom random;
  private final RpcIo io;
  private final NodeList nodes = new NodeList();
  private final List<PeerAddress> bootstrapNodes;
  private final boolean adaptive;
  private final boolean forcePersistent;
  private final CompletableFuture<Void> bootstrapped = new CompletableFuture<>();
  private final List<Runnable> persistentListeners = new CopyOnWriteArrayList<>();
  private final List<PeerAddress> nonPersistentSamples = new ArrayList<>();
  private volatile RequestHandler handler = req -> false;
  private RoutingTable table;
  private NatSampler nat = new NatSampler();
  private volatile boolean ephemeral = true;
  private volatile boolean firewalled;
  private volatile Key32 publishedId;
  private boolean destroyed;
  private long tick;
  private int refreshTicks;
  private int stableTicks;
  private long lastTick;
  private String lastHost;
  private int repinging;
  private int checks;
  private int delayedPings;
  private int downHintsSent;
  private Scheduler.Cancellable tickTimer;
  private Set<String> serverSocketHosts;

  private DhtRpc(DhtRpcOptions opts, Scheduler scheduler, SecureRandom random) {
    this.opts = opts;
    this.scheduler = scheduler;
    this.random = random;
    this.bootstrapNodes = opts.bootstrap();
    this.firewalled = opts.firewalled();
    this.adaptive = opts.ephemeral() == null;
    this.forcePersistent = Boolean.FALSE.equals(opts.ephemeral());
    byte[] id = new byte[32];
    random.nextBytes(id);
    this.table = newTable(Key32.of(id));
    this.tick = randomOffset(100);
    this.refreshTicks = randomOffset(REFRESH_TICKS);
    this.stableTicks = adaptive ? STABLE_TICKS : 0;
    this.io = new RpcIo(scheduler, opts.limits(), random, opts.firewalled(), new RpcIo.Hooks() {
      @Override
      public void onRequest(IncomingRequest req, boolean external) {
        DhtRpc.this.onRequest(req, external);
      }

      @Override
      public void onResponse(Reply reply, boolean external) {
        addNodeFromNetwork(!external, reply.from(), reply.fromId(), reply.to());
      }

      @Override
      public void onTimeout(OutgoingRequest req) {
        if (req.toId == null) return;
        Node n = table.get(req.toId);
        if (n != null) removeNode(n);
      }

      @Override
      public List<PeerAddress> closest(Key32 target) {
        return table.closest(target).stream().map(Node::address).toList();
      }

      @Override
      public Key32 localId() {
        return table.id();
      }

      @Override
      public void onServerSocketDatagram(PeerAddress from) {
        if (serverSocketHosts != null) serverSocketHosts.add(from.host());
      }
    });
  }

  /**
   * Binds both sockets (blocking; not to be called on an event loop) and starts bootstrapping.
   * The scheduler is the caller's and outlives the node.
   */
  public static DhtRpc open(DhtRpcOptions opts, Scheduler scheduler, DatagramTransport.Binder binder)
      throws IOException {
    DhtRpc dht = create(opts, scheduler, new SecureRandom());
    CompletableFuture<Void> bound = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        dht.start(binder);
        bound.complete(null);
      } catch (IOException | RuntimeException e) {
        bound.completeExceptionally(e);
      }
    });
    try {
      bound.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("bind failed", e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("bind timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding");
    }
    return dht;
  }

  /** For tests on a manual scheduler: a node not yet bound; {@link #start} binds it on the loop. */
  static DhtRpc create(DhtRpcOptions opts, Scheduler scheduler, SecureRandom random) {
    return new DhtRpc(opts, scheduler, random);
  }

  /** On the scheduler thread: bind, start the tick, start bootstrapping. */
  void start(DatagramTransport.Binder binder) throws IOException {
    io.bind(binder, opts.host(), opts.port());
    if (opts.bootstrapper()) nat.add(opts.host(), io.serverSocket().localPort());
    lastTick = scheduler.nowMillis();
    tickTimer = scheduler.schedule(TICK_MILLIS, this::onTick);
    bootstrap();
  }

  private RoutingTable newTable(Key32 id) {
    return new RoutingTable(id, RoutingTable.K, this::onFullRow);
  }

  // ---------------------------------------------------------------- public API (any thread)

  public void setRequestHandler(RequestHandler h) {
    handler = h == null ? req -> false : h;
  }

  /** Called (on the scheduler thread) when the node turns persistent; hyperdht starts storing then. */
  public void onPersistent(Runnable r) {
    persistentListeners.add(r);
  }

  /** Completes when the bootstrap query (and the firewall check it may trigger) is done. */
  public CompletableFuture<Void> fullyBootstrapped() {
    return bootstrapped;
  }

  /** Our id once persistent, else null (we send none). */
  public Key32 id() {
    return ephemeral ? null : publishedId;
  }

  public boolean ephemeral() {
    return ephemeral;
  }

  public boolean firewalled() {
    return firewalled;
  }

  /** The bound server socket address (the one other nodes store for us when persistent). */
  public PeerAddress serverAddress() {
    return new PeerAddress(opts.host(), io.serverSocket().localPort());
  }

  /** The socket other nodes know us by (also the one UDX streams of a server connect from). */
  public DatagramTransport serverSocket() {
    return io.serverSocket();
  }

  /** The socket requests go out on, JS {@code dht.socket}: the client socket while firewalled. */
  public DatagramTransport socket() {
    return io.requestSocket();
  }

  /**
   * Our address as the network sees it, if others can reach us there (JS {@code remoteAddress()}):
   * unfirewalled and the sampled port is our server port; else null. HyperDHT announces it.
   */
  public CompletableFuture<PeerAddress> remoteAddress() {
    return onLoop(() -> {
      boolean known = nat.host() != null && nat.port() != 0 && !firewalled
          && nat.port() == io.serverSocket().localPort();
      return CompletableFuture.completedFuture(known ? new PeerAddress(nat.host(), nat.port()) : null);
    });
  }

  public RpcStats stats() {
    return io.stats();
  }

  public int concurrency() {
    return opts.concurrency();
  }

  public CompletableFuture<Reply> ping(PeerAddress to) {
    return onLoop(() -> requestNow(to, null, true, Commands.PING, null, null, -1));
  }

  /** An application request, with dht.request's default of 3 retries. */
  public CompletableFuture<Reply> request(Key32 token, long command, Key32 target, byte[] value, PeerAddress to) {
    byte[] v = value == null ? null : value.clone();
    return onLoop(() -> requestNow(to, token, false, command, target, v, -1));
  }

  /** Same as {@link #request}, for callers already on the scheduler thread (commits). */
  public CompletableFuture<Reply> requestOnLoop(Key32 token, long command, Key32 target, byte[] value, PeerAddress to) {
    return requestNow(to, token, false, command, target, value, -1);
  }

  public Query findNode(Key32 target) {
    return startQuery(target, true, Commands.FIND_NODE, null, QueryOptions.DEFAULT);
  }

  public Query query(Key32 target, long command, byte[] value, QueryOptions qopts) {
    return startQuery(target, false, command, value, qopts);
  }

  /** Adds a known node (its id computed from the address) to the table. */
  public void addNode(PeerAddress a) {
    scheduler.execute(() -> addNode(new Node(a.id(), a, null)));
  }

  /** A snapshot of the table's nodes, latest contact first (JS {@code toArray}). */
  public CompletableFuture<List<PeerAddress>> nodes() {
    return onLoop(() -> {
      List<PeerAddress> out = new ArrayList<>();
      for (Node n = nodes.latest; n != null; n = n.prev) out.add(n.address);
      return CompletableFuture.completedFuture(out);
    });
  }

  /** Closes from any thread but the scheduler's; waits at most 5 s. Idempotent. */
  @Override
  public void close() {
    try {
      closeAsync().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("close did not finish in time: {}", e.toString());
    }
  }

  /** Fails what is in flight with REQUEST_DESTROYED and closes both sockets; for loop code. */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      closeNow();
      done.complete(null);
    });
    return done;
  }

  // ---------------------------------------------------------------- scheduler thread

  RoutingTable table() {
    return table;
  }

  List<PeerAddress> bootstrapNodes() {
    return bootstrapNodes;
  }

  RpcIo io() {
    return io;
  }

  NatSampler nat() {
    return nat;
  }

  long tick() {
    return tick;
  }

  private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> out = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        task.get().whenComplete((v, e) -> {
          if (e != null) out.completeExceptionally(e);
          else out.complete(v);
        });
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  private Query startQuery(Key32 target, boolean internal, long command, byte[] value, QueryOptions qopts) {
    Query q = new Query(this, target, internal, command, value, qopts);
    scheduler.execute(() -> {
      if (destroyed) {
        q.destroy();
        return;
      }
      refreshTicks = REFRESH_TICKS;
      q.start();
    });
    return q;
  }

  OutgoingRequest newRequest(PeerAddress to, Key32 toId, Key32 token, boolean internal, long command, Key32 target,
      byte[] value) {
    return io.createRequest(to, toId, token, internal, command, target, value);
  }

  void sendRequest(OutgoingRequest req, boolean force) {
    io.send(req, force);
  }

  private CompletableFuture<Reply> requestNow(PeerAddress to, Key32 token, boolean internal, long command,
      Key32 target, byte[] value, int retries) {
    OutgoingRequest req = io.createRequest(to, null, token, internal, command, target, value);
    if (retries >= 0) req.retries = retries;
    io.send(req, false);
    return req.result;
  }

  /** DOWN_HINT with a per-tick budget ({@code query.js _downHint}). */
  void sendDownHint(PeerAddress node, PeerAddress down) {
    if (downHintsSent >= DOWN_HINTS_PER_TICK) return;
    downHintsSent++;
    OutgoingRequest req = io.createRequest(node, null, null, true, Commands.DOWN_HINT, null, down.toBytes());
    io.send(req, false);
  }

  private void bootstrap() {
    boolean[] first = {firewalled && opts.quickFirewall() && !forcePersistent};
    boolean[] testNat = {false};
    List<CompletableFuture<Void>> quickPing = new ArrayList<>(List.of(CompletableFuture.completedFuture(null)));
    bootstrapRound(0, first, testNat, quickPing);
  }

  /**
   * One bootstrap query; the first reply triggers the quick PING_NAT heuristic. Unlike JS, the end
   * of the query waits for that PING_NAT to settle (at most its retries), so the verdict does not
   * depend on whether the pong beats the last FIND_NODE reply.
   */
  private void bootstrapRound(int round, boolean[] first, boolean[] testNat, List<CompletableFuture<Void>> quickPing) {
    Query q = backgroundQuery(table.id(), reply -> {
      if (!first[0]) return;
      first[0] = false;
      byte[] port = uint16(io.serverSocket().localPort());
      OutgoingRequest req = io.createRequest(reply.from(), null, null, true, Commands.PING_NAT, null, port);
      quickPing.set(0, req.result.handle((r, e) -> {
        if (e == null) testNat[0] = true;
        return null;
      }));
      io.send(req, false);
    });
    q.finished().handle((r, e) -> null).thenCompose(v -> quickPing.get(0)).whenComplete((r, e) -> {
      if (destroyed) return;
      if (bootstrapped.isDone() || (!testNat[0] && !forcePersistent) || round == 1) {
        markBootstrapped();
        return;
      }
      updateNetworkState(!forcePersistent).whenComplete((ok, e2) -> {
        if (Boolean.TRUE.equals(ok) && !destroyed) bootstrapRound(round + 1, first, testNat, quickPing);
        else markBootstrapped();
      });
    });
  }

  private void markBootstrapped() {
    if (bootstrapped.complete(null)) {
      LOG.info("bootstrapped: {} nodes, ephemeral={}, firewalled={}", table.size(), ephemeral, firewalled);
    }
  }

  private Query backgroundQuery(Key32 target, java.util.function.Consumer<Reply> onReply) {
    refreshTicks = REFRESH_TICKS;
    int background = Math.min(opts.concurrency(), Math.max(2, opts.concurrency() / 8));
    Query[] self = new Query[1];
    QueryOptions qo = QueryOptions.DEFAULT.withConcurrency(background).withOnReply(reply -> {
      self[0].concurrency = io.inflightCount() < 3 ? opts.concurrency() : background; // yield to other traffic
      if (onReply != null) onReply.accept(reply);
    });
    Query q = new Query(this, target, true, Commands.FIND_NODE, null, qo);
    self[0] = q;
    q.start();
    return q;
  }

  private void refresh() {
    Node n = table.random(random);
    backgroundQuery(n != null ? n.id : table.id(), null);
  }

  private void onRequest(IncomingRequest req, boolean external) {
    if (req.fromId() != null) addNodeFromNetwork(!external, req.from(), req.fromId(), req.message().to());
    if (req.internal()) {
      onInternal(req);
      return;
    }
    boolean handled;
    try {
      handled = handler.onRequest(req);
    } catch (RuntimeException e) {
      LOG.error("request handler failed for command {}", req.command(), e);
      handled = false;
    }
    if (!handled) req.send(RpcError.UNKNOWN_COMMAND, null, false, req.target() != null, req.from());
  }

  private void onInternal(IncomingRequest req) {
    long cmd = req.command();
    byte[] v = req.message().hasValue() ? req.value() : null;
    if (cmd == Commands.PING) {
      req.send(0, null, false, false, req.from());
    } else if (cmd == Commands.PING_NAT) {
      if (v == null || v.length < 2) return;
      int port = (v[0] & 0xFF) | (v[1] & 0xFF) << 8;
      if (port == 0) return;
      // a reachability probe: answer to the port they named, on the same host
      req.send(0, null, false, false, new PeerAddress(req.from().host(), port));
    } else if (cmd == Commands.FIND_NODE) {
      if (req.target() == null) return;
      req.send(0, null, false, true, req.from());
    } else if (cmd == Commands.DOWN_HINT) {
      if (v == null || v.length < 6) return;
      if (checks < MAX_CHECKS) {
        Node n = table.get(Key32.of(org.maiaos.mesh.hypercore.crypto.Blake2b.hash(v, 0, 6)));
        if (n != null && (n.pinged < tick || n.downHints == 0)) {
          n.downHints++;
          check(n);
        }
      }
      req.send(0, null, false, false, req.from());
    } else if (cmd == Commands.DELAYED_PING) {
      if (v == null || v.length < 4) return;
      long delay = (v[0] & 0xFFL) | (v[1] & 0xFFL) << 8 | (v[2] & 0xFFL) << 16 | (v[3] & 0xFFL) << 24;
      if (delay > opts.limits().maxPingDelay().toMillis() || delayedPings >= opts.limits().maxDelayedPings()) return;
      delayedPings++;
      scheduler.schedule(delay, () -> {
        delayedPings--;
        if (!destroyed) req.send(0, null, false, false, req.from());
      });
    } else {
      req.send(RpcError.UNKNOWN_COMMAND, null, false, req.target() != null, req.from());
    }
  }

  private void addNodeFromNetwork(boolean sample, PeerAddress from, Key32 fromId, PeerAddress to) {
    if (fromId == null) {
      sampleBootstrapMaybe(from, to);
      return;
    }
    Node old = table.get(fromId);
    if (old != null) {
      if (sample && (old.sampled == 0 || tick - old.sampled >= OLD_NODE)) {
        old.to = to;
        old.sampled = tick;
        natAdd(to);
      }
      old.pinged = old.seen = tick;
      nodes.add(old);
      return;
    }
    Node n = new Node(fromId, from, to);
    addNode(n);
  }

  private void sampleBootstrapMaybe(PeerAddress from, PeerAddress to) {
    if (nonPersistentSamples.size() >= Math.max(1, bootstrapNodes.size())) return;
    if (nonPersistentSamples.contains(from)) return;
    nonPersistentSamples.add(from);
    natAdd(to);
  }

  private void natAdd(PeerAddress to) {
    nat.add(to.host(), to.port());
  }

  private void addNode(Node n) {
    if (nodes.has(n) || n.id.equals(table.id())) return;
    n.added = n.pinged = n.seen = tick;
    if (!table.add(n)) return;
    nodes.add(n);
    if (n.to != null && n.sampled == 0) {
      n.sampled = tick;
      natAdd(n.to);
    }
  }

  private void removeNode(Node n) {
    if (!nodes.has(n)) return;
    table.remove(n.id);
    nodes.remove(n);
  }

  private void onFullRow(Node newNode, int rowIndex) {
    if (!bootstrapped.isDone() || repinging >= 3) return;
    Node oldest = null;
    for (Node n : table.row(rowIndex)) {
      if (n.pinged == tick) continue;
      if (oldest == null || oldest.pinged > n.pinged || (oldest.pinged == n.pinged && oldest.added > n.added)) {
        oldest = n;
      }
    }
    if (oldest == null) return;
    if (tick - oldest.pinged < RECENT_NODE && tick - oldest.added > OLD_NODE) return;
    repingAndSwap(newNode, oldest);
  }

  private void repingAndSwap(Node newNode, Node oldNode) {
    long lastSeen = oldNode.seen;
    oldNode.pinged = tick;
    repinging++;
    OutgoingRequest req = io.createRequest(oldNode.address, null, null, true, Commands.PING, null, null);
    req.result.whenComplete((r, e) -> {
      repinging--;
      if (e == null && oldNode.seen > lastSeen) return;
      removeNode(oldNode);
      addNode(newNode);
    });
    io.send(req, false);
  }

  private void check(Node n) {
    n.pinged = tick;
    long lastSeen = n.seen;
    checks++;
    OutgoingRequest req = io.createRequest(n.address, null, null, true, Commands.PING, null, null);
    req.result.whenComplete((r, e) -> {
      checks--;
      if (e != null || n.seen <= lastSeen) removeNode(n);
    });
    io.send(req, false);
  }

  private void pingSome() {
    int cnt = io.inflightCount() > 2 ? 3 : 5;
    Node oldest = nodes.oldest;
    if (oldest == null) {
      refresh(); // a tiny DHT: ask the bootstrap nodes again
      return;
    }
    if (tick - oldest.pinged < RECENT_NODE) cnt = 2;
    while (cnt-- > 0 && oldest != null) {
      Node next = oldest.next;
      if (tick != oldest.pinged) check(oldest);
      oldest = next;
    }
  }

  /** The 5 s maintenance tick; a gap over 15 s means we slept. Package-visible for tests. */
  void onTick() {
    if (destroyed) return;
    long now = scheduler.nowMillis();
    if (now - lastTick > SLEEPING_MILLIS) onWakeup();
    else tick++;
    lastTick = now;
    tickTimer = scheduler.schedule(TICK_MILLIS, this::onTick);
    if (!bootstrapped.isDone()) return;
    if (adaptive && ephemeral && --stableTicks <= 0) {
      if (lastHost != null && lastHost.equals(nat.host())) stableTicks = MORE_STABLE_TICKS;
      else updateNetworkState(false);
    }
    if ((tick & 7) == 0) pingSome();
    if (((tick & 63) == 0 && nodes.size < table.k()) || --refreshTicks <= 0) refresh();
    downHintsSent = 0;
  }

  private void onWakeup() {
    tick += 2 * OLD_NODE;
    tick += 8 - (tick & 7) - 2;
    stableTicks = MORE_STABLE_TICKS;
    refreshTicks = 1;
    lastHost = null;
    if (adaptive && !ephemeral) {
      ephemeral = true;
      io.ephemeral = true;
      LOG.info("woke from sleep: ephemeral again");
    }
  }

  /** {@code index.js _updateNetworkState}: maybe unfirewalled, maybe persistent. */
  private CompletableFuture<Boolean> updateNetworkState(boolean onlyFirewall) {
    if (!ephemeral) return CompletableFuture.completedFuture(false);
    if (onlyFirewall && !firewalled) return CompletableFuture.completedFuture(false);
    String host = nat.host();
    int port = nat.port();
    if (!onlyFirewall) {
      stableTicks = MORE_STABLE_TICKS;
      lastHost = host;
    }
    if (host == null || port == 0) return CompletableFuture.completedFuture(false);
    NatSampler sampler = firewalled ? new NatSampler() : nat;
    CompletableFuture<Boolean> fw = firewalled ? checkIfFirewalled(sampler) : CompletableFuture.completedFuture(false);
    return fw.thenApply(isFirewalled -> {
      if (isFirewalled || destroyed) return false;
      firewalled = false;
      io.firewalled = false;
      if (!ephemeral || !host.equals(nat.host()) || port != nat.port()) return false;
      if (!host.equals(sampler.host()) || sampler.port() == 0) return false;
      Key32 id = new PeerAddress(sampler.host(), sampler.port()).id();
      if (!onlyFirewall) {
        ephemeral = false;
        io.ephemeral = false;
      }
      if (sampler != nat) {
        nonPersistentSamples.clear();
        nat = sampler;
      }
      if (!table.id().equals(id)) {
        RoutingTable old = table;
        table = newTable(id);
        for (Node n : old.toList()) {
          if (n.id.equals(id)) continue;
          if (!table.add(n)) nodes.remove(n);
        }
        if (bootstrapped.isDone()) refresh();
      }
      publishedId = id;
      if (!ephemeral) {
        LOG.info("persistent as {} ({}:{})", id.hex().substring(0, 16), host, port);
        for (Runnable r : persistentListeners) r.run();
      }
      return true;
    });
  }

  /** PING_NAT from the client socket to up to 5 nodes; unfirewalled if the pongs reach the server socket. */
  private CompletableFuture<Boolean> checkIfFirewalled(NatSampler sampler) {
    List<PeerAddress> targets = new ArrayList<>();
    for (Node n = nodes.latest; n != null && targets.size() < 5; n = n.prev) targets.add(n.address);
    if (targets.size() < 5) targets.addAll(bootstrapNodes);
    if (targets.isEmpty()) return CompletableFuture.completedFuture(true);
    Set<String> hosts = new HashSet<>();
    serverSocketHosts = hosts;
    byte[] port = uint16(io.serverSocket().localPort());
    List<CompletableFuture<Reply>> all = new ArrayList<>();
    for (PeerAddress t : targets) {
      OutgoingRequest req = io.createRequest(t, null, null, true, Commands.PING_NAT, null, port);
      io.send(req, false);
      all.add(req.result.handle((r, e) -> e == null ? r : null));
    }
    int asked = targets.size();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      serverSocketHosts = null;
      int count = 0;
      for (CompletableFuture<Reply> f : all) {
        Reply r = f.join();
        if (r != null && hosts.contains(r.from().host())) {
          count++;
          sampler.add(r.to().host(), r.to().port());
        }
      }
      if (count < (asked >= 5 ? 3 : 1)) return true;
      if (sampler.host() == null || !sampler.host().equals(nat.host())) return true;
      return sampler.port() == 0 || sampler.port() != io.serverSocket().localPort();
    });
  }

  private void closeNow() {
    if (destroyed) return;
    destroyed = true;
    if (tickTimer != null) tickTimer.cancel();
    io.close();
    bootstrapped.complete(null);
  }

  private int randomOffset(int n) {
    return n - (int) (random.nextDouble() * 0.5 * n);
  }

  private static byte[] uint16(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8)};
  }
}
