package org.maiaos.mesh.hyperswarm.dht;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;
import org.maiaos.mesh.hyperswarm.dht.messages.Announce;
import org.maiaos.mesh.hyperswarm.dht.messages.LookupRawReply;
import org.maiaos.mesh.hyperswarm.dht.messages.MutableGetResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.MutablePutRequest;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/**
 * The storing side of commands 2–9 on a persistent node ({@code lib/persistent.js}). As in JS, a
 * request that fails a check (no target, no token for a write, bad signature, undecodable value,
 * wrong hash) gets no answer at all; only the mutable seq rules answer with an error (16, 17).
 * Scheduler thread only; ages use the scheduler clock, the bump drift check the wall clock (bumps
 * are wall-clock timestamps chosen by the announcer).
 */
final class Persistent {
  static final int MAX_RECORDS_PER_REPLY = 20;
  static final int MAX_RELAY_ADDRESSES = 3;
  static final long MAX_BUMP_DRIFT_MILLIS = 60_000;

  private final Supplier<Key32> nodeId;
  private final LongSupplier wallClock;
  private final HyperDhtLimits limits;
  final TtlCache<Key32, Route> routes;
  final RecordCache records;
  private final TtlCache<Key32, Long> bumps;
  private final TtlCache<Key32, Refresh> refreshes;
  private final TtlCache<Key32, MutableGetResponse> mutables;
  private final TtlCache<Key32, byte[]> immutables;

  private record Refresh(Key32 target, PeerRecord record, boolean announceSelf) { }

  Persistent(Supplier<Key32> nodeId, LongSupplier clock, LongSupplier wallClock, HyperDhtLimits limits) {
    this.nodeId = nodeId;
    this.wallClock = wallClock;
    this.limits = limits;
    int max = limits.maxCacheEntries();
    long age = limits.recordMaxAge().toMillis();
    long dataAge = limits.dataMaxAge().toMillis();
    this.routes = new TtlCache<>(max, age, clock);
    this.records = new RecordCache(max, age, clock);
    this.bumps = new TtlCache<>(max, age, clock);
    this.refreshes = new TtlCache<>(max, age, clock);
    this.mutables = new TtlCache<>(Math.max(1, max / 2), dataAge, clock);
    this.immutables = new TtlCache<>(Math.max(1, max / 2), dataAge, clock);
  }

  /** Dispatches commands 2–9; false for any other command. */
  boolean onRequest(long command, StoreRequest req) {
    switch ((int) command) {
      case HyperCommands.FIND_PEER: onFindPeer(req); return true;
      case HyperCommands.LOOKUP: onLookup(req); return true;
      case HyperCommands.ANNOUNCE: onAnnounce(req); return true;
      case HyperCommands.UNANNOUNCE: onUnannounce(req); return true;
      case HyperCommands.MUTABLE_PUT: onMutablePut(req); return true;
      case HyperCommands.MUTABLE_GET: onMutableGet(req); return true;
      case HyperCommands.IMMUTABLE_PUT: onImmutablePut(req); return true;
      case HyperCommands.IMMUTABLE_GET: onImmutableGet(req); return true;
      default: return false;
    }
  }

  void onLookup(StoreRequest req) {
    if (req.target() == null) return;
    List<PeerRecord> peers = records.get(req.target(), MAX_RECORDS_PER_REPLY);
    Long bump = bumps.get(req.target());
    Route fwd = routes.get(req.target());
    if (fwd != null && peers.size() < MAX_RECORDS_PER_REPLY) peers.add(fwd.record());
    req.reply(peers.isEmpty() ? null : new LookupRawReply(peers, bump == null ? 0 : bump).toBytes());
  }

  void onFindPeer(StoreRequest req) {
    if (req.target() == null) return;
    Route fwd = routes.get(req.target());
    req.reply(fwd == null ? null : fwd.record().toBytes());
  }

  /** Drops our own record for {@code target} (a local unannounce, {@code Persistent.unannounce}). */
  void unannounce(Key32 target, Key32 publicKey) {
    if (HyperCrypto.hash(publicKey).equals(target)) routes.remove(target);
    records.remove(target, publicKey);
  }

  void onUnannounce(StoreRequest req) {
    Key32 id = nodeId.get();
    if (req.target() == null || req.token() == null || id == null) return;
    Announce unann = decodeAnnounce(req.value());
    if (unann == null || unann.peer() == null || unann.signature() == null) return;
    byte[] signable = HyperCrypto.announceSignable(HyperCrypto.NS_UNANNOUNCE, req.target(), id, req.token(),
        unann.peer(), unann.refresh());
    if (!Ed25519.verify(signable, unann.signature(), unann.peer().publicKey())) return;
    unannounce(req.target(), unann.peer().publicKey());
    req.replyBare();
  }

