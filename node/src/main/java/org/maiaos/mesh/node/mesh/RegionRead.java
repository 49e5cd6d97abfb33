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
  private int attempts;
  private long fetched;

  /** What a read found, and what it cost: attempts (one round trip each after the first) and blocks fetched. */
  record Result(String region, List<ContentMessage> content, int attempts, long blocksFetched) {}

  private RegionRead(RegionMesh.PeerRegion region, String id, Function<String, KnownState> have, Executor readers) {
    this.region = region;
    this.id = id;
    this.have = have;
    this.readers = readers;
  }

  /** Starts the read; the future completes normally, with no content when the region could not answer. */
  static CompletableFuture<Result> start(RegionMesh.PeerRegion region, String id, Function<String, KnownState> have, Executor readers) {
    RegionRead r = new RegionRead(region, id, have, readers);
    if (region.connected() && region.replicator().core().length() < region.announcedLength()) {
      // the region said its bee grew: learn the new length before reading (its signed upgrade)
      region.replicator().update().whenComplete((len, e) -> r.attempt());
    } else {
      r.attempt();
    }
    return r.result;
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
      CompletableFuture.allOf(misses.started.toArray(new CompletableFuture<?>[0])).whenComplete((v, ex) -> {
        if (ex == null) attempt();
        else giveUp(ex);
      });
    } catch (RuntimeException e) {
      giveUp(e);
    }
  }

  /**
   * The message as a client would have sent it, checked by the same decoder and limits: another
   * region's storage is not ours, so nothing it holds skips a check our own intake makes.
   */
  private static ContentMessage asFromAClient(ContentMessage m) {
    return ContentMessage.parse(m.toJson().getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
  }

  private void finish(List<ContentMessage> content) {
    LOG.debug("read {} in region {}: {} messages, {} attempts, {} blocks fetched", id, region.region(), content.size(), attempts, fetched);
    result.complete(new Result(region.region(), content, attempts, fetched));
  }

  private void giveUp(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    LOG.info("read of {} in region {} ended without an answer after {} attempts: {}", id, region.region(), attempts, cause.getMessage());
    finish(List.of());
  }
}
