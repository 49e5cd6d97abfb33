package org.maiaos.mesh.hyperswarm.dht;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.Announce;
import org.maiaos.mesh.hyperswarm.dht.messages.NoisePayload;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpc;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryOptions;
import org.maiaos.mesh.hyperswarm.dht.rpc.QueryResult;
import org.maiaos.mesh.hyperswarm.dht.rpc.Reply;
import org.maiaos.mesh.hyperswarm.dht.rpc.Scheduler;

/**
 * Keeps a listening server findable ({@code hyperdht/lib/announcer.js}): a FIND_PEER query for
 * H(publicKey), a signed ANNOUNCE to the three closest nodes, which become its relays; then every
 * 3 s a ping to each relay, and after 100 rounds (about 5 minutes, well inside the storers' 20
 * minute record lifetime) or when fewer than min(3, n) relays answer, the update again. Relays
 * that drop out of an update are sent a signed UNANNOUNCE, and so is every relay on stop.
 * Scheduler thread only, apart from {@link #relays()} and {@link #relayAddresses()}.
 */
final class Announcer {
  static final int RELAYS = 3;
  static final long PING_INTERVAL_MILLIS = 3000;
  static final int ROUNDS_PER_UPDATE = 100;

  private final DhtRpc rpc;
  private final Scheduler scheduler;
  private final KeyPair keyPair;
  private final Key32 target;
  private final PeerRecord record;
  private Map<String, PeerAddress> current = new LinkedHashMap<>();
  private List<PeerAddress> closestNodes;
  private volatile List<NoisePayload.RelayInfo> relays = List.of();
  private volatile List<PeerAddress> relayAddresses = List.of();
  private Scheduler.Cancellable timer;
  private int round;
  private boolean updating;
  private boolean stopped;

  Announcer(DhtRpc rpc, Scheduler scheduler, KeyPair keyPair, Key32 target) {
    this.rpc = rpc;
    this.scheduler = scheduler;
    this.keyPair = keyPair;
    this.target = target;
    this.record = new PeerRecord(keyPair.publicKey(), List.of());
  }

  PeerRecord record() {
    return record;
  }

  /** The nodes that accepted our announce and where each saw us. */
  List<NoisePayload.RelayInfo> relays() {
    return relays;
  }

  /** Our public address if reachable, then the relays: what clients may connect through. */
  List<PeerAddress> relayAddresses() {
    return relayAddresses;
  }

  /** The first update; the background loop starts when it completes. */
  CompletableFuture<Void> start() {
    return update().thenRun(() -> scheduler.execute(this::schedulePing));
  }

  /** Stops the loop and unannounces from the current relays. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      stopped = true;
      if (timer != null) timer.cancel();
      unannounceAll(List.copyOf(current.values())).whenComplete((v, e) -> done.complete(null));
    });
    return done;
  }

  private CompletableFuture<Void> update() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      if (stopped || updating) {
        done.complete(null);
        return;
      }
      updating = true;
      QueryOptions opts = closestNodes == null ? QueryOptions.DEFAULT : QueryOptions.DEFAULT.withNodes(closestNodes);
      rpc.query(target, HyperCommands.FIND_PEER, null, opts).finished()
          .handle((res, e) -> res == null ? new QueryResult(List.of(), 0, 0) : res)
          .thenCompose(res -> rpc.remoteAddress().thenCompose(self -> commit(res, self)))
          .whenComplete((v, e) -> scheduler.execute(() -> {
            updating = false;
            done.complete(null);
          }));
    });
    return done;
  }

  private CompletableFuture<Void> commit(QueryResult res, PeerAddress self) {
    List<Reply> best = res.closestReplies().subList(0, Math.min(RELAYS, res.closestReplies().size()));
    List<CompletableFuture<Reply>> acks = new ArrayList<>();
    for (Reply r : best) acks.add(announceTo(r));
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null).thenCompose(v -> {
      CompletableFuture<Void> out = new CompletableFuture<>();
      scheduler.execute(() -> {
        List<NoisePayload.RelayInfo> newRelays = new ArrayList<>();
        List<PeerAddress> addresses = new ArrayList<>();
        if (self != null) addresses.add(self);
        Map<String, PeerAddress> accepted = new LinkedHashMap<>();
        for (int i = 0; i < best.size(); i++) {
          Reply ack = acks.get(i).getNow(null);
          if (ack == null || ack.error() != 0) continue;
          Reply r = best.get(i);
          if (addresses.size() < RELAYS) addresses.add(r.from());
          newRelays.add(new NoisePayload.RelayInfo(r.from(), r.to()));
          accepted.put(r.from().key(), r.from());
        }
        List<PeerAddress> dropped = new ArrayList<>();
        for (Map.Entry<String, PeerAddress> old : current.entrySet()) {
          if (!accepted.containsKey(old.getKey())) dropped.add(old.getValue());
        }
        if (stopped) {
          dropped.addAll(accepted.values()); // stopped meanwhile: take it all back
          accepted.clear();
        }
        current = accepted;
        closestNodes = res.closestNodes();
        relays = List.copyOf(newRelays);
        relayAddresses = List.copyOf(addresses);
        unannounceAll(dropped).whenComplete((x, e) -> out.complete(null));
      });
      return out;
    });
  }

  private CompletableFuture<Reply> announceTo(Reply r) {
    if (r.token() == null || r.fromId() == null) return CompletableFuture.failedFuture(DhtError.NO_TOKEN.error("no token"));
    byte[] sig = HyperCrypto.signAnnounce(target, r.fromId(), r.token(), record, null, keyPair);
    return rpc.requestOnLoop(r.token(), HyperCommands.ANNOUNCE, target, new Announce(record, null, sig, 0).toBytes(),
        r.from());
  }

  /** A fresh token from each node (a FIND_PEER request), then a signed UNANNOUNCE; best effort. */
  private CompletableFuture<Void> unannounceAll(List<PeerAddress> nodes) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (PeerAddress to : nodes) {
      all.add(rpc.request(null, HyperCommands.FIND_PEER, target, null, to).thenCompose(r -> {
        if (r.token() == null || r.fromId() == null || r.value() == null) return CompletableFuture.completedFuture(null);
        byte[] sig = HyperCrypto.signUnannounce(target, r.fromId(), r.token(), record, keyPair);
        return rpc.request(r.token(), HyperCommands.UNANNOUNCE, target, new Announce(record, null, sig, 0).toBytes(), to);
      }).handle((v, e) -> null));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  private void schedulePing() {
    if (stopped) return;
    timer = scheduler.schedule(PING_INTERVAL_MILLIS, this::pingRound);
  }

  private void pingRound() {
    if (stopped) return;
    if (++round >= ROUNDS_PER_UPDATE) {
      round = 0;
      update().thenRun(() -> scheduler.execute(this::schedulePing));
      return;
    }
    List<PeerAddress> nodes = List.copyOf(current.values());
    List<CompletableFuture<Boolean>> pings = new ArrayList<>();
    for (PeerAddress n : nodes) pings.add(rpc.ping(n).handle((r, e) -> e == null));
    CompletableFuture.allOf(pings.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> scheduler.execute(() -> {
      long alive = pings.stream().filter(p -> p.getNow(false)).count();
      if (alive < Math.min(nodes.size(), RELAYS)) { // as JS: no relays at all waits for the next update
        round = 0;
        update().thenRun(() -> scheduler.execute(this::schedulePing));
      } else {
        schedulePing();
      }
    }));
  }
}
