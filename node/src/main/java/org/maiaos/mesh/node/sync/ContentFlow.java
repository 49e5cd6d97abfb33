package org.maiaos.mesh.node.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.SessionIds;
import org.maiaos.mesh.cojson.storage.model.SessionNewContent;
import org.maiaos.mesh.cojson.storage.model.Transaction;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.node.sync.protocol.KnownMessage;
import org.maiaos.mesh.node.sync.protocol.LoadMessage;
import org.maiaos.mesh.node.sync.verify.DeleteRules;
import org.maiaos.mesh.node.sync.verify.GroupRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal. Incoming {@code content} ({@code sync.ts handleNewContent}), on the engine thread. Per
 * CoValue, messages are taken strictly in arrival order; the head of the queue waits until what
 * verifying it needs is there (the value's own entry, the owning group and the accounts of its
 * sessions, loaded from storage or asked of the sending client, and the hash chain of every
 * session it extends). Then each session's unseen tail is verified against its signer; what
 * passes is queued for storage, and once durable the sender gets {@code known} and every other
 * subscribed client what it lacks.
 */
final class ContentFlow {
  private static final Logger LOG = LoggerFactory.getLogger(ContentFlow.class);

  private enum Readiness { READY, WAIT, DROPPED }

  private final SyncEngine engine;
  /** Entries whose queue head waits for a dependency to become available, by dependency id. */
  private final Map<String, Set<CoValueEntry>> waitingOn = new HashMap<>();
  /** Dependencies a client said it does not have (answering our load with header false). */
  private final Map<PeerState, Set<String>> refused = new HashMap<>();
  /** Dependencies asked of a client already, so one load goes out per client and id. */
  private final Map<PeerState, Set<String>> asked = new HashMap<>();

  ContentFlow(SyncEngine engine) {
    this.engine = engine;
  }

  void onContent(PeerState p, ContentMessage msg) {
    onContent(p, msg, engine.dependencyTimeout());
  }

  /** {@code dependencyWait}: how long the message may wait for a dependency neither stored nor sent. */
  void onContent(PeerState p, ContentMessage msg, java.time.Duration dependencyWait) {
    if (!p.subscribed(msg.id())) p.replace(KnownState.empty(msg.id()));
    CoValueEntry e = engine.entry(msg.id(), p);
    e.queue.add(new CoValueEntry.Pending(p, msg, System.nanoTime() + dependencyWait.toNanos()));
    drain(e);
  }

  /** A {@code known} from {@code p}: if it says it lacks a dependency we asked it for, content waiting on it gives up. */
  void peerAnswered(PeerState p, KnownState k) {
    if (k.header() || !asked.getOrDefault(p, Set.of()).contains(k.id())) return;
    refused.computeIfAbsent(p, x -> new HashSet<>()).add(k.id());
    wake(k.id());
  }

  private void drain(CoValueEntry e) {
    while (!e.blocked && !e.queue.isEmpty()) {
      if (e.status == CoValueEntry.Status.LOADING) {
        block(e, null);
        e.whenLoaded(() -> unblock(e));
        return;
      }
      CoValueEntry.Pending head = e.queue.peek();
      if (head.from().errored(e.id)) {
        e.queue.poll();
        head.from().connection.ended();
        continue;
      }
      Readiness r = ready(e, head);
      if (r == Readiness.WAIT) return;
      e.queue.poll();
      if (r == Readiness.READY) apply(e, head);
      else head.from().connection.ended();
    }
  }

  private void block(CoValueEntry e, String dependency) {
    e.blocked = true;
    e.waitingFor = dependency;
  }

  private void unblock(CoValueEntry e) {
    if (!e.blocked) return;
    e.blocked = false;
    e.waitingFor = null;
    drain(e);
  }

  private void wake(String dependency) {
    Set<CoValueEntry> waiting = waitingOn.remove(dependency);
    if (waiting == null) return;
    for (CoValueEntry w : waiting) if (dependency.equals(w.waitingFor)) unblock(w);
  }

