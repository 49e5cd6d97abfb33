package org.maiaos.mesh.hyperswarm.dht;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.dht.messages.Announce;
import org.maiaos.mesh.hyperswarm.dht.messages.LookupRawReply;
import org.maiaos.mesh.hyperswarm.dht.messages.MutableGetResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.MutablePutRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.DatagramTransport;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpc;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.IncomingRequest;
import org.maiaos.mesh.hyperswarm.dht.rpc.Query;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryResult;
import org.maiaos.mesh.hyperswarm.dht.rpc.Reply;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;

/**
 * A HyperDHT node ({@code hyperdht/index.js}) over our dht-rpc node: the client operations, and the
 * storing side of commands 2–9 once the node is persistent (an ephemeral node answers them with
 * UNKNOWN_COMMAND, as JS). Methods may be called from any thread; they never block, and their
 * futures complete on the node's scheduler thread. PEER_HANDSHAKE and PEER_HOLEPUNCH are routed
 * by {@link Router} on every node; {@link #listen} and {@link #connect} make and accept
 * connections (direct and LAN paths; holepunching is not built yet).
 */
public final class HyperDht implements AutoCloseable {
  private final DhtRpc rpc;
  private final Scheduler scheduler;
  private final Persistent persistent;
  private final HyperDhtLimits limits;
  private final Router router;
  private final java.util.Set<HyperDhtServer> servers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private HyperDht(DhtRpc rpc, Scheduler scheduler, LongSupplier wallClock, HyperDhtLimits limits) {
    this.rpc = rpc;
    this.scheduler = scheduler;
    this.limits = limits;
    this.persistent = new Persistent(rpc::id, scheduler::nowMillis, wallClock, limits);
    this.router = new Router(persistent);
    rpc.setRequestHandler(this::onRequest);
  }

  /** Binds (blocking, at most 30 s: not on an event loop) and starts bootstrapping from {@code opts.bootstrap()} only. */
  public static HyperDht open(DhtRpcOptions opts, Scheduler scheduler, DatagramTransport.Binder binder) throws IOException {
    return wrap(DhtRpc.open(opts, scheduler, binder), scheduler, HyperDhtLimits.DEFAULT);
  }

  /** Serves HyperDHT on an already open dht-rpc node (the caller passes the node's scheduler). */
  public static HyperDht wrap(DhtRpc rpc, Scheduler scheduler, HyperDhtLimits limits) {
    return new HyperDht(rpc, scheduler, System::currentTimeMillis, limits);
  }

  public DhtRpc rpc() {
    return rpc;
  }

  /** The node's scheduler: the thread its state lives on, and its clock. */
  public Scheduler scheduler() {
    return scheduler;
  }

  // ---------------------------------------------------------------- server side

  private boolean onRequest(IncomingRequest req) {
    long command = req.command();
    if (command == HyperCommands.PEER_HANDSHAKE) {
      router.onPeerHandshake(req);
      return true;
    }
    if (command == HyperCommands.PEER_HOLEPUNCH) {
      router.onPeerHolepunch(req);
      return true;
    }
    if (command < HyperCommands.FIND_PEER || command > HyperCommands.IMMUTABLE_GET) return false;
    if (rpc.ephemeral() || rpc.id() == null) return false;
    Router.LocalServer local = command == HyperCommands.FIND_PEER ? router.server(req.target()) : null;
    if (local != null) {
      req.reply(local.record().toBytes()); // a server of ours answers for itself, as JS router.get does
      return true;
    }
    return persistent.onRequest(command, new StoreRequest() {
      public Key32 target() { return req.target(); }
      public Key32 token() { return req.token(); }
      public byte[] value() { return req.value(); }
      public PeerAddress from() { return req.from(); }
      public void reply(byte[] value) { req.reply(value); }
      public void replyBare() { req.reply(null, false, false); }
      public void error(int code) { req.error(code); }
    });
  }

  // ---------------------------------------------------------------- connections

