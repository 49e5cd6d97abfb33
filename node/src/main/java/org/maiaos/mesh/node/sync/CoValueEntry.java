package org.maiaos.mesh.node.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.cojson.storage.model.CoValueHeader;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;

/**
 * Internal. The server's state of one CoValue, owned by the engine thread: whether storage holds
 * it, its header, what is durable and what is verified (durable plus stores in flight), the
 * verification chain of every session touched since it was activated, and the content waiting
 * to be processed in arrival order.
 */
final class CoValueEntry {
  enum Status { LOADING, FOUND, MISSING }

  /** Content received from a peer, processed strictly in arrival order per CoValue. */
  record Pending(PeerState from, ContentMessage msg, long deadlineNanos) {}

  final String id;
  Status status = Status.LOADING;
  CoValueHeader header;
  KnownState durable;
  KnownState verified;
  final Map<String, SessionChain> chains = new HashMap<>();
  /** The owning group's roles, read from storage for the delete at the queue's head; cleared once it is applied. */
  org.maiaos.mesh.node.sync.verify.GroupRoles ownerRoles;
  /** A verified delete was accepted: later content keeps only delete sessions ({@code sync.ts}). */
  boolean deleted;
  final Deque<Pending> queue = new ArrayDeque<>();
  /** Set while the queue's head waits for something (a dependency, a chain replay); cleared when it is ready again. */
  boolean blocked;
  /** The dependency the head waits for, or null when it waits for a load or a chain replay. */
  String waitingFor;
  /** Stores submitted and not yet durable; replies that report our state wait for them. */
  int storesInFlight;
  final List<Runnable> afterStores = new ArrayList<>();
  private List<Runnable> onLoaded = new ArrayList<>();

  CoValueEntry(String id) {
    this.id = id;
    this.durable = KnownState.empty(id);
    this.verified = durable;
  }

  void loaded(CoValueHeader header, KnownState stored) {
    this.status = header == null ? Status.MISSING : Status.FOUND;
    this.header = header;
    this.durable = stored == null ? KnownState.empty(id) : stored;
    this.verified = this.durable;
    List<Runnable> run = onLoaded;
    onLoaded = new ArrayList<>();
    run.forEach(Runnable::run);
  }

  /** Runs {@code r} now if the entry is loaded, else once it is. */
  void whenLoaded(Runnable r) {
    if (status == Status.LOADING) onLoaded.add(r);
    else r.run();
  }

  /** Runs {@code r} once every store submitted so far is durable (now, if none is in flight). */
  void afterStores(Runnable r) {
    if (storesInFlight == 0) r.run();
    else afterStores.add(r);
  }

  void storeDone() {
    if (--storesInFlight == 0) {
      List<Runnable> run = new ArrayList<>(afterStores);
      afterStores.clear();
      run.forEach(Runnable::run);
    }
  }

  boolean found() {
    return status == Status.FOUND;
  }
}