  void onAnnounce(StoreRequest req) {
    Key32 id = nodeId.get();
    if (req.target() == null || req.token() == null || id == null) return;
    Announce ann = decodeAnnounce(req.value());
    if (ann == null) return;
    if (ann.peer() == null) {
      if (ann.refresh() != null) onRefresh(ann.refresh(), req);
      return;
    }
    byte[] signable = HyperCrypto.announceSignable(HyperCrypto.NS_ANNOUNCE, req.target(), id, req.token(), ann.peer(),
        ann.refresh());
    if (ann.signature() == null || !Ed25519.verify(signable, ann.signature(), ann.peer().publicKey())) return;

    PeerRecord peer = ann.peer();
    if (peer.relayAddresses().size() > MAX_RELAY_ADDRESSES) {
      peer = new PeerRecord(peer.publicKey(), peer.relayAddresses().subList(0, MAX_RELAY_ADDRESSES));
    }
    Key32 target = req.target();
    boolean announceSelf = HyperCrypto.hash(peer.publicKey()).equals(target);
    if (announceSelf) {
      routes.set(target, new Route(req.from(), peer));
      records.remove(target, peer.publicKey());
    } else {
      Long current = bumps.get(target);
      long cur = current == null ? 0 : current;
      if (ann.bump() > cur && ann.bump() <= wallClock.getAsLong() + MAX_BUMP_DRIFT_MILLIS) bumps.set(target, ann.bump());
      records.add(target, peer);
    }
    if (ann.refresh() != null) refreshes.set(ann.refresh(), new Refresh(target, peer, announceSelf));
    req.replyBare();
  }

  /** A peer-less announce whose refresh value hashes to a stored one re-activates that record. */
  private void onRefresh(Key32 preimage, StoreRequest req) {
    Key32 active = HyperCrypto.hash(preimage);
    Refresh r = refreshes.get(active);
    if (r == null) return;
    if (r.announceSelf()) {
      routes.set(r.target(), new Route(req.from(), r.record()));
      records.remove(r.target(), r.record().publicKey());
    } else {
      records.add(r.target(), r.record());
    }
    refreshes.remove(active);
    refreshes.set(preimage, r);
    req.replyBare();
  }

  void onMutableGet(StoreRequest req) {
    if (req.target() == null || req.value() == null) return;
    long seq;
    try {
      seq = Uint.decode(State.of(req.value()));
    } catch (HypercoreException e) {
      return;
    }
    MutableGetResponse local = mutables.get(req.target());
    req.reply(local == null || local.seq() < seq ? null : local.toBytes());
  }

  void onMutablePut(StoreRequest req) {
    if (req.target() == null || req.token() == null || req.value() == null) return;
    if (req.value().length > limits.maxValueBytes() + 200) return; // key, seq, length and signature fit in 200
    MutablePutRequest p;
    try {
      p = MutablePutRequest.fromBytes(req.value());
    } catch (HypercoreException e) {
      return;
    }
    if (p.value().length > limits.maxValueBytes()) return;
    if (!HyperCrypto.hash(p.publicKey()).equals(req.target())) return;
    if (!HyperCrypto.verifyMutable(p.signature(), p.seq(), p.value(), p.publicKey())) return;
    MutableGetResponse existing = mutables.get(req.target());
    if (existing != null) {
      if (existing.seq() == p.seq() && !java.util.Arrays.equals(existing.value(), p.value())) {
        req.error(HyperCommands.SEQ_REUSED);
        return;
      }
      if (p.seq() < existing.seq()) {
        req.error(HyperCommands.SEQ_TOO_LOW);
        return;
      }
    }
    mutables.set(req.target(), new MutableGetResponse(p.seq(), p.value(), p.signature()));
    req.reply(null);
  }

  void onImmutableGet(StoreRequest req) {
    if (req.target() == null) return;
    byte[] v = immutables.get(req.target());
    req.reply(v == null ? null : v.clone());
  }

  void onImmutablePut(StoreRequest req) {
    if (req.target() == null || req.token() == null || req.value() == null) return;
    byte[] v = req.value();
    if (v.length > limits.maxValueBytes()) return;
    if (!HyperCrypto.hash(v).equals(req.target())) return;
    immutables.set(req.target(), v.clone());
    req.reply(null);
  }

  private static Announce decodeAnnounce(byte[] value) {
    if (value == null) return null;
    try {
      return Announce.fromBytes(value);
    } catch (HypercoreException e) {
      return null;
    }
  }
}