  /**
   * Listens for connections to {@code keyPair}'s public key: registers the route on this node,
   * announces to the closest nodes, and completes once the first announce is done. For each
   * accepted client, {@code init} runs on the new channel's event loop with the secret-stream
   * already first in its pipeline. Needs a node opened on {@link UdxDatagramTransport}.
   */
  public CompletableFuture<HyperDhtServer> listen(KeyPair keyPair, HyperDhtServer.Firewall firewall,
      org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits limits, Consumer<io.netty.channel.Channel> init) {
    udxSocket(); // fail now, not on the first client
    HyperDhtServer server = new HyperDhtServer(this, scheduler, keyPair, firewall, limits, init);
    if (!router.listen(server.target(), server.route())) {
      return CompletableFuture.failedFuture(DhtError.KEYPAIR_ALREADY_USED.error("already listening on %s",
          keyPair.publicKey()));
    }
    servers.add(server);
    return server.start().thenApply(v -> server);
  }

  /**
   * Connects to the server with {@code publicKey} through the DHT as {@code keyPair}; completes with
   * the UDX stream once connected, its secret-stream first in the pipeline and {@code init}'s
   * handlers after it. Fails with a {@link DhtError} (PEER_NOT_FOUND, PEER_CONNECTION_FAILED,
   * SERVER_ERROR, CANNOT_HOLEPUNCH, ...) within 30 s.
   */
  public CompletableFuture<io.netty.channel.Channel> connect(Key32 publicKey, KeyPair keyPair,
      org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits limits, Consumer<io.netty.channel.Channel> init) {
    udxSocket();
    CompletableFuture<io.netty.channel.Channel> out = new CompletableFuture<>();
    scheduler.execute(() -> new Connector(this, scheduler, publicKey, keyPair, limits, init).start()
        .whenComplete((c, e) -> {
          if (e != null) out.completeExceptionally(e);
          else out.complete(c);
        }));
    return out;
  }

  void unlisten(HyperDhtServer server) {
    servers.remove(server);
    router.unlisten(server.target(), server.route());
  }

  /** The UDX socket behind the socket new connections use (the node's own port). */
  org.maiaos.mesh.hyperswarm.udx.UdxSocket udxSocket() {
    if (rpc.socket() instanceof UdxDatagramTransport t) return t.udx();
    throw CoreError.INVALID_OPERATION.error("connections need a node opened on UdxDatagramTransport");
  }

  // ---------------------------------------------------------------- client side

  /** LOOKUP query for {@code topic}: every reply that carries records, as they arrive, then the list. */
  public CompletableFuture<List<LookupReply>> lookup(Key32 topic, Consumer<LookupReply> onPeers) {
    List<LookupReply> all = new ArrayList<>();
    Query q = rpc.query(topic, HyperCommands.LOOKUP, null, QueryOptions.DEFAULT.withOnReply(r -> {
      LookupReply l = mapLookup(r);
      if (l == null) return;
      all.add(l);
      if (onPeers != null) onPeers.accept(l);
    }));
    return q.finished().thenApply(res -> List.copyOf(all));
  }

  public CompletableFuture<List<LookupReply>> lookup(Key32 topic) {
    return lookup(topic, null);
  }

  /**
   * Announces {@code keyPair}'s public key under {@code topic}: a LOOKUP whose commit sends a signed
   * ANNOUNCE to each closest node (with its token and id). {@code clear} first unannounces from
   * every node that lists us ({@code lookupAndUnannounce}), as Hyperswarm's first announce does.
   */
  public CompletableFuture<QueryResult> announce(Key32 topic, KeyPair keyPair, List<PeerAddress> relayAddresses,
      boolean clear) {
    return announce(topic, keyPair, relayAddresses, clear, null);
  }

  /** {@link #announce}, also handing over the peers its LOOKUP replies carry, as they arrive (JS query data). */
  public CompletableFuture<QueryResult> announce(Key32 topic, KeyPair keyPair, List<PeerAddress> relayAddresses,
      boolean clear, Consumer<LookupReply> onPeers) {
    PeerRecord peer = new PeerRecord(keyPair.publicKey(), relayAddresses);
    QueryOptions.Commit commit = (reply, dht, query) -> {
      if (reply.token() == null || reply.fromId() == null) return noToken(reply);
      byte[] sig = HyperCrypto.signAnnounce(topic, reply.fromId(), reply.token(), peer, null, keyPair);
      byte[] value = new Announce(peer, null, sig, 0).toBytes();
      return checked(dht.requestOnLoop(reply.token(), HyperCommands.ANNOUNCE, topic, value, reply.from()));
    };
    return clear ? lookupAndUnannounce(topic, keyPair, commit, onPeers) : rpc.query(topic, HyperCommands.LOOKUP, null,
        QueryOptions.DEFAULT.withCommit(commit).withOnReply(r -> {
          LookupReply l = onPeers == null ? null : mapLookup(r);
          if (l != null) onPeers.accept(l);
        })).finished();
  }