  private Readiness ready(CoValueEntry e, CoValueEntry.Pending head) {
    ContentMessage msg = head.msg();
    PeerState p = head.from();
    if (!e.found() && msg.header() == null) {
      // sync.ts: unknown value and no header: ask the sender for everything
      engine.send(p, new KnownMessage(KnownState.empty(e.id), true));
      return Readiness.DROPPED;
    }
    CoValueHeader header = e.found() ? e.header : msg.header();
    if (!e.found()) {
      String why = engine.verification().checkHeader(header);
      if (why != null) {
        LOG.warn("{}: {} rejected: {}", p, e.id, why);
        return Readiness.DROPPED;
      }
    }
    Set<String> deps = dependencies(e, header, msg);
    for (String dep : deps) {
      CoValueEntry d = engine.entry(dep, p);
      if (d.status != CoValueEntry.Status.LOADING) continue;
      block(e, dep); // storage first, as the reference does, before asking the client
      d.whenLoaded(() -> {
        if (dep.equals(e.waitingFor)) unblock(e);
      });
      return Readiness.WAIT;
    }
    String missing = null;
    for (String dep : deps) {
      if (engine.entry(dep, p).found()) continue;
      if (refused.getOrDefault(p, Set.of()).contains(dep) || System.nanoTime() > head.deadlineNanos()) {
        LOG.warn("{}: content of {} dropped: its dependency {} is neither stored nor sent by the client", p, e.id, dep);
        return Readiness.DROPPED;
      }
      // every missing dependency is asked for at once (coValueCore.ts loads them all), each once per client
      if (asked.computeIfAbsent(p, x -> new HashSet<>()).add(dep)) engine.send(p, new LoadMessage(KnownState.empty(dep)));
      if (missing == null) missing = dep;
    }
    if (missing != null) {
      String dep = missing;
      block(e, dep);
      waitingOn.computeIfAbsent(dep, x -> new LinkedHashSet<>()).add(e);
      long delay = Math.max(0, head.deadlineNanos() - System.nanoTime()) + 1_000_000;
      engine.loop().schedule(() -> {
        if (dep.equals(e.waitingFor)) unblock(e);
      }, delay, TimeUnit.NANOSECONDS);
      return Readiness.WAIT;
    }
    for (Map.Entry<String, SessionNewContent> s : msg.sessions().entrySet()) {
      String sid = s.getKey();
      long have = e.verified.count(sid);
      if (have == 0 || e.chains.containsKey(sid) || s.getValue().after() > have || s.getValue().end() <= have) continue;
      Key32 signer = signer(sid, e, header);
      if (signer == null) continue; // apply() marks it errored
      replayChain(e, sid, signer, have);
      return Readiness.WAIT;
    }
    if (e.ownerRoles == null && carriesDeleteMarker(e, header, msg)) {
      loadOwnerRoles(e, header);
      return Readiness.WAIT;
    }
    return Readiness.READY;
  }

  /** Whether a delete session of {@code msg} brings a delete marker (malformed deletes fail later, in apply). */
  private static boolean carriesDeleteMarker(CoValueEntry e, CoValueHeader header, ContentMessage msg) {
    for (Map.Entry<String, SessionNewContent> s : msg.sessions().entrySet()) {
      if (!SessionIds.isDeleteSession(s.getKey())) continue;
      try {
        if (DeleteRules.deleteMarker(header, s.getKey(), e.verified.count(s.getKey()), SyncEngine.tail(s.getValue(), e.verified.count(s.getKey()))) != null) {
          return "ownedByGroup".equals(header.rulesetType());
        }
      } catch (HypercoreException ex) {
        // rejected in apply()
      }
    }
    return false;
  }

  /** Reads the owning group's transactions from storage to decide whether the delete's author is its admin. */
  private void loadOwnerRoles(CoValueEntry e, CoValueHeader header) {
    block(e, null);
    String group = header.tree().get("ruleset").get("group").textValue();
    CoValueEntry g = engine.entry(group);
    CoValueHeader groupHeader = g.header;
    KnownState groupState = g.verified;
    g.afterStores(() -> engine.worker().read(() -> {
      Map<String, List<Transaction>> sessions = new LinkedHashMap<>();
      groupState.sessions().forEach((sid, n) -> sessions.put(sid, engine.worker().storage().loadTransactions(group, sid, 0, n)));
      GroupRoles roles = GroupRoles.of(groupHeader, sessions);
      engine.loop().execute(() -> {
        e.ownerRoles = roles;
        unblock(e);
      });
    }));
  }

  /** The owning group, meta.source and the accounts of the sessions this message extends; not the value itself. */
  private static Set<String> dependencies(CoValueEntry e, CoValueHeader header, ContentMessage msg) {
    Set<String> deps = new LinkedHashSet<>(header.dependencies());
    for (String sid : msg.sessions().keySet()) {
      String account = SessionIds.authorAccount(sid);
      if (account != null) deps.add(account);
    }
    deps.remove(e.id);
    return deps;
  }

  /** Rebuilds a session's hash chain from what storage holds (once per activation of the value). */
  private void replayChain(CoValueEntry e, String sid, Key32 signer, long count) {
    block(e, null);
    engine.worker().read(() -> {
      List<Transaction> stored = engine.worker().storage().loadTransactions(e.id, sid, 0, count);
      engine.loop().execute(() -> {
        e.chains.put(sid, engine.verification().replay(sid, signer, stored));
        unblock(e);
      });
    });
  }

  /** The key that signs {@code sid}: its agent's, or for an account session the account's initial admin's; null (logged) if none. */
  private Key32 signer(String sid, CoValueEntry e, CoValueHeader header) {
    String account = SessionIds.authorAccount(sid);
    try {
      CoValueHeader accountHeader = account == null ? null : account.equals(e.id) ? header : engine.entry(account).header;
      return engine.verification().signer(sid, accountHeader);
    } catch (HypercoreException ex) {
      LOG.warn("no signer for session {} of {}: {}", sid, e.id, ex.getMessage());
      return null;
    }
  }

