package org.maiaos.mesh.node.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.maiaos.mesh.cojson.storage.model.CoValueIds;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.node.sync.protocol.LoadMessage;
import org.maiaos.mesh.node.sync.protocol.ReconcileAckMessage;
import org.maiaos.mesh.node.sync.protocol.ReconcileMessage;

/**
 * Internal. {@code reconcile} ({@code sync.ts handleReconcile}): for every listed CoValue whose
 * sessions hash differs from ours, or that we do not hold, the client gets a {@code load} with our
 * known state; the batch is acknowledged once every such CoValue was answered by the client
 * ({@code known} or {@code content}), or at once when none needed it.
 */
final class ReconcileFlow {
  private static final class Batch {
    final PeerState peer;
    final String id;
    final Set<String> pending = new LinkedHashSet<>();
    int unchecked;

    Batch(PeerState peer, String id, int unchecked) {
      this.peer = peer;
      this.id = id;
      this.unchecked = unchecked;
    }
  }

  private final SyncEngine engine;
  private final Map<PeerState, List<Batch>> open = new HashMap<>();

  ReconcileFlow(SyncEngine engine) {
    this.engine = engine;
  }

  void onReconcile(PeerState p, ReconcileMessage r) {
    List<ReconcileMessage.Entry> entries = new ArrayList<>();
    for (ReconcileMessage.Entry v : r.values()) if (CoValueIds.isWellFormed(v.coValueId(), 128)) entries.add(v);
    Batch b = new Batch(p, r.id(), entries.size());
    open.computeIfAbsent(p, x -> new ArrayList<>()).add(b);
    if (entries.isEmpty()) settle(b);
    for (ReconcileMessage.Entry v : entries) {
      CoValueEntry e = engine.entry(v.coValueId(), p);
      e.whenLoaded(() -> e.afterStores(() -> {
        if (!e.found()) {
          b.pending.add(e.id);
          p.told().add(e.id); // sync.ts: a reconcile load counts as telling the client our state
          engine.send(p, new LoadMessage(KnownState.empty(e.id)));
        } else if (!v.sessionsHash().equals(engine.verification().sessionsHash(e.durable))) {
          b.pending.add(e.id);
          p.told().add(e.id);
          engine.send(p, new LoadMessage(e.durable));
        }
        b.unchecked--;
        settle(b);
      }));
    }
  }

  /** The client answered about {@code coValueId}: batches waiting for it may be complete. */
  void heard(PeerState p, String coValueId) {
    List<Batch> batches = open.get(p);
    if (batches == null) return;
    for (Batch b : new ArrayList<>(batches)) if (b.pending.remove(coValueId)) settle(b);
  }

  private void settle(Batch b) {
    if (b.unchecked > 0 || !b.pending.isEmpty()) return;
    List<Batch> batches = open.get(b.peer);
    if (batches == null || !batches.remove(b)) return;
    if (batches.isEmpty()) open.remove(b.peer);
    engine.send(b.peer, new ReconcileAckMessage(b.id));
  }

  void disconnected(PeerState p) {
    open.remove(p);
  }
}