  public CompletableFuture<QueryResult> announce(Key32 topic, KeyPair keyPair, List<PeerAddress> relayAddresses) {
    return announce(topic, keyPair, relayAddresses, false);
  }

  /** Sends a signed UNANNOUNCE to every node whose LOOKUP reply lists our key. */
  public CompletableFuture<QueryResult> unannounce(Key32 topic, KeyPair keyPair) {
    return lookupAndUnannounce(topic, keyPair, null, null);
  }

  /** A LOOKUP that also unannounces us wherever we are still listed (JS {@code lookupAndUnannounce}). */
  public CompletableFuture<QueryResult> lookupAndUnannounce(Key32 topic, KeyPair keyPair, Consumer<LookupReply> onPeers) {
    return lookupAndUnannounce(topic, keyPair, null, onPeers);
  }

  private CompletableFuture<QueryResult> lookupAndUnannounce(Key32 topic, KeyPair keyPair, QueryOptions.Commit then,
      Consumer<LookupReply> onPeers) {
    scheduler.execute(() -> persistent.unannounce(topic, keyPair.publicKey())); // unlink ourselves
    List<CompletableFuture<?>> unannounces = new ArrayList<>(); // scheduler thread only
    PeerRecord bare = new PeerRecord(keyPair.publicKey(), List.of());
    QueryOptions opts = QueryOptions.DEFAULT.withOnReply(r -> {
      LookupReply l = mapLookup(r);
      if (l != null && onPeers != null) onPeers.accept(l);
      if (l == null || l.token() == null || l.fromId() == null) return;
      boolean found = l.peers().size() >= Persistent.MAX_RECORDS_PER_REPLY
          || l.peers().stream().anyMatch(p -> p.publicKey().equals(keyPair.publicKey()));
      if (!found) return;
      byte[] sig = HyperCrypto.signUnannounce(topic, l.fromId(), l.token(), bare, keyPair);
      byte[] value = new Announce(bare, null, sig, 0).toBytes();
      unannounces.add(rpc.requestOnLoop(l.token(), HyperCommands.UNANNOUNCE, topic, value, l.from())
          .handle((v, e) -> null)); // best effort, as JS
    }).withCommit((reply, dht, query) -> CompletableFuture.allOf(unannounces.toArray(new CompletableFuture<?>[0]))
        .thenCompose(v -> then == null ? CompletableFuture.completedFuture(null) : then.commit(reply, dht, query)));
    return rpc.query(topic, HyperCommands.LOOKUP, null, opts).finished();
  }

  /** FIND_PEER for H(publicKey): the nodes holding the server's route, with its record. */
  public CompletableFuture<List<FindPeerReply>> findPeer(Key32 publicKey) {
    List<FindPeerReply> all = new ArrayList<>();
    Query q = rpc.query(HyperCrypto.hash(publicKey), HyperCommands.FIND_PEER, null, QueryOptions.DEFAULT.withOnReply(r -> {
      if (r.value() == null) return;
      try {
        all.add(new FindPeerReply(r.from(), PeerRecord.fromBytes(r.value())));
      } catch (HypercoreException e) {
        // a reply we cannot read is skipped, as JS mapFindPeer
      }
    }));
    return q.finished().thenApply(res -> List.copyOf(all));
  }

  /** Stores a signed value under H(publicKey) at the closest nodes; fails with SEQ_REUSED/SEQ_TOO_LOW if all refuse. */
  public CompletableFuture<QueryResult> mutablePut(KeyPair keyPair, byte[] value, long seq) {
    if (value.length > limits.maxValueBytes()) {
      return CompletableFuture.failedFuture(CoreError.BAD_ARGUMENT.error("value of %d bytes over %d", value.length,
          limits.maxValueBytes()));
    }
    Key32 target = HyperCrypto.hash(keyPair.publicKey());
    byte[] signed = new MutablePutRequest(keyPair.publicKey(), seq, value, HyperCrypto.signMutable(seq, value, keyPair))
        .toBytes();
    QueryOptions opts = QueryOptions.DEFAULT.withCommit((reply, dht, query) -> reply.token() == null ? noToken(reply)
        : checked(dht.requestOnLoop(reply.token(), HyperCommands.MUTABLE_PUT, target, signed, reply.from())));
    return rpc.query(target, HyperCommands.MUTABLE_GET, uint(0), opts).finished();
  }

