package org.maiaos.mesh.hyperswarm.dht;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.Handshake;
import org.maiaos.mesh.hyperswarm.dht.messages.NoisePayload;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpc;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.Reply;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;
import org.maiaos.mesh.hyperswarm.secretstream.NoiseIK;
import org.maiaos.mesh.hyperswarm.secretstream.NoiseResult;
import org.maiaos.mesh.hyperswarm.secretstream.SecretStreamLimits;
import org.maiaos.mesh.hyperswarm.udx.UdxStream;

/**
 * One {@code connect(publicKey)} ({@code hyperdht/lib/connect.js}): a FIND_PEER query for the
 * server's H(publicKey); the Noise IK first message through the first two nodes that hold its
 * route (relayed to the server); on the first valid answer, a path; then the UDX stream and the
 * secret-stream from the finished handshake. Paths, as JS chooses them: the server's public address
 * (or where the relay saw it) when the server is OPEN or offers no holepunch; a passive wait when
 * we are OPEN ourselves; the LAN shortcut (a ping to the server's local address) when both are
 * behind the same public address. Holepunching is not built: a server that needs it fails with
 * CANNOT_HOLEPUNCH. Scheduler thread only; the whole attempt is bounded by {@link #TIMEOUT_MILLIS}.
 */
final class Connector {
  static final long TIMEOUT_MILLIS = 30_000;
  /** Handshakes in flight at once (JS's semaphore of 2). */
  static final int PARALLEL = 2;
  /** How long we wait for an OPEN server to connect in when we are OPEN (JS passiveConnectTimeout). */
  static final long PASSIVE_WAIT_MILLIS = 10_000;

  private final HyperDht dht;
  private final DhtRpc rpc;
  private final Scheduler scheduler;
  private final Key32 publicKey;
  private final Key32 target;
  private final KeyPair keyPair;
  private final SecretStreamLimits limits;
  private final Consumer<Channel> init;
  private final CompletableFuture<Channel> result = new CompletableFuture<>();
  private final List<PeerAddress> candidates = new ArrayList<>();
  private NoiseIK noise;
  private UdxStream stream;
  private byte[] request;
  private boolean firewallOpen;
  private int inflight;
  private int attempts;
  private boolean queryDone;
  private boolean answered;

  Connector(HyperDht dht, Scheduler scheduler, Key32 publicKey, KeyPair keyPair, SecretStreamLimits limits,
      Consumer<Channel> init) {
    this.dht = dht;
    this.rpc = dht.rpc();
    this.scheduler = scheduler;
    this.publicKey = publicKey;
    this.target = HyperCrypto.hash(publicKey);
    this.keyPair = keyPair;
    this.limits = limits;
    this.init = init;
  }

  CompletableFuture<Channel> start() {
    Scheduler.Cancellable timeout = scheduler.schedule(TIMEOUT_MILLIS,
        () -> fail(DhtError.PEER_CONNECTION_FAILED.error("no connection to %s after %d ms", publicKey, TIMEOUT_MILLIS)));
    result.whenComplete((c, e) -> timeout.cancel());
    rpc.remoteAddress().whenComplete((self, e) -> scheduler.execute(() -> {
      try {
        begin(e == null ? self : null);
      } catch (RuntimeException ex) {
        fail(ex);
      }
    }));
    return result;
  }

  private void begin(PeerAddress self) {
    if (result.isDone()) return;
    stream = PeerStreams.rawStream(dht.udxSocket());
    List<PeerAddress> addresses4 = new ArrayList<>();
    if (self != null) addresses4.add(self);
    addresses4.addAll(PeerStreams.localAddresses(rpc.serverAddress()));
    firewallOpen = self != null;
    NoisePayload ours = new NoisePayload(1, NoisePayload.ERROR_NONE,
        firewallOpen ? NoisePayload.FIREWALL_OPEN : NoisePayload.FIREWALL_UNKNOWN, null, addresses4, List.of(),
        new NoisePayload.Udx(1, false, Integer.toUnsignedLong(stream.localId()), 0), new NoisePayload.SecretStream(1),
        null, null);
    noise = PeerStreams.initiator(keyPair, publicKey);
    request = new Handshake(Handshake.FROM_CLIENT, noise.send(ours.toBytes()), null, null).toBytes();
    rpc.query(target, HyperCommands.FIND_PEER, null, QueryOptions.DEFAULT.withOnReply(r -> {
      if (r.value() == null) return;
      candidates.add(r.from());
      next();
    })).finished().whenComplete((res, e) -> scheduler.execute(() -> {
      queryDone = true;
      if (e != null) fail(e);
      else next();
    }));
  }

