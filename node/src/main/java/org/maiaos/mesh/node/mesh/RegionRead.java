package org.maiaos.mesh.node.mesh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.maiaos.mesh.cojson.storage.model.ContentMessage;
import org.maiaos.mesh.cojson.storage.model.KnownState;
import org.maiaos.mesh.cojson.storage.model.Limits;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read of a CoValue in one peer region's bee: cojson storage's {@code loadSince} over the
 * sparse replica (the value's key range and its dependencies', beyond what we hold), run on a
 * reader thread without waiting for the network. A block it misses is requested and the attempt
 * ends; once the blocks it asked for are verified and stored the read starts again, so each
 * attempt gets further, and no thread ever waits for a peer. Every block arrives with its Merkle
 * proof against the region's signed tree; the cojson content itself is verified later, as a
 * client's.
 *
 * <p>A B-tree walk would so cost a round trip per level. On the first miss the read also asks the
 * region which blocks the whole read visits ({@link MeshReadAhead}, answered by its {@link
 * ReadAheadServer}) and fetches them all at once: a cold read costs two round trips (the question,
 * then the blocks), whatever the bee's size. The answer is a hint; a block it left out is still
 * fetched on the next miss.
 *
 * <p>A read that a change hint started (another region's write of a value we follow) first fetches
 * the blocks that write appended, named by the hint's length, in one round trip once the signed
 * upgrade is here: the changed value's path is then local.
 *
 * <p>A region that is not connected is read from what its replica holds: a miss there ends the
 * read with nothing from that region.
 */
final class RegionRead {
  private static final Logger LOG = LoggerFactory.getLogger(RegionRead.class);
  /** Attempts at most (each needs at least one new block): far more than a walk of any bee needs. */
  static final int MAX_ATTEMPTS = 64;

  private final RegionMesh.PeerRegion region;
  private final String id;
  private final Function<String, KnownState> have;
  private final Executor readers;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  /** How long a read waits for the upgrade a change hint announced before it asks for it. */
  static final java.time.Duration UPGRADE_WAIT = java.time.Duration.ofSeconds(5);
  /** Read-aheads one read asks at most: a busy region answers some empty. */
  static final int MAX_READ_AHEADS = 3;
  /** How long the read waits for a read-ahead answer before it goes on without one. */
  static final java.time.Duration READ_AHEAD_WAIT = java.time.Duration.ofSeconds(5);

  private int attempts;
  private int roundTrips;
  /** Read-aheads asked; one answered with blocks ends the asking (see {@link #fetchListed}). */
  private int askedAhead;
  private long fetched;

  /**
   * What a read found, and what it cost: attempts, round trips (waits on the network: the length
   * update, the read-ahead with the first misses, the blocks it listed, any later miss), blocks fetched.
   */
  record Result(String region, List<ContentMessage> content, int attempts, int roundTrips, long blocksFetched) {}

  private RegionRead(RegionMesh.PeerRegion region, String id, Function<String, KnownState> have, Executor readers) {
    this.region = region;
    this.id = id;
    this.have = have;
    this.readers = readers;
  }

  /**
   * Starts the read; the future completes normally, with no content when the region could not
   * answer. {@code hintedLength}: the length the region's bee had after the write a change hint
   * announced for {@code id} (0 without a hint).
   */
  static CompletableFuture<Result> start(RegionMesh.PeerRegion region, String id, long hintedLength, Function<String, KnownState> have,
      Executor readers) {
    RegionRead r = new RegionRead(region, id, have, readers);
    var core = region.replicator().core();
    long announced = region.announcedLength();
    CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
    if (region.connected() && core.length() < announced) {
      // the region said its bee grew: its replicator is told the new length too and fetches the
      // signed upgrade (a round trip the read waits for, and counts); ask for it only if it does not come
      r.roundTrips++;
      ready = reached(core, announced).completeOnTimeout(false, UPGRADE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .thenCompose(came -> came ? CompletableFuture.completedFuture(null) : region.replicator().update().exceptionally(e -> null));
    }
    if (region.connected() && hintedLength > 0) ready = ready.thenCompose(v -> r.fetchAppended(hintedLength));
    ready.whenComplete((v, e) -> r.attempt());
    return r.result;
  }

  /**
   * The newest {@link #MAX_APPENDED} blocks of the bee as a change hint's write left it (up to
   * {@code length}), those not held all asked at once. The write's blocks, the bee's new root
   * (always its last block) among them, are the newest ones, so the read of the changed value then
   * finds its path here instead of missing the root, then the rest, a round trip each.
   */
  private CompletableFuture<Void> fetchAppended(long length) {
    var core = region.replicator().core();
    List<CompletableFuture<?>> gets = new ArrayList<>();
    for (long seq = Math.max(0, length - MAX_APPENDED); seq < Math.min(length, core.length()); seq++) {
      if (!core.has(seq)) gets.add(region.replicator().get(seq).exceptionally(e -> null));
    }
    if (gets.isEmpty()) return CompletableFuture.completedFuture(null);
    roundTrips++;
    fetched += gets.size();
    return CompletableFuture.allOf(gets.toArray(new CompletableFuture<?>[0]));
  }

  /** Appended blocks a read after a change hint fetches at most before it starts (a write is a few). */
  static final int MAX_APPENDED = 8;

  /** Completes with true once {@code core} holds a signed length of at least {@code length}. */
  private static CompletableFuture<Boolean> reached(org.maiaos.mesh.hypercore.Hypercore core, long length) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    org.maiaos.mesh.hypercore.replication.HeadListener l = (before, now) -> {
      if (core.length() >= length) f.complete(true);
    };
    core.replication().addHeadListener(l);
    f.whenComplete((v, e) -> core.replication().removeHeadListener(l));
    if (core.length() >= length) f.complete(true);
    return f;
  }

  private void attempt() {
    try {
      readers.execute(this::run);
    } catch (RejectedExecutionException e) {
      finish(List.of()); // closing
    }
  }

  private void run() {
    attempts++;
    if (region.replicator().core().length() == 0) {
      finish(List.of());
      return;
    }
    FetchOnMiss.Misses misses = new FetchOnMiss.Misses(region.connected());
    List<ContentMessage> out = new ArrayList<>();
    try {
      FetchOnMiss.nonBlocking(misses, () -> region.storage().loadSince(id, have, m -> out.add(asFromAClient(m))));
      finish(out);
    } catch (HypercoreException e) {
      if (e.code() != CoreError.BLOCK_NOT_AVAILABLE || misses.started.isEmpty() || attempts >= MAX_ATTEMPTS) {
        giveUp(e);
        return;
      }
      fetched += misses.started.size();
      roundTrips++;
      CompletableFuture<Void> missed = CompletableFuture.allOf(misses.started.toArray(new CompletableFuture<?>[0]));
      MeshChannel ch = region.channel();
      if (askedAhead >= MAX_READ_AHEADS || ch == null) {
        missed.whenComplete((v, ex) -> {
          if (ex == null) attempt();
          else giveUp(ex);
        });
        return;
      }
      askedAhead++;
      long length = region.replicator().core().length();
      CompletableFuture<long[]> listed = ch.readAhead(id, length)
          .completeOnTimeout(new long[0], READ_AHEAD_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      // the misses and the question travel together; the listed blocks go in one more round trip
      missed.thenCombine(listed, (v, seqs) -> seqs).thenCompose(this::fetchListed).whenComplete((v, ex) -> {
        if (ex == null) attempt();
        else giveUp(ex);
      });
    } catch (RuntimeException e) {
      giveUp(e);
    }
  }

  /** Fetches the listed blocks the replica lacks, all at once; a block that fails is left to the next miss. */
  private CompletableFuture<Void> fetchListed(long[] seqs) {
    if (seqs.length > 0) askedAhead = MAX_READ_AHEADS; // answered: the rest is fetched miss by miss
    var core = region.replicator().core();
    List<CompletableFuture<?>> gets = new ArrayList<>();
    for (long seq : seqs) {
      if (seq < core.length() && !core.has(seq)) gets.add(region.replicator().get(seq).exceptionally(e -> null));
    }
    if (gets.isEmpty()) return CompletableFuture.completedFuture(null);
    roundTrips++;
    fetched += gets.size();
    return CompletableFuture.allOf(gets.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * The message as a client would have sent it, checked by the same decoder and limits: another
   * region's storage is not ours, so nothing it holds skips a check our own intake makes.
   */
  private static ContentMessage asFromAClient(ContentMessage m) {
    return ContentMessage.parse(m.toJson().getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
  }

  private void finish(List<ContentMessage> content) {
    LOG.debug("read {} in region {}: {} messages, {} attempts, {} round trips, {} blocks fetched", id, region.region(), content.size(),
        attempts, roundTrips, fetched);
    result.complete(new Result(region.region(), content, attempts, roundTrips, fetched));
  }

  private void giveUp(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    LOG.info("read of {} in region {} ended without an answer after {} attempts: {}", id, region.region(), attempts, cause.getMessage());
    finish(List.of());
  }
}
