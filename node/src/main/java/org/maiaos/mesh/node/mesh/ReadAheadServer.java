package org.maiaos.mesh.node.mesh;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.cojson.storage.HyperbeeStorage;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.hypercore.Hypercore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers peers' {@link MeshReadAhead}s about our region bee: runs the read the peer is about to run
 * (cojson storage's {@code loadSince} of the CoValue, from nothing, at the length the peer knows)
 * over our own copy with {@link Hyperbee#traceBlocks}, and answers the seqs of every block it
 * visited, the header block first. The peer then fetches them all in one round trip. Work is
 * bounded: one thread, {@link #QUEUE} requests waiting at most (the rest answered empty), and
 * {@link MeshBlocks#MAX_BLOCKS} blocks per answer (the read is cut short there).
 */
final class ReadAheadServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAheadServer.class);
  static final int QUEUE = 1024;
  /** Decoded-block cache of our own bee's view for these reads. */
  static final long CACHE_BYTES = 8L << 20;

  /** Thrown by the visitor to cut a read short once the answer is full. */
  private static final class Full extends RuntimeException {
    Full() {
      super(null, null, false, false);
    }
  }

  private final Hypercore bee;
  private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
    Thread t = new Thread(r, "mesh-readahead-0");
    t.setDaemon(true);
    return t;
  });
  private Hyperbee<byte[], byte[]> view;

  ReadAheadServer(Hypercore bee) {
    this.bee = bee;
  }

  void answer(MeshReadAhead request, MeshChannel to) {
    try {
      worker.execute(() -> to.answer(new MeshBlocks(request.request(), blocksOf(request.id(), request.length()))));
    } catch (RejectedExecutionException e) {
      to.answer(new MeshBlocks(request.request(), new long[0]));
    }
  }

  /** The blocks a read of {@code id} visits at {@code length} (our length if the peer names more). */
  long[] blocksOf(String id, long length) {
    long at = Math.min(length, bee.length());
    if (at <= 1) return new long[0];
    Set<Long> seqs = new LinkedHashSet<>();
    seqs.add(0L);
    try {
      if (view == null) {
        view = Hyperbee.open(bee, HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).cacheBytes(CACHE_BYTES).build());
      }
      Hyperbee.traceBlocks(seq -> {
        if (seqs.add(seq) && seqs.size() >= MeshBlocks.MAX_BLOCKS) throw new Full();
      }, () -> HyperbeeStorage.readOnly(view.checkout(at)).loadSince(id, k -> null, m -> { }));
    } catch (Full full) {
      // the answer is full: the reader fetches the rest as it misses them
    } catch (RuntimeException e) {
      LOG.warn("read-ahead of {} at length {} failed: {}", id, at, e.toString());
    }
    long[] out = new long[seqs.size()];
    int i = 0;
    for (long s : seqs) out[i++] = s;
    return out;
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
