package org.maiaos.mesh.cojson.storage;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.maiaos.mesh.hyperbee.Encoding;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.HyperbeeOptions;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;

/**
 * cojson's storage on a Hyperbee, the mesh's primary backend (layout in {@link
 * org.maiaos.mesh.cojson.storage.keys.KeyLayout}): one load is one range scan, one known state one
 * get, one store one atomic batch (a single signed core append, durable before {@code done}). A
 * read-only instance over another region's bee serves loads, known states and listings; its
 * reads fail with BLOCK_NOT_AVAILABLE for blocks its core does not hold (fetching them is the
 * replicator's job).
 */
public final class HyperbeeStorage extends StorageEngine {
  /**
   * Decoded-block cache of a storage's own bee. A B-tree key comparison reads the block that holds
   * the key, and ours carry chunk values of up to ~100 KiB, so the hyperbee default (32 MiB) churns
   * on a store of 10,000 values; 128 MiB keeps the upper levels and the records resident.
   */
  public static final long CACHE_BYTES = 128L << 20;

  private final HyperbeeBackend backend;

  private HyperbeeStorage(HyperbeeBackend backend, LongSupplier clock, boolean readOnly) {
    super(backend, clock, readOnly);
    this.backend = backend;
  }

  /** Opens the core in {@code dir} (creating a writable one if the directory holds none) and owns it. */
  public static HyperbeeStorage open(Path dir) {
    return open(dir, System::currentTimeMillis);
  }

  public static HyperbeeStorage open(Path dir, LongSupplier clockMillis) {
    Hypercore core;
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw StorageError.IO_ERROR.error(e, "cannot create %s", dir);
    }
    try {
      core = Hypercore.open(dir);
    } catch (HypercoreException e) {
      if (e.code() != CoreError.STORAGE_EMPTY) throw e;
      core = Hypercore.create(dir, HypercoreOptions.defaults());
    }
    HyperbeeOptions<byte[], byte[]> opts = HyperbeeOptions.<byte[], byte[]>builder(Encoding.BINARY, Encoding.BINARY).cacheBytes(CACHE_BYTES).build();
    return new HyperbeeStorage(new HyperbeeBackend(Hyperbee.open(core, opts), false, core), clockMillis, false);
  }

  /** A writable storage over {@code bee}, which the caller keeps owning (closing this closes only the bee view). */
  public static HyperbeeStorage of(Hyperbee<byte[], byte[]> bee, LongSupplier clockMillis) {
    if (!bee.writable()) throw StorageError.BAD_ARGUMENT.error("the bee is not writable; use readOnly");
    return new HyperbeeStorage(new HyperbeeBackend(bee, false, null), clockMillis, false);
  }

  /** A read-only storage over another node's bee (a replica); every write fails with READ_ONLY. */
  public static HyperbeeStorage readOnly(Hyperbee<byte[], byte[]> bee) {
    return new HyperbeeStorage(new HyperbeeBackend(bee, true, null), System::currentTimeMillis, true);
  }

  /** The bee this storage reads and writes. */
  public Hyperbee<byte[], byte[]> bee() {
    return backend.bee();
  }
}