  private void apply(CoValueEntry e, CoValueEntry.Pending head) {
    PeerState p = head.from();
    ContentMessage msg = head.msg();
    CoValueHeader header = e.found() ? e.header : msg.header();
    boolean invalid = false;
    boolean errored = false;
    Map<String, SessionNewContent> accepted = new LinkedHashMap<>();
    for (Map.Entry<String, SessionNewContent> s : msg.sessions().entrySet()) {
      String sid = s.getKey();
      long have = e.verified.count(sid);
      if (s.getValue().after() > have) {
        invalid = true;
        continue;
      }
      List<Transaction> fresh = SyncEngine.tail(s.getValue(), have);
      if (fresh.isEmpty()) continue;
      if (e.deleted && !SessionIds.isDeleteSession(sid)) continue; // a deleted value takes delete sessions only
      String deleteProblem = SessionIds.isDeleteSession(sid) ? checkDelete(e, header, sid, have, fresh) : null;
      if (deleteProblem != null) {
        LOG.warn("{}: {} delete in session {} rejected: {}", p, e.id, sid, deleteProblem);
        errored = true;
        continue;
      }
      SessionChain chain = e.chains.get(sid);
      if (chain == null) {
        Key32 signer = signer(sid, e, header);
        if (signer == null) {
          errored = true;
          continue;
        }
        chain = engine.verification().newChain(sid, signer);
        e.chains.put(sid, chain);
      }
      String why = chain.append(fresh, s.getValue().lastSignature());
      if (why != null) {
        LOG.warn("{}: {} session {} rejected: {}", p, e.id, sid, why);
        errored = true;
        continue;
      }
      accepted.put(sid, new SessionNewContent(have, fresh, s.getValue().lastSignature()));
      if (SessionIds.isDeleteSession(sid) && isDelete(header, sid, have, fresh)) {
        e.deleted = true;
        engine.worker().storage().markDeleteAsValid(e.id);
      }
      e.verified = e.verified.withSession(sid, have + fresh.size());
    }
    CoValueHeader newHeader = null;
    if (!e.found()) {
      newHeader = msg.header();
      e.status = CoValueEntry.Status.FOUND;
      e.header = newHeader;
      e.verified = e.verified.withHeader(true);
      wake(e.id);
    }
    // sync.ts: a bad signature marks the value errored for the sender; the rest of the message still counts
    if (errored) p.markErrored(e.id);
    p.holds(msg);
    final boolean correction = invalid;
    if (accepted.isEmpty() && newHeader == null) {
      e.afterStores(() -> {
        engine.markInMemory(e);
        acknowledge(p, e, correction);
        engine.forward(e); // sync.ts runs its forwarding loop for every content message, new or not
      });
      return;
    }
    ContentMessage toStore = new ContentMessage(e.id, newHeader, header.priority(), accepted, null);
    e.storesInFlight++;
    // verified: subscribers that can take it as it is get it now (as the reference forwards before its
    // write); the sender's ack, and anything cut from storage, wait until it is durable
    engine.push(e, p, toStore);
    engine.worker().store(toStore, stored -> {
      e.durable = PeerState.max(e.durable, stored);
      engine.markInMemory(e);
      e.storeDone();
      acknowledge(p, e, correction);
      engine.forward(e);
      engine.stored(p, e.id);
    }, failure -> {
      LOG.error("{}: storing {} failed; closing the connection, nothing was acknowledged", p, e.id);
      e.storeDone();
      p.connection.close();
      p.connection.ended();
    });
  }

  /** Null when the delete-session piece follows cojson's delete rules, else why not. */
  private static String checkDelete(CoValueEntry e, CoValueHeader header, String sid, long have, List<Transaction> fresh) {
    try {
      Transaction marker = DeleteRules.deleteMarker(header, sid, have, fresh);
      if (marker != null) DeleteRules.checkAuthorMayDelete(header, sid, marker, e.ownerRoles);
      return null;
    } catch (HypercoreException ex) {
      return ex.getMessage();
    } finally {
      e.ownerRoles = null;
    }
  }

  private static boolean isDelete(CoValueHeader header, String sid, long have, List<Transaction> fresh) {
    try {
      return DeleteRules.deleteMarker(header, sid, have, fresh) != null;
    } catch (HypercoreException ex) {
      return false;
    }
  }

  /** The ack a client waits for (waitForSync): our whole state, a correction when it assumed content we lack. */
  private void acknowledge(PeerState p, CoValueEntry e, boolean correction) {
    engine.send(p, new KnownMessage(e.durable, correction));
    p.told().add(e.id);
    if (!correction) engine.reconciled(p, e.id);
    p.connection.ended();
  }

  /** Forgets what was asked of a client that has gone. */
  void disconnected(PeerState p) {
    refused.remove(p);
    asked.remove(p);
  }

  List<String> debugWaiting() {
    return new ArrayList<>(waitingOn.keySet());
  }
}
