package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.Messages;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request/response layer of {@code dht-rpc/lib/io.js}: two sockets (server and client), tids
 * from a random start that wrap at 2^16, responses matched by tid alone, the same datagram re-sent
 * after each timeout until {@code retries} re-sends are spent (then REQUEST_TIMEOUT), the global
 * send limiter with a bounded FIFO behind it, and token checks before a request reaches a handler.
 *
 * <p>Everything but {@link #receive} runs on the {@link Scheduler} thread. Datagrams arrive on the
 * transport's thread, are counted into a bounded inbox and handed over; a flood beyond it is dropped.
 */
final class RpcIo implements AutoCloseable {
  static final long DRAIN_MILLIS = 750;
  private static final Logger LOG = LoggerFactory.getLogger(RpcIo.class);

  /** What the node above provides and hears. All calls on the scheduler thread. */
  interface Hooks {
    void onRequest(IncomingRequest req, boolean external);

    void onResponse(Reply reply, boolean external);

    void onTimeout(OutgoingRequest req);

    List<PeerAddress> closest(Key32 target);

    Key32 localId();

    /** Any datagram on the server socket (the firewall check wants to see its pongs arrive there). */
    void onServerSocketDatagram(PeerAddress from);
  }

  private final Scheduler scheduler;
  private final RpcLimits limits;
  private final Hooks hooks;
  private final Tokens tokens;
  private final CongestionWindow congestion;
  private final Map<Integer, OutgoingRequest> inflight = new HashMap<>();
  private final ArrayDeque<OutgoingRequest> pending = new ArrayDeque<>();
  private final AtomicInteger inbox = new AtomicInteger();
  private final RpcStats stats = new RpcStats();
  private int nextTid;
  private DatagramTransport serverSocket;
  private DatagramTransport clientSocket;
  private Scheduler.Cancellable drainTimer;
  private boolean destroyed;
  boolean firewalled;
  boolean ephemeral = true;

  RpcIo(Scheduler scheduler, RpcLimits limits, SecureRandom random, boolean firewalled, Hooks hooks) {
    this.scheduler = scheduler;
    this.limits = limits;
    this.hooks = hooks;
    this.tokens = new Tokens(random);
    this.congestion = new CongestionWindow(limits.maxWindow());
    this.nextTid = random.nextInt(65536);
    this.firewalled = firewalled;
  }

  /**
   * Binds the server socket (a non-zero {@code port} tries port..port+4, then any port, as JS) and
   * the client socket on any port, both on {@code host}; then starts the drain tick.
   */
  void bind(DatagramTransport.Binder binder, String host, int port) throws IOException {
    DatagramTransport.Receiver receiver = this::receive;
    DatagramTransport server = null;
    if (port != 0) {
      for (int p = port; p < port + 5 && p <= 0xFFFF && server == null; p++) {
        try {
          server = binder.bind(host, p, receiver);
        } catch (IOException e) {
          LOG.debug("port {} taken: {}", p, e.getMessage());
        }
      }
    }
    if (server == null) server = binder.bind(host, 0, receiver);
    try {
      clientSocket = binder.bind(host, 0, receiver);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    serverSocket = server;
    drainTimer = scheduler.schedule(DRAIN_MILLIS, this::drain);
  }

  DatagramTransport serverSocket() {
    return serverSocket;
  }

  DatagramTransport clientSocket() {
    return clientSocket;
  }

  /** The socket requests go out on: the client socket while firewalled. */
  DatagramTransport requestSocket() {
    return firewalled ? clientSocket : serverSocket;
  }

  Tokens tokens() {
    return tokens;
  }

  public RpcStats stats() {
    return stats;
  }

  int inflightCount() {
    return inflight.size();
  }

  /** Any thread: the bounded hand-over from the transport to the scheduler. */
  void receive(DatagramTransport socket, byte[] datagram, PeerAddress from) {
    if (datagram.length < 2 || from.port() == 0 || datagram.length > limits.maxDatagramBytes()) {
      stats.malformed.incrementAndGet();
      return;
    }
    if (inbox.incrementAndGet() > limits.maxInbox()) {
      inbox.decrementAndGet();
      if (stats.flooded.getAndIncrement() == 0) LOG.warn("inbox full ({}): dropping datagrams", limits.maxInbox());
      return;
    }
    scheduler.execute(() -> {
      inbox.decrementAndGet();
      onMessage(socket, datagram, from);
    });
  }

  void onMessage(DatagramTransport socket, byte[] datagram, PeerAddress from) {
    if (destroyed) return;
    boolean external = socket != requestSocket();
    if (socket == serverSocket) hooks.onServerSocketDatagram(from);
    int type = Messages.type(datagram);
    if (type == DhtRequest.TYPE) {
      DhtRequest m;
      try {
        m = DhtRequest.decode(State.of(datagram));
      } catch (HypercoreException e) {
        malformed(from, e);
        return;
      }
      IncomingRequest req = new IncomingRequest(this, socket, from, validId(m.id(), from), m);
      if (LOG.isDebugEnabled()) LOG.debug("<- {} {}", from, m);
      if (m.token() != null && !tokens.accepts(from.host(), m.token())) {
        req.send(RpcError.INVALID_TOKEN, null, true, true, from);
        return;
      }
      hooks.onRequest(req, external);
    } else if (type == DhtResponse.TYPE) {
      DhtResponse m;
      try {
        m = DhtResponse.decode(State.of(datagram));
      } catch (HypercoreException e) {
        malformed(from, e);
        return;
      }
      OutgoingRequest req = inflight.remove(m.tid());
      if (req == null) {
        stats.unmatched.incrementAndGet(); // late retransmit replies land here too: not a warning
        LOG.debug("<- {} reply to unknown tid {}", from, m.tid());
        return;
      }
      if (LOG.isDebugEnabled()) LOG.debug("<- {} {}", from, m);
      cancelTimer(req);
      req.destroyed = true;
      congestion.recv();
      stats.responses.incrementAndGet();
      Reply reply = new Reply(from, validId(m.id(), from), m, scheduler.nowMillis() - req.sentAt);
      hooks.onResponse(reply, external);
      req.result.complete(reply);
    } else {
      malformed(from, null);
    }
  }

  /**
   * Counts a datagram dropped. One that is not a dht-rpc message at all ({@code e == null}) is
   * dropped quietly, as JS dht-rpc ignores other types: on a socket shared with UDX, a late packet
   * of a stream just closed lands here. The first one that claims to be a message and does not
   * decode is logged.
   */
  private void malformed(PeerAddress from, HypercoreException e) {
    stats.malformed.incrementAndGet();
    if (e != null && !warnedMalformed) {
      warnedMalformed = true;
      LOG.warn("dropping malformed datagram from {} ({}); further ones are only counted", from, e.getMessage());
    } else {
      LOG.debug("dropping malformed datagram from {} ({})", from, e == null ? "not a dht-rpc message" : e.getMessage());
    }
  }

  private volatile boolean warnedMalformed;

  private static Key32 validId(Key32 id, PeerAddress from) {
    return id != null && id.equals(from.id()) ? id : null;
  }

  /**
   * Registers a request; {@link #send} starts it. Fails the returned request at once (its result
   * completed exceptionally) when the node is destroyed or too many are in flight.
   */
  OutgoingRequest createRequest(PeerAddress to, Key32 toId, Key32 token, boolean internal, long command, Key32 target,
      byte[] value) {
    int tid = allocateTid();
    OutgoingRequest req = new OutgoingRequest(tid, to, toId, token, internal, command, target, value, requestSocket(),
        limits.retries(), limits.requestTimeout().toMillis());
    if (destroyed) {
      req.destroyed = true;
      req.result.completeExceptionally(RpcError.NODE_DESTROYED.error("node destroyed"));
    } else if (tid < 0) {
      req.destroyed = true;
      req.result.completeExceptionally(RpcError.TOO_MANY_REQUESTS.error("%d requests in flight", inflight.size()));
    } else {
      inflight.put(tid, req);
      stats.requests.incrementAndGet();
    }
    return req;
  }

  private int allocateTid() {
    if (inflight.size() >= limits.maxInflight()) return -1;
    for (;;) {
      int tid = nextTid;
      nextTid = (nextTid + 1) & 0xFFFF;
      if (!inflight.containsKey(tid)) return tid; // a wrapped tid still waiting is skipped, not shared
    }
  }

  /** Sends now, or queues behind the limiter unless {@code force}. */
  void send(OutgoingRequest req, boolean force) {
    if (req.destroyed) return;
    if (req.datagram == null) req.datagram = encode(req);
    if (!force && congestion.isFull()) {
      if (req.queued) return;
      if (pending.size() >= limits.maxPending()) {
        destroy(req, RpcError.TOO_MANY_REQUESTS.error("%d requests waiting to be sent", pending.size()));
        return;
      }
      req.queued = true;
      pending.add(req);
      return;
    }
    sendNow(req);
  }

  private byte[] encode(OutgoingRequest req) {
    boolean id = !ephemeral && req.socket == serverSocket;
    return new DhtRequest(req.tid, req.to, id ? hooks.localId() : null, req.token, req.internal, req.command,
        req.target, req.value).toBytes();
  }

  private void sendNow(OutgoingRequest req) {
    req.queued = false;
    if (req.destroyed) return;
    req.sent++;
    if (req.sent > 1) stats.retries.incrementAndGet();
    req.sentAt = scheduler.nowMillis();
    congestion.send();
    req.socket.send(req.to, req.datagram);
    cancelTimer(req);
    req.timer = scheduler.schedule(req.timeoutMillis, () -> onCycle(req));
  }

  private void onCycle(OutgoingRequest req) {
    req.timer = null;
    if (req.destroyed) return;
    if (req.onCycle != null) req.onCycle.run();
    if (req.sent > req.retries) {
      stats.timeouts.incrementAndGet();
      destroy(req, RpcError.REQUEST_TIMEOUT.error("Request timed out"));
      hooks.onTimeout(req);
    } else {
      send(req, false);
    }
  }

  /** Ends a request with {@code error}; a no-op once it has ended. */
  void destroy(OutgoingRequest req, HypercoreException error) {
    if (req.destroyed) return;
    req.destroyed = true;
    cancelTimer(req);
    if (inflight.remove(req.tid, req)) congestion.recv();
    req.result.completeExceptionally(error);
  }

  private void cancelTimer(OutgoingRequest req) {
    if (req.timer != null) {
      req.timer.cancel();
      req.timer = null;
    }
  }

  private void drain() {
    if (destroyed) return;
    tokens.tick();
    congestion.drain();
    while (!congestion.isFull() && !pending.isEmpty()) sendNow(pending.poll());
    drainTimer = scheduler.schedule(DRAIN_MILLIS, this::drain);
  }

  /** {@code Request.relay}: our id flag as for our own requests from this socket, no token. */
  void relay(DatagramTransport socket, DhtRequest req, byte[] value, PeerAddress to) {
    byte[] v = value == null ? null : value.clone();
    scheduler.execute(() -> {
      if (destroyed) return;
      boolean id = !ephemeral && socket == serverSocket;
      socket.send(to, new DhtRequest(req.tid(), to, id ? hooks.localId() : null, null, req.internal(), req.command(),
          req.target(), v).toBytes());
    });
  }

  /** Encodes and sends a reply on the scheduler thread (the closer nodes come from the table). */
  void replyFromAnyThread(DatagramTransport socket, DhtRequest req, long error, byte[] value, boolean token,
      boolean closerNodes, PeerAddress to) {
    scheduler.execute(() -> sendReply(socket, req, error, value, token, closerNodes, to));
  }

  void sendReply(DatagramTransport socket, DhtRequest req, long error, byte[] value, boolean token,
      boolean closerNodes, PeerAddress to) {
    if (destroyed) return;
    boolean id = !ephemeral && socket == serverSocket;
    List<PeerAddress> nodes = req.target() != null && closerNodes ? hooks.closest(req.target()) : List.of();
    DhtResponse m = new DhtResponse(req.tid(), to, id ? hooks.localId() : null, token ? tokens.current(to.host()) : null,
        nodes, error, value);
    if (LOG.isDebugEnabled()) LOG.debug("-> {} {}", to, m);
    socket.send(to, m.toBytes());
  }

  /** Fails everything in flight with REQUEST_DESTROYED and closes both sockets. Idempotent. */
  @Override
  public void close() {
    if (destroyed) return;
    destroyed = true;
    if (drainTimer != null) drainTimer.cancel();
    for (OutgoingRequest req : new ArrayList<>(inflight.values())) {
      destroy(req, RpcError.REQUEST_DESTROYED.error("Request destroyed"));
    }
    pending.clear();
    if (serverSocket != null) serverSocket.close();
    if (clientSocket != null) clientSocket.close();
  }
}
