package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * The iterative Kademlia query of {@code dht-rpc/lib/query.js}. Candidates sit on a stack and are
 * asked while they are closer than the k-th best reply so far; each reply's closer nodes are pushed
 * until the first one that is not closer. A timed-out node is marked down and every node that
 * referred us to it gets a DOWN_HINT. The query ends when nothing is pending and nothing (or only
 * slow, already re-sent requests with k replies in hand) is in flight; then the optional commit
 * runs once per closest reply. Runs on the node's scheduler thread.
 */
public final class Query {
  private static final Object DONE = new Object();
  private static final Object DOWN = new Object();

  private final DhtRpc dht;
  private final Key32 target;
  private final byte[] targetBytes;
  private final boolean internal;
  private final long command;
  private final byte[] value;
  private final QueryOptions opts;
  private final int k;
  private final int retries;
  private final CompletableFuture<QueryResult> finished = new CompletableFuture<>();
  private final List<Reply> closestReplies = new ArrayList<>();
  private final List<Candidate> pending = new ArrayList<>();
  private final Map<String, Object> seen = new HashMap<>();
  int concurrency;
  private int inflight;
  private int slow;
  private boolean slowdown;
  private boolean fromTable;
  private boolean committing;
  private int successes;
  private int errors;

  private record Candidate(PeerAddress address, Key32 id) { }

  Query(DhtRpc dht, Key32 target, boolean internal, long command, byte[] value, QueryOptions opts) {
    this.dht = dht;
    this.target = target;
    this.targetBytes = target.toByteArray();
    this.internal = internal;
    this.command = command;
    this.value = value == null ? null : value.clone();
    this.opts = opts;
    this.k = RoutingTable.K; // a constant: the query may be built off the scheduler thread
    this.concurrency = opts.concurrency() > 0 ? opts.concurrency() : dht.concurrency();
    this.retries = opts.retries() >= 0 ? opts.retries() : internal && command == Commands.DOWN_HINT ? 3 : 5;
    if (opts.nodes() != null) {
      for (int i = opts.nodes().size() - 1; i >= 0; i--) {
        PeerAddress a = opts.nodes().get(i);
        addPending(new Candidate(a, a.id()), null);
      }
    }
  }

  public Key32 target() {
    return target;
  }

  public long command() {
    return command;
  }

  public byte[] value() {
    return value == null ? null : value.clone();
  }

  /** Completes with the closest replies once the query (and its commit phase) is done. */
  public CompletableFuture<QueryResult> finished() {
    return finished;
  }

  void start() {
    addFromTable();
    if (pending.size() < k) {
      for (PeerAddress b : dht.bootstrapNodes()) addPending(new Candidate(b, b.id()), null);
    }
    readMore();
  }

  private void addFromTable() {
    if (pending.size() >= k) return;
    fromTable = true;
    for (Node n : dht.table().closest(target, k - pending.size())) addPending(new Candidate(n.address, n.id), null);
  }

  private boolean isCloser(Key32 id) {
    return closestReplies.size() < k || compare(id, closestReplies.get(closestReplies.size() - 1).fromId()) < 0;
  }

  @SuppressWarnings("unchecked")
  private boolean addPending(Candidate node, PeerAddress ref) {
    String addr = node.address.key();
    Object refs = seen.get(addr);
    boolean closer = isCloser(node.id);
    if (refs == DONE) return closer;
    if (refs == DOWN) {
      if (ref != null) downHint(ref, node.address);
      return closer;
    }
    if (refs != null) {
      if (ref != null) ((List<PeerAddress>) refs).add(ref);
      return closer;
    }
    if (!closer) return false;
    List<PeerAddress> list = new ArrayList<>(1);
    if (ref != null) list.add(ref);
    seen.put(addr, list);
    pending.add(node);
    return true;
  }

  private void readMore() {
    if (committing || finished.isDone()) return;
    int c = (slowdown ? 3 : concurrency) + slow;
    while (inflight < c && !pending.isEmpty()) {
      Candidate next = pending.remove(pending.size() - 1);
      if (!isCloser(next.id)) continue;
      visit(next);
    }
    // from cached nodes: give the closest a chance to answer before going broad
    if (!fromTable && successes == 0 && errors == 0) slowdown = true;
    if (!pending.isEmpty()) return;
    if (inflight == 0 || (slow == inflight && closestReplies.size() >= k)) {
      if (!fromTable && successes < k / 4) {
        addFromTable();
        readMore();
        return;
      }
      flush();
    }
  }