  /** The highest-seq value at least {@code minSeq} whose signature verifies, if any node has one. */
  public CompletableFuture<Optional<MutableValue>> mutableGet(Key32 publicKey, long minSeq) {
    MutableValue[] best = new MutableValue[1];
    Query q = rpc.query(HyperCrypto.hash(publicKey), HyperCommands.MUTABLE_GET, uint(minSeq),
        QueryOptions.DEFAULT.withOnReply(r -> {
          if (r.value() == null) return;
          MutableGetResponse m;
          try {
            m = MutableGetResponse.fromBytes(r.value());
          } catch (HypercoreException e) {
            return;
          }
          if (m.seq() < minSeq || (best[0] != null && m.seq() <= best[0].seq())) return;
          if (!HyperCrypto.verifyMutable(m.signature(), m.seq(), m.value(), publicKey)) return;
          best[0] = new MutableValue(m.seq(), m.value(), m.signature(), r.from());
        }));
    return q.finished().thenApply(res -> Optional.ofNullable(best[0]));
  }

  /** Stores {@code value} under H(value) at the closest nodes; completes with the hash. */
  public CompletableFuture<Key32> immutablePut(byte[] value) {
    if (value.length > limits.maxValueBytes()) {
      return CompletableFuture.failedFuture(CoreError.BAD_ARGUMENT.error("value of %d bytes over %d", value.length,
          limits.maxValueBytes()));
    }
    byte[] v = value.clone();
    Key32 target = HyperCrypto.hash(v);
    QueryOptions opts = QueryOptions.DEFAULT.withCommit((reply, dht, query) -> reply.token() == null ? noToken(reply)
        : checked(dht.requestOnLoop(reply.token(), HyperCommands.IMMUTABLE_PUT, target, v, reply.from())));
    return rpc.query(target, HyperCommands.IMMUTABLE_GET, null, opts).finished().thenApply(r -> target);
  }

  /** The first value whose hash is {@code target}; the rest of the query is not waited for. */
  public CompletableFuture<Optional<byte[]>> immutableGet(Key32 target) {
    CompletableFuture<Optional<byte[]>> out = new CompletableFuture<>();
    Query q = rpc.query(target, HyperCommands.IMMUTABLE_GET, null, QueryOptions.DEFAULT.withOnReply(r -> {
      if (r.value() != null && HyperCrypto.hash(r.value()).equals(target)) out.complete(Optional.of(r.value().clone()));
    }));
    q.finished().whenComplete((res, e) -> {
      if (e != null) out.completeExceptionally(e);
      else out.complete(Optional.empty());
    });
    return out;
  }

  /** Closes the listening servers (unannouncing, at most 5 s) and the node. */
  @Override
  public void close() {
    for (HyperDhtServer s : List.copyOf(servers)) s.close();
    rpc.close();
  }

  public CompletableFuture<Void> closeAsync() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (HyperDhtServer s : List.copyOf(servers)) stops.add(s.closeAsync());
    return CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null)
        .thenCompose(v -> rpc.closeAsync());
  }

  // ---------------------------------------------------------------- helpers

  private static LookupReply mapLookup(Reply r) {
    if (r.value() == null) return null;
    try {
      LookupRawReply l = LookupRawReply.fromBytes(r.value());
      return new LookupReply(r.from(), r.fromId(), r.token(), l.peers(), l.bump());
    } catch (HypercoreException e) {
      return null;
    }
  }

  /** A storer's error reply fails the commit (dht-rpc hands it over as a reply). */
  private static CompletableFuture<Reply> checked(CompletableFuture<Reply> f) {
    return f.thenCompose(r -> r.error() == 0 ? CompletableFuture.completedFuture(r)
        : CompletableFuture.failedFuture(DhtError.ofWire(r.error()).error("%s answered error %d", r.from(), r.error())));
  }

  private static CompletableFuture<Reply> noToken(Reply r) {
    return CompletableFuture.failedFuture(DhtError.NO_TOKEN.error("no token or id from %s", r.from()));
  }

  static byte[] uint(long n) {
    State s = new State();
    Uint.preencode(s, n);
    s.alloc();
    Uint.encode(s, n);
    return s.buffer;
  }
}
