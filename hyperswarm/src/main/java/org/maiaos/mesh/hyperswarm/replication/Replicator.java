package org.maiaos.mesh.hyperswarm.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.replication.BlockFetcher;
import org.maiaos.mesh.hypercore.replication.HeadListener;
import org.maiaos.mesh.hypercore.replication.ProofOutcome;
import org.maiaos.mesh.hypercore.replication.Replicable;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.HashedData;
import org.maiaos.mesh.hypercore.tree.MerkleTree;
import org.maiaos.mesh.hypercore.tree.ReorgBatch;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.RequestBlock;
import org.maiaos.mesh.hypercore.tree.RequestUpgrade;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;
import org.maiaos.mesh.hyperswarm.wire.Cancel;
import org.maiaos.mesh.hyperswarm.wire.NoData;
import org.maiaos.mesh.hyperswarm.wire.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates one core with any number of peers ({@code hypercore/alpha}, as JS
 * {@code lib/replicator.js} does for one core): serves requests from what is stored, learns and
 * verifies the remote length (eagerly, for a replica), fetches single blocks sparsely with proofs,
 * asks for availability with {@code want}, follows live appends and a writer's newer fork (a
 * truncation: see {@link #checkUpdates}), retries another peer on a timeout or {@code noData}, and
 * counts what it moves.
 *
 * <p>One thread owns all of its state (and each {@link Peer}'s); the transport and callers only
 * hand it events. Futures complete on that thread, never on a network event loop.
 */
public final class Replicator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** How much longer than our get timeout {@code Hypercore.get} waits for us. */
  static final Duration FETCH_GRACE = Duration.ofSeconds(1);
  /** How long {@link #close} waits for queued events (and a last sync) to finish. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  final Hypercore core;
  private final Replicable replicable; // the core's replication side: proofs, heads, missing blocks
  private final ReplicatorOptions options;
  private final ScheduledThreadPoolExecutor executor;
  private final List<Peer> peers = new ArrayList<>();
  private final InflightTracker inflight = new InflightTracker();
  private final Map<Long, BlockWait> waits = new HashMap<>();
  private final List<CompletableFuture<Long>> updateWaits = new ArrayList<>();
  private final Map<String, BiConsumer<Peer, byte[]>> extensions = new ConcurrentHashMap<>();
  private final HeadListener headListener = (prev, cur) -> run(() -> headChanged(prev, cur));
  private InflightRequest upgradeRequest;
  private ReorgBatch reorg; // a newer fork verified, its common ancestor with ours being looked for
  private InflightRequest reorgRequest;
  private long contiguous;
  private volatile TransferStats stats = TransferStats.ZERO;
  private long provenFrom = -1;
  private long provenTo = -1;
  private long provenFork = -1;
  private volatile boolean closed;
  private boolean shut; // replicator thread only: the close task ran; later tasks only fail their futures
  private final Set<CompletableFuture<Void>> downloads = ConcurrentHashMap.newKeySet();
  private boolean unsynced; // downloads stored since the last sync; replicator thread only
  private final AtomicInteger queued = new AtomicInteger(); // events handed to the thread, not yet started

  public Replicator(Hypercore core, ReplicatorOptions options) {
    this.core = core;
    this.replicable = core.replication();
    this.options = options;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hyperswarm-replicator-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    // close() lets queued events finish (never interrupting: they may be in file I/O) and drops timers
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    run(this::initContiguous);
    replicable.addHeadListener(headListener);
    // the core's own bound is a backstop behind ours, so our (more telling) timeout fires first
    if (!core.writable()) replicable.setBlockFetcher(BlockFetcher.of(options.getTimeout().plus(FETCH_GRACE), this::get));
  }

  public Replicator(Hypercore core) {
    this(core, ReplicatorOptions.DEFAULTS);
  }

  public Hypercore core() {
    return core;
  }

  /** A new peer on {@code channel}; the transport then feeds it open, messages and close. */
  public Peer attach(PeerChannel channel) {
    return new Peer(this, channel);
  }

  /**
   * Block {@code index}: at once if it is stored, else fetched from a peer that has it, verified
   * against the signed tree and stored. Fails with REQUEST_TIMEOUT after the get timeout and
   * frees its request if the future is cancelled.
   */
  public CompletableFuture<byte[]> get(long index) {
    if (index < 0) return CompletableFuture.failedFuture(CoreError.BAD_ARGUMENT.error("negative index %d", index));
    var local = core.getLocal(index);
    if (local.isPresent()) return CompletableFuture.completedFuture(local.get());
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(() -> addWait(index, f), f);
    f.whenComplete((v, e) -> {
      if (f.isCancelled()) run(() -> dropWait(index, f));
    });
    return f;
  }

  /** How many blocks a {@link #download} keeps requested at once. */
  static final int DOWNLOAD_WINDOW = 512;
  /**
   * A download tops its window up only once this many requests are answered, so requests leave,
   * and their answers come back, in bursts: one socket write, one wake-up of each thread and one
   * storage commit per burst instead of per block.
   */
  static final int DOWNLOAD_REFILL = 128;
  /**
   * From this many blocks on a download first builds the held-blocks bitfield: one scan of the
   * index beats a positional read per block; a small download of a huge sparse core would not.
   */
  static final int BULK_DOWNLOAD_BLOCKS = 1024;

  /**
   * Downloads blocks {@code [start, end)} (each verified and stored), keeping at most
   * {@link #DOWNLOAD_WINDOW} requested at once; completes when all are local, or fails with the
   * first block that could not be had.
   */
  public CompletableFuture<Void> download(long start, long end) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (start < 0 || end < start) {
      done.completeExceptionally(CoreError.BAD_ARGUMENT.error("bad range %d..%d", start, end));
      return done;
    }
    downloads.add(done);
    done.whenComplete((v, e) -> downloads.remove(done));
    if (end - start >= BULK_DOWNLOAD_BLOCKS) {
      // builds the held-blocks bitfield (one sequential read of the index, then kept current by every
      // commit), so that the has() checks below and on every stored block read memory, not the file
      core.heldWords(start - start % 32, new int[1]);
    }
    long[] state = {start, 0}; // next index, blocks in flight; only touched on the replicator thread
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (state[1] > DOWNLOAD_WINDOW - DOWNLOAD_REFILL) return; // more answers are due: top up in one burst later
      while (!done.isDone() && state[1] < DOWNLOAD_WINDOW && state[0] < end) {
        long i = state[0]++;
        if (core.has(i)) continue;
        state[1]++;
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        f.whenComplete((v, e) -> submit(() -> {
          state[1]--;
          if (e != null) done.completeExceptionally(e);
          else pump[0].run();
        }, done));
        waitForAbsent(i, f);
      }
      schedule(); // the whole burst of requests at once
      if (state[0] >= end && state[1] == 0) done.complete(null);
    };
    submit(pump[0], done);
    return done;
  }

  /**
   * Learns the newest length the peers have and verifies it (upgrade proof and signature): the
   * future holds the verified length once no peer claims more, or fails with REQUEST_TIMEOUT if
   * no peer answered in time.
   */
  public CompletableFuture<Long> update() {
    CompletableFuture<Long> f = new CompletableFuture<>();
    submit(() -> {
      updateWaits.add(f);
      executor.schedule(() -> {
        if (f.isDone()) return;
        updateWaits.remove(f);
        boolean anySynced = peers.stream().anyMatch(p -> p.synced);
        if (anySynced) f.complete(core.length());
        else f.completeExceptionally(CoreError.REQUEST_TIMEOUT.error("no peer synced core %s (discovery key %s) in %s", core.key(), core.discoveryKey(), options.getTimeout()));
      }, options.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
      checkUpdates();
    }, f);
    return f;
  }

  /** Handles extension {@code name} messages from any peer, on the replicator thread. */
  public void registerExtension(String name, BiConsumer<Peer, byte[]> handler) {
    extensions.put(name, handler);
  }

  /** Sends an extension message to every open peer. */
  public void broadcastExtension(String name, byte[] message) {
    byte[] copy = message.clone();
    run(() -> {
      for (Peer p : peers) p.sendExtension(name, copy);
    });
  }

  /** Sends an extension message to one peer. */
  public void sendExtension(Peer peer, String name, byte[] message) {
    byte[] copy = message.clone();
    run(() -> peer.sendExtension(name, copy));
  }

  /** Blocks and bytes downloaded (verified and stored) and uploaded, over all peers. */
  public TransferStats stats() {
    return stats;
  }

  /** The open peers, a snapshot taken on the replicator thread. */
  public CompletableFuture<List<Peer>> peers() {
    CompletableFuture<List<Peer>> f = new CompletableFuture<>();
    submit(() -> f.complete(List.copyOf(peers)), f);
    return f;
  }

  /** Hands an event to the replicator thread; after close it is dropped (events have no caller waiting). */
  void run(Runnable task) {
    submit(task, null, false);
  }

  /**
   * Hands over the arrival of a {@code data} message: unlike any other task, it does not first
   * store the proofs queued before it, so a burst of answers is verified and stored as one run.
   */
  void runData(Runnable task) {
    submit(task, null, true);
  }

  /**
   * Hands {@code task} to the replicator thread; if it cannot run (closed before it was submitted,
   * or before it started) or it throws, {@code owner} (a caller's future, or null) fails, so no
   * caller is left waiting.
   */
  private void submit(Runnable task, CompletableFuture<?> owner) {
    submit(task, owner, false);
  }

  private void submit(Runnable task, CompletableFuture<?> owner, boolean dataArrival) {
    if (closed) {
      failClosed(owner);
      return;
    }
    queued.incrementAndGet();
    try {
      executor.execute(() -> {
        queued.decrementAndGet();
        if (shut) {
          failClosed(owner);
          return;
        }
        try {
          if (!dataArrival) storeQueuedData(); // every other event sees the proofs that came before it
          task.run();
        } catch (RuntimeException e) {
          LOG.error("replicator task failed for {}", core.discoveryKey(), e);
          if (owner != null) owner.completeExceptionally(e);
        }
        if (queued.get() == 0 || ++burstEvents >= MAX_BURST_EVENTS) {
          try {
            endBurst();
          } catch (RuntimeException e) {
            LOG.error("ending a burst of events failed for {}", core.discoveryKey(), e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      failClosed(owner); // closed concurrently
    }
  }

  private HypercoreException closedError() {
    return CoreError.SESSION_CLOSED.error("replicator of %s closed", core.discoveryKey());
  }

  private void failClosed(CompletableFuture<?> owner) {
    if (owner != null && !owner.isDone()) owner.completeExceptionally(closedError());
  }

  // --- everything below runs on the replicator thread ---

  private void initContiguous() {
    long length = core.length();
    if (core.writable()) {
      contiguous = length;
      return;
    }
    long c = 0;
    while (c < length && core.has(c)) c++;
    contiguous = c;
  }

  long contiguousLength() {
    return contiguous;
  }

  /** Whether our tree can prove an upgrade from {@code from} to our length (sync's canUpgrade). */
  boolean canProveUpgrade(long from) {
    long to = core.length();
    long fork = core.fork();
    if (from == provenFrom && to == provenTo && fork == provenFork) return true;
    try {
      replicable.proof(new Request(0, fork, null, null, null, new RequestUpgrade(from, to - from), false, 0));
      provenFrom = from;
      provenTo = to;
      provenFork = fork;
      return true;
    } catch (HypercoreException e) {
      return false;
    }
  }

  void peerOpened(Peer p) {
    peers.add(p);
    LOG.debug("{} opened {}", p.describe(), core.discoveryKey());
    schedule();
  }

  void peerSynced(Peer p) {
    if (!core.writable() && canFollow(p) && p.remoteLength > core.length() && newerFork() == null) requestUpgrade(p);
    checkUpdates();
    schedule();
  }

  void availabilityChanged(Peer p) {
    schedule();
  }

  void peerClosed(Peer p) {
    if (!peers.remove(p)) return;
    List<InflightRequest> mine = new ArrayList<>();
    for (InflightRequest r : inflight.all()) {
      if (r.peer == p) mine.add(r);
    }
    for (InflightRequest r : mine) finish(r, true);
    checkUpdates();
    schedule();
  }

  /** Requests one peer may have waiting while it does not read our answers; more is misbehaviour. */
  static final int MAX_DEFERRED_REQUESTS = 4096;
  /** How often a peer whose connection is full is checked again, should no drained event come. */
  private static final long DRAIN_POLL_MILLIS = 50;

  /**
   * Answers a request, or, while the peer's connection is full, holds it back (in order) until the
   * connection drains: a peer that asks and never reads costs at most the buffer's high-water mark
   * and {@link #MAX_DEFERRED_REQUESTS} small requests, not a heap of answers.
   */
  void serve(Peer p, Request m) {
    if (!p.deferred.isEmpty() || !p.channel.writable()) {
      if (p.deferred.size() >= MAX_DEFERRED_REQUESTS) {
        p.fail(CoreError.INVALID_OPERATION.error("%d requests waiting while the peer does not read our answers",
            p.deferred.size()));
        return;
      }
      p.deferred.add(m);
      scheduleDrain(p);
      return;
    }
    answer(p, m);
  }

  private void scheduleDrain(Peer p) {
    if (p.drainScheduled || closed) return;
    p.drainScheduled = true;
    try {
      later(() -> drain(p), DRAIN_POLL_MILLIS);
    } catch (RejectedExecutionException e) {
      p.drainScheduled = false; // shutting down
    }
  }

  /** Drains {@code p}'s held-back requests now, on the replicator thread (the connection drained). */
  void drainSoon(Peer p) {
    run(() -> {
      if (!p.deferred.isEmpty()) drain(p);
    });
  }

  private void drain(Peer p) {
    p.drainScheduled = false;
    while (!p.deferred.isEmpty() && p.channel.writable()) answer(p, p.deferred.poll());
    if (!p.deferred.isEmpty()) scheduleDrain(p);
  }

  private void answer(Peer p, Request m) {
    try {
      // a block we lack fails the proof with BLOCK_NOT_AVAILABLE below: no read of the index first
      if (m.fork() != core.fork()) {
        p.send(MessageType.NO_DATA, Peer.encode(new NoData(m.id(), NoData.NOT_AVAILABLE), NoData::preencode, NoData::encode));
        return;
      }
      Data d = replicable.proof(m);
      if (d.block() != null) { // counted before the send, so a peer that has the block sees it counted
        long bytes = d.block().value().length;
        p.stats = p.stats.upload(bytes);
        stats = stats.upload(bytes);
      }
      p.send(MessageType.DATA, Peer.encode(d, Data::preencode, Data::encode));
    } catch (HypercoreException e) {
      boolean invalid = e.code() != CoreError.BLOCK_NOT_AVAILABLE;
      p.send(MessageType.NO_DATA, Peer.encode(new NoData(m.id(), invalid ? NoData.INVALID_REQUEST : NoData.NOT_AVAILABLE), NoData::preencode, NoData::encode));
      if (invalid && ++p.invalidRequests >= options.maxInvalidRequests()) {
        p.fail(CoreError.INVALID_OPERATION.error("%d invalid requests, last: %s", p.invalidRequests, e.getMessage()));
      }
    }
  }

  /**
   * Most proofs one run verifies and stores in one commit, and most bytes of blocks it holds: the
   * per-commit cost is paid per run, while a bigger frame of big blocks would only be a bigger
   * allocation (past 512 KiB one the collector treats as humongous).
   */
  static final int MAX_DATA_RUN = 256;
  static final long MAX_DATA_RUN_BYTES = 256 * 1024;

  /** A {@code data} message received, not yet verified: it waits for the rest of its burst. */
  private record QueuedData(Peer peer, HashedData hashed) {
    Data data() {
      return hashed.data();
    }
  }

  private final List<QueuedData> queuedData = new ArrayList<>();
  private long queuedDataBytes;

  /**
   * A peer's answer: queued, and verified and stored together with the answers that arrive with it
   * (one storage commit for the run) before any other event runs, or at once when the run is full.
   */
  void onData(Peer p, HashedData hashed) {
    Data d = hashed.data();
    queuedData.add(new QueuedData(p, hashed));
    queuedDataBytes += d.block() == null ? 0 : d.block().size();
    if (queuedData.size() >= MAX_DATA_RUN || queuedDataBytes >= MAX_DATA_RUN_BYTES) storeQueuedData();
  }

  /**
   * Verifies and stores the queued answers in arrival order: plain block proofs as runs through
   * {@link Replicable#verifyAndStoreHashedBlocks}, one commit each; upgrades, manifests and reorg steps
   * one at a time, each after the run before it.
   */
  private void storeQueuedData() {
    if (queuedData.isEmpty()) return;
    releaseCorks(); // a commit may take a while: what the burst sent so far leaves first
    List<QueuedData> all = List.copyOf(queuedData);
    queuedData.clear();
    queuedDataBytes = 0;
    List<QueuedData> run = new ArrayList<>();
    List<InflightRequest> runRequests = new ArrayList<>();
    for (QueuedData q : all) {
      InflightRequest asked = inflight.get(q.data().request());
      if (asked != null && asked.reorgStep != 0) storeRun(run, runRequests); // a reorg step may change the head
      InflightRequest req = claim(q.peer, q.data());
      if (req == null) continue;
      if (q.data().upgrade() == null && q.data().manifest() == null && core.manifest() != null) {
        run.add(q);
        runRequests.add(req);
        continue;
      }
      storeRun(run, runRequests);
      releaseCorks();
      VerifiedProof proof;
      try {
        proof = replicable.verifyAndStore(q.data());
      } catch (HypercoreException e) {
        refused(q.peer, req, e);
        continue;
      }
      stored(q.peer, proof);
    }
    storeRun(run, runRequests);
    checkUpdates();
    schedule();
  }

  private void storeRun(List<QueuedData> run, List<InflightRequest> requests) {
    if (run.isEmpty()) return;
    releaseCorks();
    List<HashedData> proofs = new ArrayList<>(run.size());
    for (QueuedData q : run) proofs.add(q.hashed);
    try {
      List<ProofOutcome> outcomes = replicable.verifyAndStoreHashedBlocks(proofs);
      for (int i = 0; i < outcomes.size(); i++) {
        ProofOutcome o = outcomes.get(i);
        if (o.error() != null) refused(run.get(i).peer, requests.get(i), o.error());
        else stored(run.get(i).peer, o.proof());
      }
    } catch (HypercoreException e) { // the commit itself failed: nothing of the run was stored
      for (int i = 0; i < run.size(); i++) refused(run.get(i).peer, requests.get(i), e);
    }
    run.clear();
    requests.clear();
  }

  /**
   * Matches an answer to the request it answers and finishes that request: the request when the
   * answer's proof is to be verified, null when it was handled here (unsolicited, stale, a reorg
   * step, or not the block asked for).
   */
  private InflightRequest claim(Peer p, Data d) {
    InflightRequest req = d.request() == 0 ? null : inflight.get(d.request());
    if (req == null || req.peer != p) {
      LOG.debug("{}: ignoring unsolicited data for request {}", p.describe(), d.request());
      return null;
    }
    finish(req, false);
    LOG.debug("{}: data for request {} (block {}): {}", p.describe(), d.request(), req.blockIndex, d);
    if (req.reorgStep != 0) {
      onReorgData(p, req, d);
      return null;
    }
    if (d.fork() == req.fork && req.fork < core.fork()) {
      return null; // asked before we followed a newer fork: an answer we no longer need, not the peer's fault
    }
    if (req.blockIndex >= 0 && (d.block() == null || d.block().index() != req.blockIndex)) {
      markTried(req, p);
      return null;
    }
    return req;
  }

  /** A proof that did not verify or could not be stored. */
  private void refused(Peer p, InflightRequest req, HypercoreException e) {
    if (e.code() == CoreError.INVALID_PROOF || e.code() == CoreError.INVALID_SIGNATURE || e.code() == CoreError.DECODING_ERROR) {
      p.fail(e); // nothing it sent was stored
    } else {
      LOG.error("storing data from {} for {} failed", p.describe(), core.discoveryKey(), e);
      markTried(req, p);
    }
  }

  /** A proof verified and stored: count it and hand its block to whoever waits for it. */
  private void stored(Peer p, VerifiedProof proof) {
    unsynced = true;
    if (proof.block() == null) return;
    long index = proof.block().index();
    byte[] value = proof.block().value();
    p.stats = p.stats.download(value.length);
    stats = stats.download(value.length);
    if (index == contiguous) advanceContiguous();
    BlockWait w = waits.remove(index);
    if (w != null) {
      if (w.deadline != null) w.deadline.cancel(false);
      for (CompletableFuture<byte[]> f : w.futures) f.complete(value);
    }
    for (Peer other : peers) {
      if (other != p) other.send(MessageType.RANGE, Peer.encode(new Range(false, index, 1), Range::preencode, Range::encode));
    }
  }

  void onNoData(Peer p, NoData m) {
    InflightRequest req = inflight.get(m.request());
    if (req == null || req.peer != p) return;
    finish(req, false);
    if (req.reorgStep != 0) {
      LOG.debug("{}: no proof of its fork {} ({})", p.describe(), req.fork, m.reason());
      p.reorgRefusedFork = req.fork;
      reorg = null;
    }
    markTried(req, p);
    checkUpdates();
    schedule();
  }

  void extensionReceived(Peer p, String name, byte[] message) {
    BiConsumer<Peer, byte[]> h = extensions.get(name);
    if (h == null) {
      LOG.debug("{}: no handler for extension {}", p.describe(), name);
      return;
    }
    h.accept(p, message);
  }

  private void headChanged(MerkleTree prev, MerkleTree cur) {
    if (cur.fork() != prev.fork()) {
      // a truncation here, or a newer fork followed: blocks past the common ancestor are gone
      long c = Math.min(contiguous, cur.length());
      while (c > 0 && !core.has(c - 1)) c--;
      contiguous = c;
      // requests made on the old fork get old answers or none: drop them and ask again on this one
      for (InflightRequest r : List.copyOf(inflight.all())) {
        if (r.reorgStep == 0 && r.fork != cur.fork()) cancel(r);
      }
      for (BlockWait w : waits.values()) w.tried.clear();
    } else if (cur.length() < prev.length()) {
      contiguous = Math.min(contiguous, cur.length());
    } else if (core.writable() && contiguous == prev.length()) {
      contiguous = cur.length();
      for (Peer p : peers) {
        p.send(MessageType.RANGE, Peer.encode(new Range(false, prev.length(), cur.length() - prev.length()), Range::preencode, Range::encode));
      }
    } else if (contiguous == prev.length()) {
      advanceContiguous();
    }
    for (Peer p : peers) p.sendSync(false);
    checkUpdates();
    schedule();
  }

  private void advanceContiguous() {
    long length = core.length();
    while (contiguous < length && core.has(contiguous)) contiguous++;
  }

  private void addWait(long index, CompletableFuture<byte[]> f) {
    if (queueWait(index, f)) schedule();
  }

  /** Registers a wait for block {@code index} without requesting it yet; false if it was local. */
  private boolean queueWait(long index, CompletableFuture<byte[]> f) {
    var local = core.getLocal(index);
    if (local.isPresent()) {
      f.complete(local.get());
      return false;
    }
    waitForAbsent(index, f);
    return true;
  }

  /**
   * Registers a wait for block {@code index}, which the caller found absent on this thread just
   * now (blocks are stored only on this thread, so it still is): no second read of the storage.
   */
  private void waitForAbsent(long index, CompletableFuture<byte[]> f) {
    BlockWait w = waits.computeIfAbsent(index, BlockWait::new);
    w.futures.add(f);
    if (w.deadline == null) {
      w.deadline = later(() -> expire(w), options.getTimeout().toMillis());
    }
  }

  private void dropWait(long index, CompletableFuture<byte[]> f) {
    BlockWait w = waits.get(index);
    if (w == null) return;
    w.futures.remove(f);
    if (!w.futures.isEmpty()) return;
    waits.remove(index);
    if (w.deadline != null) w.deadline.cancel(false);
    if (w.request != null) cancel(w.request);
  }

  private void expire(BlockWait w) {
    if (waits.get(w.index) != w) return;
    waits.remove(w.index);
    if (w.request != null) cancel(w.request);
    HypercoreException e = CoreError.REQUEST_TIMEOUT.error("block %d of %s not received in %s (%d peers tried)",
        w.index, core.discoveryKey(), options.getTimeout(), w.tried.size());
    for (CompletableFuture<byte[]> f : w.futures) f.completeExceptionally(e);
  }

  /** Sends what can be sent: a request for every waiting block some untried peer has. */
  private void schedule() {
    for (BlockWait w : waits.values()) {
      if (w.request != null) continue;
      Peer best = null;
      for (Peer p : peers) {
        if (!p.synced || p.closed || w.tried.contains(p) || p.remoteFork != core.fork()) continue;
        if (w.index >= core.length() && p.remoteLength <= w.index) continue;
        if (p.remoteHas(w.index)) {
          if (best == null || p.inflight < best.inflight) best = p;
        } else if (w.index < p.remoteLength) {
          p.want(w.index);
        }
      }
      if (best != null) requestBlock(w, best);
    }
  }

  private void requestBlock(BlockWait w, Peer p) {
    long length = core.length();
    boolean upgrade = w.index >= length;
    InflightRequest r = new InflightRequest(p, w.index, upgrade);
    long id = inflight.add(r);
    r.id = id;
    r.fork = p.remoteFork;
    Request m = new Request(id, p.remoteFork, new RequestBlock(w.index, replicable.missingNodes(2 * w.index)), null, null,
        upgrade ? new RequestUpgrade(length, p.remoteLength - length) : null, wantsManifest(p), 1);
    LOG.debug("{}: requesting block {} as {}", p.describe(), w.index, m);
    send(r, m);
    w.request = r;
  }

  private void requestUpgrade(Peer p) {
    if (upgradeRequest != null) return;
    long length = core.length();
    InflightRequest r = new InflightRequest(p, -1, true);
    long id = inflight.add(r);
    r.id = id;
    r.fork = p.remoteFork;
    send(r, new Request(id, p.remoteFork, null, null, null, new RequestUpgrade(length, p.remoteLength - length), wantsManifest(p), 0));
    upgradeRequest = r;
  }

  /**
   * Whether we can take an upgrade from {@code p}: it is on our fork, or we are still empty and it
   * is on a fork no older than ours (the signature covers the fork, so an empty replica adopts the
   * fork it first verifies). A non-empty replica follows a newer fork with a reorg instead.
   */
  private boolean canFollow(Peer p) {
    return p.remoteFork == core.fork() || (core.length() == 0 && p.remoteFork > core.fork());
  }

  /**
   * A synced peer on a newer fork than our non-empty replica's, which has not refused to prove it:
   * the newest such fork (JS {@code _updateFork}); null if none.
   */
  private Peer newerFork() {
    if (core.writable() || core.length() == 0) return null;
    Peer best = null;
    long fork = core.fork();
    for (Peer p : peers) {
      if (!p.synced || p.closed || p.remoteFork <= fork || p.remoteLength == 0 || p.reorgRefusedFork == p.remoteFork) continue;
      if (best == null || p.remoteFork > best.remoteFork) best = p;
    }
    return best;
  }

  /**
   * The next step of following {@code p}'s newer fork, as JS does ({@code _requestForkProof}, then
   * {@code _requestForkRange} until the common ancestor is known): first an upgrade from 0 on its
   * fork (its whole signed head), then hash proofs of the new tree where ours may differ.
   */
  private void requestReorg(Peer p) {
    if (reorg != null && (reorg.fork() != p.remoteFork || reorg.base() != replicable.head())) reorg = null; // stale
    InflightRequest r = new InflightRequest(p, -1, false);
    long id = inflight.add(r);
    r.id = id;
    r.fork = p.remoteFork;
    Request m;
    if (reorg == null) {
      r.reorgStep = InflightRequest.FORK_PROOF;
      m = new Request(id, p.remoteFork, null, null, null, new RequestUpgrade(0, p.remoteLength), wantsManifest(p), 0);
    } else {
      r.reorgStep = InflightRequest.FORK_HASH;
      m = reorg.request(id);
    }
    LOG.debug("{}: following fork {}: {}", p.describe(), p.remoteFork, m);
    send(r, m);
    reorgRequest = r;
  }

  private void onReorgData(Peer p, InflightRequest req, Data d) {
    try {
      if (req.reorgStep == InflightRequest.FORK_PROOF) {
        reorg = replicable.verifyReorg(d);
      } else if (reorg != null && reorg.fork() == req.fork) {
        reorg.update(d);
      }
      if (reorg != null && reorg.finished()) {
        ReorgBatch done = reorg;
        reorg = null;
        LOG.debug("{}: applying {}", p.describe(), done);
        replicable.applyReorg(done); // the head listener then re-requests what waits
      }
    } catch (HypercoreException e) {
      reorg = null;
      if (e.code() == CoreError.INVALID_PROOF || e.code() == CoreError.INVALID_SIGNATURE || e.code() == CoreError.DECODING_ERROR) {
        p.fail(e); // nothing it sent was stored
      } else {
        LOG.warn("following fork {} of {} from {} failed: {}", req.fork, core.discoveryKey(), p.describe(), e.getMessage());
        if (e.code() != CoreError.INVALID_OPERATION) p.reorgRefusedFork = req.fork; // our head moving is retried
      }
    }
    checkUpdates();
    schedule();
  }

  private boolean wantsManifest(Peer p) {
    return core.manifest() == null && p.remoteHasManifest;
  }

  private void send(InflightRequest r, Request m) {
    r.peer.inflight++;
    r.timeout = later(() -> timedOut(r), options.requestTimeout().toMillis());
    r.peer.send(MessageType.REQUEST, Peer.encode(m, Request::preencode, Request::encode));
  }

  private void timedOut(InflightRequest r) {
    if (inflight.get(r.id) != r) return;
    LOG.debug("{}: request {} timed out", r.peer.describe(), r.id);
    cancel(r);
    if (r.reorgStep != 0) {
      r.peer.reorgRefusedFork = r.fork;
      reorg = null;
    }
    markTried(r, r.peer);
    checkUpdates();
    schedule();
  }

  private void cancel(InflightRequest r) {
    if (inflight.get(r.id) != r) return;
    r.peer.send(MessageType.CANCEL, Peer.encode(new Cancel(r.id), Cancel::preencode, Cancel::encode));
    finish(r, false);
  }

  /** Forgets an inflight request; {@code peerGone} marks its block as tried on that peer too. */
  private void finish(InflightRequest r, boolean peerGone) {
    if (inflight.get(r.id) != r) return;
    inflight.remove(r.id);
    r.peer.inflight--;
    if (r.timeout != null) r.timeout.cancel(false);
    if (r == upgradeRequest) upgradeRequest = null;
    if (r == reorgRequest) reorgRequest = null;
    if (r.blockIndex >= 0) {
      BlockWait w = waits.get(r.blockIndex);
      if (w != null && w.request == r) {
        w.request = null;
        if (peerGone) w.tried.add(r.peer);
      }
    }
  }

  private void markTried(InflightRequest r, Peer p) {
    if (r.blockIndex < 0) return;
    BlockWait w = waits.get(r.blockIndex);
    if (w != null) w.tried.add(p);
  }

  /**
   * Follows a peer on a newer fork (never an older one), else upgrades from a peer that is ahead
   * on ours, and completes update() callers once none is.
   */
  private void checkUpdates() {
    if (upgradeRequest != null || reorgRequest != null) return;
    Peer newer = newerFork();
    if (newer != null) {
      requestReorg(newer);
      return;
    }
    Peer ahead = null;
    if (!core.writable()) {
      for (Peer p : peers) {
        if (p.synced && canFollow(p) && p.remoteLength > core.length()) ahead = p;
      }
    }
    if (ahead != null) {
      requestUpgrade(ahead);
      return;
    }
    if (updateWaits.isEmpty() || peers.stream().noneMatch(p -> p.synced)) return;
    long length = core.length();
    for (CompletableFuture<Long> f : updateWaits) f.complete(length);
    updateWaits.clear();
  }

  /**
   * Fails every waiting caller ({@code get}, {@code download}, {@code update}, {@code peers}) with
   * SESSION_CLOSED, makes the downloads durable and stops the thread; the transport closes the
   * channels. Work handed in later fails at once with SESSION_CLOSED. The thread is never
   * interrupted (an interrupt inside {@code FileChannel.force} closes the core's files): if it
   * does not finish within {@link #CLOSE_WAIT}, that is logged and it is left to finish.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    replicable.removeHeadListener(headListener);
    replicable.setBlockFetcher(null);
    try {
      executor.execute(this::shutDown); // it shuts the executor down last, so earlier tasks may still schedule timers
    } catch (RejectedExecutionException e) {
      executor.shutdown();
    }
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the replicator of {} did not stop within {}; left to finish, not interrupted", core.discoveryKey(), CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A timer on the replicator thread; like any event, it first stores the answers queued before it. */
  private ScheduledFuture<?> later(Runnable task, long millis) {
    return executor.schedule(() -> {
      try {
        storeQueuedData();
        task.run();
      } finally {
        endBurst();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** Most events one burst takes before what it sent leaves and what it stored is synced. */
  static final int MAX_BURST_EVENTS = 64;
  private int burstEvents;
  private final Set<Peer> corkedPeers = new LinkedHashSet<>(); // a peer whose batch filled up may cork again

  /**
   * Sends what the burst batched so far. The cork is the whole stream's, so it is never held across
   * a storage commit or a sync: other channels on the stream would wait for them too.
   */
  private void releaseCorks() {
    for (Peer p : corkedPeers) p.uncork();
    corkedPeers.clear();
  }

  /** Peer {@code p} holds messages of this burst in a Protomux batch. */
  void corked(Peer p) {
    corkedPeers.add(p);
  }

  /**
   * The end of a burst of events (the queue ran empty, or it took {@link #MAX_BURST_EVENTS}): its
   * queued answers are stored and what it sent leaves, one batch per peer; once the queue is empty,
   * one sync makes the downloads stored so far durable (group commit).
   */
  private void endBurst() {
    burstEvents = 0;
    try {
      storeQueuedData();
    } finally {
      releaseCorks();
    }
    if (unsynced && queued.get() == 0) {
      unsynced = false;
      replicable.sync();
    }
  }

  /** The last task on the replicator thread: fail every caller, free the requests, sync. */
  private void shutDown() {
    try {
      endBurst(); // answers that came before the close still count, and what was sent leaves
    } catch (RuntimeException ex) {
      LOG.warn("storing the last answers for {} at close: {}", core.discoveryKey(), ex.toString());
    }
    shut = true;
    try {
      HypercoreException e = closedError();
      for (BlockWait w : waits.values()) {
        if (w.deadline != null) w.deadline.cancel(false);
        for (CompletableFuture<byte[]> f : w.futures) f.completeExceptionally(e);
      }
      waits.clear();
      for (CompletableFuture<Long> f : updateWaits) f.completeExceptionally(e);
      updateWaits.clear();
      for (CompletableFuture<Void> d : List.copyOf(downloads)) d.completeExceptionally(e);
      for (InflightRequest r : inflight.all()) {
        if (r.timeout != null) r.timeout.cancel(false);
      }
      if (unsynced) {
        unsynced = false;
        replicable.sync();
      }
    } catch (RuntimeException ex) {
      LOG.warn("closing the replicator of {}: {}", core.discoveryKey(), ex.toString());
    } finally {
      executor.shutdown(); // queued tasks still run, and only fail their futures; timers are dropped
    }
  }

  /** How many blocks callers wait for, counted on the replicator thread (for tests). */
  CompletableFuture<Integer> waitingBlocks() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    submit(() -> f.complete(pendingWaits()), f);
    return f;
  }

  /** Drops waits with nobody left waiting (for tests and bookkeeping). */
  int pendingWaits() {
    for (Iterator<BlockWait> it = waits.values().iterator(); it.hasNext();) {
      if (it.next().futures.isEmpty()) it.remove();
    }
    return waits.size();
  }
}