  private void visit(Candidate to) {
    inflight++;
    OutgoingRequest req = dht.newRequest(to.address, to.id, null, internal, command, target, value);
    req.retries = retries;
    boolean[] cycled = {false};
    req.onCycle = () -> {
      if (cycled[0]) return;
      cycled[0] = true;
      slow++;
      readMore();
    };
    req.result.whenComplete((reply, err) -> {
      if (cycled[0]) slow--;
      cycled[0] = true; // no more cycles count from here
      inflight--;
      if (err == null) onReply(reply, to);
      else onError(err, to);
    });
    dht.sendRequest(req, false);
  }

  private void onReply(Reply m, Candidate to) {
    seen.put(to.address.key(), DONE);
    if (committing || finished.isDone()) return;
    if (m.error() == 0) successes++;
    else errors++;
    if (m.error() == 0 && m.fromId() != null && isCloser(m.fromId())) pushClosest(m);
    for (PeerAddress n : m.closerNodes()) {
      Key32 id = n.id();
      if (id.equals(dht.table().id())) continue;
      if (!addPending(new Candidate(n, id), m.from())) break;
    }
    if (!fromTable && successes + errors >= concurrency) slowdown = false;
    if (m.error() == 0 && opts.onReply() != null) opts.onReply().accept(m);
    readMore();
  }

  @SuppressWarnings("unchecked")
  private void onError(Throwable err, Candidate to) {
    String addr = to.address.key();
    Object refs = seen.get(addr);
    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
        ? err.getCause() : err;
    if (cause instanceof HypercoreException he && he.code() == RpcError.REQUEST_TIMEOUT) {
      seen.put(addr, DOWN);
      if (refs instanceof List<?> list) {
        for (PeerAddress ref : (List<PeerAddress>) list) downHint(ref, to.address);
      }
    }
    errors++;
    readMore();
  }

  private void downHint(PeerAddress node, PeerAddress down) {
    dht.sendDownHint(node, down);
  }

  private void pushClosest(Reply m) {
    closestReplies.add(m);
    for (int i = closestReplies.size() - 2; i >= 0; i--) {
      Reply prev = closestReplies.get(i);
      int cmp = compare(prev.fromId(), m.fromId());
      if (cmp < 0) break;
      if (cmp == 0) {
        closestReplies.remove(i + 1);
        break;
      }
      closestReplies.set(i + 1, prev);
      closestReplies.set(i, m);
    }
    if (closestReplies.size() > k) closestReplies.remove(closestReplies.size() - 1);
  }

  /** XOR distance order towards the target. */
  private int compare(Key32 a, Key32 b) {
    byte[] x = a.toByteArray();
    byte[] y = b.toByteArray();
    for (int i = 0; i < x.length; i++) {
      if (x[i] == y[i]) continue;
      int t = targetBytes[i] & 0xFF;
      return (t ^ (x[i] & 0xFF)) - (t ^ (y[i] & 0xFF));
    }
    return 0;
  }

  private void flush() {
    if (committing) return;
    committing = true;
    QueryResult result = new QueryResult(closestReplies, successes, errors);
    if (opts.commit() == null) {
      finished.complete(result);
      return;
    }
    if (closestReplies.isEmpty()) {
      finished.completeExceptionally(RpcError.TOO_FEW_NODES.error("Too few nodes responded"));
      return;
    }
    AtomicInteger left = new AtomicInteger(closestReplies.size());
    AtomicInteger ok = new AtomicInteger();
    Throwable[] last = new Throwable[1];
    for (Reply r : List.copyOf(closestReplies)) {
      CompletableFuture<?> f;
      try {
        f = opts.commit().commit(r, dht, this);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, e) -> {
        if (e == null) ok.incrementAndGet();
        else last[0] = e;
        if (left.decrementAndGet() > 0) return;
        if (ok.get() > 0) finished.complete(result);
        else finished.completeExceptionally(last[0]);
      });
    }
  }

  /** Ends the query now with REQUEST_DESTROYED (the node is closing). */
  void destroy() {
    finished.completeExceptionally(RpcError.REQUEST_DESTROYED.error("query destroyed"));
  }
}