  /** Starts handshakes while fewer than two are in flight; fails once nothing is left to try. */
  private void next() {
    if (result.isDone() || answered) return;
    while (inflight < PARALLEL && !candidates.isEmpty()) {
      PeerAddress relay = candidates.remove(0);
      inflight++;
      attempts++;
      rpc.requestOnLoop(null, HyperCommands.PEER_HANDSHAKE, target, request, relay)
          .whenComplete((reply, e) -> scheduler.execute(() -> {
            inflight--;
            if (e == null) onReply(relay, reply);
            next();
          }));
    }
    if (queryDone && inflight == 0 && candidates.isEmpty() && !answered) {
      fail(attempts == 0 ? DhtError.PEER_NOT_FOUND.error("no node knows %s", publicKey)
          : DhtError.PEER_CONNECTION_FAILED.error("no handshake answer from %d nodes", attempts));
    }
  }

  private void onReply(PeerAddress relay, Reply reply) {
    if (result.isDone() || answered) return;
    Handshake hs;
    try {
      hs = reply.value() == null ? null : Handshake.fromBytes(reply.value());
    } catch (HypercoreException e) {
      hs = null;
    }
    // the answer must come back from the node we asked (JS BAD_HANDSHAKE_REPLY)
    if (hs == null || hs.mode() != Handshake.REPLY || !relay.equals(reply.from())) return;
    NoisePayload remote;
    try {
      remote = NoisePayload.fromBytes(noise.recv(hs.noise()));
    } catch (HypercoreException e) {
      fail(e);
      return;
    }
    answered = true;
    if (remote.version() != 1) {
      fail(DhtError.SERVER_INCOMPATIBLE.error("server payload version %d", remote.version()));
    } else if (remote.error() != NoisePayload.ERROR_NONE) {
      fail(DhtError.SERVER_ERROR.error("server answered error %d", remote.error()));
    } else if (remote.udx() == null) {
      fail(DhtError.SERVER_ERROR.error("server did not send UDX data"));
    } else {
      boolean relayed = hs.peerAddress() != null;
      PeerAddress serverAddress = relayed ? hs.peerAddress() : relay;
      choosePath(remote, relayed, serverAddress, reply.to(), noise.result());
    }
  }

  private void choosePath(NoisePayload remote, boolean relayed, PeerAddress serverAddress, PeerAddress clientAddress,
      NoiseResult keys) {
    int remoteId = (int) remote.udx().id();
    boolean holepunchable = remote.holepunch() != null && !remote.holepunch().relays().isEmpty();
    if (remote.firewall() == NoisePayload.FIREWALL_OPEN || (relayed && !holepunchable)) {
      PeerAddress to = serverAddress;
      for (PeerAddress a : remote.addresses4()) {
        if (!PeerStreams.isBogon(a.host())) {
          to = a;
          break;
        }
      }
      connectTo(remoteId, to, keys);
      return;
    }
    if (firewallOpen) { // the server connects in to the address we announced
      PeerStreams.secure(stream, true, keyPair, keys, limits, init);
      stream.connectOnFirstPacket(remoteId);
      UdxStream s = stream;
      s.eventLoop().schedule(() -> {
        if (s.remoteAddress() == null) {
          scheduler.execute(() -> fail(DhtError.PEER_CONNECTION_FAILED.error("server did not connect in")));
        } else {
          result.complete(s);
        }
      }, PASSIVE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    if (relayed && clientAddress != null && clientAddress.host().equals(serverAddress.host())) {
      List<PeerAddress> lan = remote.addresses4().stream().filter(a -> !PeerStreams.isReserved(a.host())).toList();
      if (!lan.isEmpty()) {
        PeerAddress to = lan.get(0);
        rpc.ping(to).whenComplete((pong, e) -> scheduler.execute(() -> {
          if (e != null) fail(DhtError.CANNOT_HOLEPUNCH.error("LAN address %s did not answer", to));
          else connectTo(remoteId, to, keys);
        }));
        return;
      }
    }
    fail(DhtError.CANNOT_HOLEPUNCH.error("server %s needs holepunching, which is not supported", publicKey));
  }

  private void connectTo(int remoteId, PeerAddress to, NoiseResult keys) {
    if (result.isDone()) return;
    PeerStreams.secure(stream, true, keyPair, keys, limits, init);
    UdxStream s = stream;
    s.connect(remoteId, to.toSocketAddress()).addListener(f -> {
      if (f.isSuccess()) {
        if (!result.complete(s)) s.close();
      } else {
        scheduler.execute(() -> fail(f.cause()));
      }
    });
  }

  private void fail(Throwable e) {
    if (!result.completeExceptionally(e)) return;
    if (stream != null) stream.close();
  }
}
