package org.maiaos.mesh.hyperswarm.dht;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.Handshake;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerHolepunch;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.IncomingRequest;

/**
 * PEER_HANDSHAKE and PEER_HOLEPUNCH routing ({@code hyperdht/lib/router.js}): a node relays a
 * client's Noise message to the server that announced itself here (its {@link Route}), relays the
 * server's answer back to the client, and answers directly for a server of its own. Nothing here
 * trusts the payload: it is opaque and end-to-end authenticated by Noise. A message we cannot
 * route is dropped (the sender's request times out), as in JS.
 *
 * <p>Every path sends at most one datagram per datagram received and amplifies nothing.
 */
final class Router {
  /** A server listening on this node. */
  interface LocalServer {
    /** The record FIND_PEER answers with. */
    PeerRecord record();

    /**
     * The server's Noise answer to a client's first message, or null to stay silent.
     * {@code clientAddress} is where the relay saw the client, or null for a direct handshake;
     * {@code from} sent the request (the client itself if direct).
     */
    CompletableFuture<byte[]> onHandshake(byte[] noise, PeerAddress clientAddress, PeerAddress from);
  }

  private final Map<Key32, LocalServer> servers = new ConcurrentHashMap<>();
  private final Persistent persistent;

  Router(Persistent persistent) {
    this.persistent = persistent;
  }

  /** False if a server already listens on {@code target}. */
  boolean listen(Key32 target, LocalServer server) {
    return servers.putIfAbsent(target, server) == null;
  }

  void unlisten(Key32 target, LocalServer server) {
    servers.remove(target, server);
  }

  LocalServer server(Key32 target) {
    return target == null ? null : servers.get(target);
  }

  /** Where a server announced itself from, if it did so here. Scheduler thread. */
  PeerAddress relayFor(Key32 target) {
    Route r = target == null ? null : persistent.routes.get(target);
    return r == null ? null : r.relay();
  }

  // ---------------------------------------------------------------- PEER_HANDSHAKE

  void onPeerHandshake(IncomingRequest req) {
    Handshake hs = decodeHandshake(req.value());
    if (hs == null) return;
    LocalServer server = server(req.target());
    if (server != null) {
      answerAsServer(server, hs, req);
      return;
    }
    PeerAddress relay = relayFor(req.target());
    switch (hs.mode()) {
      case Handshake.FROM_CLIENT -> {
        if (relay == null && hs.relayAddress() == null) {
          req.reply(null, false, true); // we cannot route it: help the client with closer nodes
          return;
        }
        req.relay(new Handshake(Handshake.FROM_RELAY, hs.noise(), req.from(), null).toBytes(),
            hs.relayAddress() != null ? hs.relayAddress() : relay);
      }
      case Handshake.FROM_RELAY -> {
        if (relay == null) return;
        req.relay(new Handshake(Handshake.FROM_SECOND_RELAY, hs.noise(), hs.peerAddress(), req.from()).toBytes(), relay);
      }
      case Handshake.FROM_SERVER -> {
        if (hs.peerAddress() == null) return;
        req.reply(new Handshake(Handshake.REPLY, hs.noise(), req.from(), null).toBytes(), false, false, hs.peerAddress(), null);
      }
      default -> { }
    }
  }

  private static void answerAsServer(LocalServer server, Handshake hs, IncomingRequest req) {
    int mode = hs.mode();
    if (mode != Handshake.FROM_CLIENT && mode != Handshake.FROM_RELAY && mode != Handshake.FROM_SECOND_RELAY) return;
    if (mode == Handshake.FROM_SECOND_RELAY && hs.relayAddress() == null) return;
    PeerAddress client = hs.peerAddress() != null ? hs.peerAddress() : req.from();
    CompletableFuture<byte[]> answer;
    try {
      answer = server.onHandshake(hs.noise(), hs.peerAddress() == null ? null : client, req.from());
    } catch (RuntimeException e) {
      return;
    }
    answer.whenComplete((noise, e) -> {
      if (e != null || noise == null) return;
      switch (mode) {
        case Handshake.FROM_CLIENT -> req.reply(new Handshake(Handshake.REPLY, noise, null, null).toBytes(), false, false);
        case Handshake.FROM_RELAY ->
            req.relay(new Handshake(Handshake.FROM_SERVER, noise, hs.peerAddress(), null).toBytes(), req.from());
        default -> req.relay(new Handshake(Handshake.FROM_SERVER, noise, hs.peerAddress(), null).toBytes(), hs.relayAddress());
      }
    });
  }

  // ---------------------------------------------------------------- PEER_HOLEPUNCH (relay role only)

  /**
   * Relays holepunch rounds between a client and a server that announced here. Our own servers
   * never offer holepunching (their handshake reply names no holepunch relays), so a round
   * addressed to one of them is dropped.
   */
  void onPeerHolepunch(IncomingRequest req) {
    PeerHolepunch hp = decodeHolepunch(req.value());
    if (hp == null) return;
    switch (hp.mode()) {
      case Handshake.FROM_CLIENT -> {
        PeerAddress relay = relayFor(req.target());
        if (hp.peerAddress() == null && relay == null) return;
        req.relay(new PeerHolepunch(Handshake.FROM_RELAY, hp.id(), hp.payload(), req.from()).toBytes(),
            hp.peerAddress() != null ? hp.peerAddress() : relay);
      }
      case Handshake.FROM_SERVER -> {
        if (hp.peerAddress() == null) return;
        req.reply(new PeerHolepunch(Handshake.REPLY, hp.id(), hp.payload(), req.from()).toBytes(), false, false,
            hp.peerAddress(), null);
      }
      default -> { }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Handshake decodeHandshake(byte[] value) {
    if (value == null) return null;
    try {
      return Handshake.fromBytes(value);
    } catch (HypercoreException e) {
      return null;
    }
  }

  private static PeerHolepunch decodeHolepunch(byte[] value) {
    if (value == null) return null;
    try {
      return PeerHolepunch.fromBytes(value);
    } catch (HypercoreException e) {
      return null;
    }
  }
}
