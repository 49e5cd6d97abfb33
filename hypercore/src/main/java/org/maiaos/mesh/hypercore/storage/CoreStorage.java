package org.maiaos.mesh.hypercore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.tree.NodeHash;
import org.maiaos.mesh.hypercore.tree.TreeNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hypercore in one directory, in the shape of Hypercore 10's file storage:
 *
 * <ul>
 *   <li>{@code oplog}: append-only {@link OplogEntry} frames, each a whole commit (blocks, nodes,
 *       truncation, head and the heap offset of its blocks), length-prefixed and CRC32C-checked;
 *   <li>{@code tree}: 40 bytes per flat-tree index ({@link TreeFile});
 *   <li>{@code data} + {@code index}: the block heap and a 16-byte slot per block ({@link BlockStore});
 *   <li>{@code header}: the {@link Checkpoint}: core key, manifest, secret key, and the head, heap
 *       end and oplog sequence number that the three files above are known to be durable up to.
 * </ul>
 *
 * <p><b>Why a crash cannot lose or half-apply a commit.</b> {@link #commit} encodes the update as
 * one oplog frame, appends it and fdatasyncs the oplog, and only then writes the tree, index and
 * data files, without syncing them. So (1) when commit returns, the frame is on disk; (2) a commit
 * interrupted before the sync leaves at most a torn or unchecksummed tail frame, and since no other
 * file is touched before the sync, nothing of it exists elsewhere; (3) a commit interrupted after
 * the sync is complete in the oplog, and whatever part of it reached the other files is rewritten
 * on replay. Open loads the checkpoint and replays, in order, every whole, checksummed frame whose
 * sequence number follows it, then cuts the log at the first frame that is not (a crash can only
 * tear the last one). Replay is idempotent: a frame sets slots and nodes to fixed values, clears
 * fixed ranges, and writes its block bytes at the heap offset recorded in it, so applying a prefix
 * of frames twice leaves the files as applying it once. A checkpoint (when the log passes
 * {@link StorageLimits#checkpointBytes()}, and after every recovery) first fsyncs tree, index and
 * data, then atomically replaces {@code header} (temp file, fsync, rename, directory fsync), then
 * empties the log; a crash between the last two steps leaves frames the checkpoint already covers,
 * and replay skips them by sequence number. Media damage to a frame that was already applied cannot
 * be undone: that frame is dropped with a WARN and the head reverts, though its writes may remain.
 *
 * <p><b>Memory and threads.</b> Nothing is held per block or per node: the index and tree files are
 * addressed by arithmetic, and a commit or replay holds one frame. Commits serialize on one lock.
 * Reads ({@link #node}, {@link #block}, {@link #hasBlock}, {@link #head}) never take it: they use
 * positional reads on their own channels, validated by a sequence counter that is odd while a
 * commit writes the files, so a read that overlaps a commit retries instead of seeing half of it.
 *
 * <p>An I/O failure during a commit leaves the outcome unknown (the frame may be durable), so the
 * storage refuses further commits with IO_ERROR; closing and reopening recovers.
 */
public final class CoreStorage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoreStorage.class);
  static final String OPLOG = "oplog";
  static final String TREE = "tree";
  static final String INDEX = "index";
  static final String DATA = "data";
  private static final List<String> DATA_FILES = List.of(OPLOG, TREE, INDEX, DATA);
  private static final Set<String> OUR_FILES = Set.of(Checkpoint.FILE, Checkpoint.TMP_FILE, OPLOG, TREE, INDEX, DATA);

  private final Path dir;
  private final StorageLimits limits;
  private volatile CoreHeader header;
  private int unsynced; // frames appended without a sync since the last one; under commitLock
  private final Oplog oplog;
  private final TreeFile tree;
  private final BlockStore blocks;
  private final ReentrantLock commitLock = new ReentrantLock();

  private volatile Head head;
  private volatile long heapEnd;
  /** Which blocks are held, built on first use, then kept by every commit (written under commitLock). */
  private volatile HeldBlocks held;
  /** Set for a read-only snapshot ({@link #openSnapshot}): the replayed oplog, read before the files. */
  private OplogOverlay overlay;
  private volatile long applying; // seqlock: odd while an entry is being written to tree/index/data
  private volatile boolean closed;
  private long seq; // of the last applied entry; guarded by commitLock
  private long checkpointSeq;
  private Exception failure; // a commit's I/O failure; guarded by commitLock
  // what recovery found at open, for tests and the log
  private long replayedEntries;
  private long skippedEntries;
  private long droppedOplogBytes;

  private CoreStorage(Path dir, StorageLimits limits, Checkpoint cp, Oplog oplog, TreeFile tree, BlockStore blocks) {
    this.dir = dir;
    this.limits = limits;
    this.header = cp.header();
    this.oplog = oplog;
    this.tree = tree;
    this.blocks = blocks;
    this.head = cp.head();
    this.heapEnd = cp.heapEnd();
    this.seq = cp.seq();
    this.checkpointSeq = cp.seq();
  }

  /**
   * Creates an empty core in {@code dir}, creating the directory if needed. STORAGE_CONFLICT if a
   * core is already there, BAD_ARGUMENT if the directory holds anything else. Files left by a
   * create that crashed before its header was written are reused.
   */
  public static CoreStorage create(Path dir, CoreHeader header) {
    return create(dir, header, StorageLimits.DEFAULTS);
  }

  static CoreStorage create(Path dir, CoreHeader header, StorageLimits limits) {
    if (dir == null || header == null) throw CoreError.BAD_ARGUMENT.error("create needs a directory and a header");
    byte[] manifest = header.manifest();
    if (manifest != null && manifest.length > limits.maxManifestBytes()) {
      throw CoreError.BAD_ARGUMENT.error("manifest of %d bytes over the %d-byte limit", manifest.length, limits.maxManifestBytes());
    }
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) throw CoreError.BAD_ARGUMENT.error("not a directory: %s", dir);
      if (Files.exists(dir.resolve(Checkpoint.FILE))) throw CoreError.STORAGE_CONFLICT.error("a hypercore already exists in %s", dir);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.anyMatch(p -> !OUR_FILES.contains(p.getFileName().toString()))) {
            throw CoreError.BAD_ARGUMENT.error("directory is not empty: %s", dir);
          }
        }
      }
      Files.createDirectories(dir);
      for (String name : DATA_FILES) {
        Path f = dir.resolve(name);
        Files.deleteIfExists(f);
        Files.createFile(f);
      }
      Head empty = new Head(0, 0, 0, NodeHash.tree(List.of()), null);
      new Checkpoint(header, empty, 0, 0).write(dir); // the header appears last: its presence means a whole core
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) FileIo.fsyncDir(parent);
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot create a hypercore in %s: %s", dir, e);
    }
    return open(dir, limits);
  }

  /**
   * Opens the core in {@code dir} and recovers it: BAD_ARGUMENT if there is no such directory,
   * STORAGE_EMPTY if it holds no core, STORAGE_CORRUPT if the header is damaged, STORAGE_CONFLICT
   * if it is open already.
   */
  public static CoreStorage open(Path dir) {
    return open(dir, StorageLimits.DEFAULTS);
  }

  static CoreStorage open(Path dir, StorageLimits limits) {
    requireCoreDir(dir);
    for (String name : DATA_FILES) {
      if (!Files.isRegularFile(dir.resolve(name))) throw CoreError.STORAGE_CORRUPT.error("%s has no %s file", dir, name);
    }
    List<Closeable> opened = new ArrayList<>();
    try {
      Oplog oplog = Oplog.open(dir.resolve(OPLOG)); // first: its lock keeps a second opener out of recovery
      opened.add(oplog);
      Checkpoint cp = Checkpoint.read(dir, limits);
      TreeFile tree = TreeFile.open(dir.resolve(TREE));
      opened.add(tree);
      BlockStore blocks = BlockStore.open(dir.resolve(INDEX), dir.resolve(DATA));
      opened.add(blocks);
      CoreStorage s = new CoreStorage(dir, limits, cp, oplog, tree, blocks);
      s.recover();
      return s;
    } catch (IOException | RuntimeException e) {
      throw openFailed(dir, opened, e);
    }
  }

  /**
   * Opens the core in {@code dir} to read only, beside the process that may hold it open (a
   * {@code core serve}, a node): no lock is taken and nothing is written. The snapshot is the
   * checkpoint plus the oplog's whole entries as they are now, the entries held in memory (the
   * writer may not have applied them to the files yet); what the writer commits later is not
   * seen. A checkpoint the writer makes meanwhile (its sequence number changed when read again, or
   * a gap in the entries) means the snapshot is taken again, up to {@value #SNAPSHOT_ATTEMPTS}
   * times; the last is kept, whole but perhaps older than the one before. Any write fails with
   * INVALID_OPERATION. Errors as {@link #open(Path)}, without STORAGE_CONFLICT.
   */
  public static CoreStorage openSnapshot(Path dir) {
    return openSnapshot(dir, StorageLimits.DEFAULTS);
  }

  static CoreStorage openSnapshot(Path dir, StorageLimits limits) {
    requireCoreDir(dir);
    for (int attempt = 1; ; attempt++) {
      List<Closeable> opened = new ArrayList<>();
      try {
        Checkpoint cp = Checkpoint.read(dir, limits);
        Oplog oplog = Oplog.openReadOnly(dir.resolve(OPLOG));
        opened.add(oplog);
        TreeFile tree = TreeFile.open(dir.resolve(TREE), false);
        opened.add(tree);
        BlockStore blocks = BlockStore.open(dir.resolve(INDEX), dir.resolve(DATA), false);
        opened.add(blocks);
        CoreStorage s = new CoreStorage(dir, limits, cp, oplog, tree, blocks);
        s.overlay = new OplogOverlay();
        boolean gap = s.replayIntoOverlay();
        // a checkpoint since we read ours may have cut the oplog under us: then look again
        boolean moved = gap || Checkpoint.read(dir, limits).seq() != cp.seq();
        if (!moved || attempt >= SNAPSHOT_ATTEMPTS) return s;
        s.close();
      } catch (IOException | RuntimeException e) {
        throw openFailed(dir, opened, e);
      }
    }
  }

  /** BAD_ARGUMENT unless {@code dir} is a directory, STORAGE_EMPTY unless it holds a core. */
  private static void requireCoreDir(Path dir) {
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) throw CoreError.BAD_ARGUMENT.error("not a directory: %s", dir);
    if (dir == null || !Files.isDirectory(dir)) throw CoreError.BAD_ARGUMENT.error("no such directory: %s", dir);
    if (!Files.exists(dir.resolve(Checkpoint.FILE))) throw CoreError.STORAGE_EMPTY.error("not a hypercore directory: %s", dir);
  }

  /** Closes what an open had opened before {@code e}, and the error to throw for it. */
  private static RuntimeException openFailed(Path dir, List<Closeable> opened, Exception e) {
    for (Closeable c : opened) {
      try {
        c.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
    }
    if (e instanceof IOException io) return CoreError.IO_ERROR.error(io, "cannot open %s: %s", dir, io);
    return (RuntimeException) e;
  }

  /** Snapshots taken at most while the writer keeps checkpointing under them; the last is kept, whole if older. */
  static final int SNAPSHOT_ATTEMPTS = 20;

  /** Whether this is a read-only snapshot. */
  public boolean readOnly() {
    return overlay != null;
  }

  /**
   * A snapshot's replay: the oplog's whole entries that follow the checkpoint, into the overlay,
   * up to the first that is torn (the writer is appending it) or out of sequence. Returns whether
   * it stopped at an entry out of sequence (a checkpoint happened between reading it and the log).
   */
  private boolean replayIntoOverlay() throws IOException {
    long size = oplog.size();
    long pos = 0;
    while (pos < size) {
      Oplog.Frame f = oplog.read(pos, limits);
      if (f.problem() != null) return false;
      OplogEntry e = f.entry();
      if (e.seq <= checkpointSeq && replayedEntries == 0) {
        skippedEntries++;
      } else if (e.seq != seq + 1) {
        return true;
      } else {
        overlay.apply(e);
        if (e.head != null) head = e.head;
        seq = e.seq;
        replayedEntries++;
      }
      pos = f.next();
    }
    return false;
  }

  /** Replays the oplog over the checkpoint, cuts it at the first bad frame, and checkpoints. */
  private void recover() throws IOException {
    long size = oplog.size();
    long pos = 0;
    String problem = null;
    while (pos < size) {
      Oplog.Frame f = oplog.read(pos, limits);
      if (f.problem() != null) {
        problem = f.problem();
        break;
      }
      OplogEntry e = f.entry();
      if (e.seq <= checkpointSeq && replayedEntries == 0) {
        skippedEntries++; // left by a crash between a checkpoint and the oplog truncation
      } else if (e.seq != seq + 1) {
        problem = "entry " + e.seq + " does not follow entry " + seq;
        break;
      } else {
        apply(e);
        replayedEntries++;
      }
      pos = f.next();
    }
    if (problem != null) {
      droppedOplogBytes = size - pos;
      LOG.warn("{}: dropping the last {} bytes of the oplog, from offset {}: {}", dir, droppedOplogBytes, pos, problem);
    }
    if (size > 0) {
      LOG.debug("{}: replayed {} oplog entries, skipped {} already checkpointed", dir, replayedEntries, skippedEntries);
      checkpoint();
    }
  }

  public CoreHeader header() {
    return header;
  }

  /** The last committed head. */
  public Head head() {
    return head;
  }

  /** The tree node at {@code flatIndex}, or null if it is not stored. */
  public TreeNode node(long flatIndex) {
    if (flatIndex < 0) throw CoreError.BAD_ARGUMENT.error("negative node index %d", flatIndex);
    if (flatIndex >= StorageLimits.MAX_NODES) return null;
    OplogOverlay o = overlay;
    if (o != null) {
      TreeNode n = o.node(flatIndex);
      if (n != null || o.hidesNode(flatIndex)) return n;
    }
    return stableRead(() -> tree.read(flatIndex));
  }

  /** The bytes of block {@code index}, or null if it is not stored; STORAGE_CORRUPT if they fail their checksum. */
  public byte[] block(long index) {
    if (index < 0) throw CoreError.BAD_ARGUMENT.error("negative block index %d", index);
    if (index >= StorageLimits.MAX_BLOCKS) return null;
    OplogOverlay o = overlay;
    if (o != null) {
      byte[] b = o.block(index);
      if (b != null) return b.clone();
      if (o.hidesBlock(index)) return null;
      // the writer may have stored this block after our checkpoint, past its heap end; the checksum still guards it
      return stableRead(() -> blocks.read(index, Long.MAX_VALUE, limits.maxBlockBytes()));
    }
    return stableRead(() -> knownAbsent(index) ? null : blocks.read(index, heapEnd, limits.maxBlockBytes()));
  }

  /**
   * Fills {@code words} with which blocks from {@code start} (a multiple of 32) on are held, bit
   * {@code j} of {@code words[k]} for block {@code start + 32k + j}: a word at a time, from a
   * bitfield built from the index file on the first call (one sequential read of it) and kept
   * current by every commit since.
   */
  public void heldWords(long start, int[] words) {
    if (start < 0 || start % 32 != 0) throw CoreError.BAD_ARGUMENT.error("start %d is not a non-negative multiple of 32", start);
    heldBlocks().words(start, words);
  }

  /**
   * True when the held-blocks bitfield, once something built it, says block {@code index} is not
   * here: no read of the index file. It is never built just for this (a scan of the whole index).
   */
  private boolean knownAbsent(long index) {
    HeldBlocks h = held;
    return h != null && !h.get(index);
  }

  private HeldBlocks heldBlocks() {
    HeldBlocks h = held;
    if (h != null) return h;
    boolean interrupted = Thread.interrupted();
    commitLock.lock();
    try {
      if (closed) throw CoreError.SESSION_CLOSED.error("storage %s is closed", dir);
      if (held == null) {
        HeldBlocks built = new HeldBlocks();
        blocks.scanHeld(built);
        if (overlay != null) overlay.markHeld(built);
        held = built;
      }
      return held;
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "reading the index of %s failed: %s", dir, e);
    } finally {
      commitLock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  public boolean hasBlock(long index) {
    if (index < 0) throw CoreError.BAD_ARGUMENT.error("negative block index %d", index);
    if (index >= StorageLimits.MAX_BLOCKS) return false;
    OplogOverlay o = overlay;
    if (o != null) {
      if (o.block(index) != null) return true;
      if (o.hidesBlock(index)) return false;
      return stableRead(() -> blocks.has(index));
    }
    HeldBlocks h = held;
    return h != null ? stableRead(() -> h.get(index)) : stableRead(() -> blocks.has(index));
  }

  /**
   * Applies {@code u} atomically; it is durable when this returns. BAD_ARGUMENT if it is over a
   * limit (nothing is written then). A thread interrupted before the call still commits (the flag is
   * kept for the caller), because an interrupt during file I/O closes the files.
   */
  public void commit(Update u) {
    commit(u, true);
  }

  /**
   * Like {@link #commit(Update)}; with {@code durable} false the frame is written but not synced:
   * still all-or-nothing, and it survives the process being killed (it is in the page cache), but a
   * power loss may drop it and the unsynced frames after it. {@link #sync()} makes them all durable.
   * Replicas use this for downloaded blocks, which a peer can always send again.
   */
  public void commit(Update u, boolean durable) {
    if (u == null) throw CoreError.BAD_ARGUMENT.error("null update");
    List<BlockWrite> bs = Update.sortedUnique(u.blocks(), Comparator.comparingLong(BlockWrite::index));
    List<TreeNode> ns = Update.sortedUnique(u.nodes(), Comparator.comparingLong(TreeNode::index));
    boolean interrupted = Thread.interrupted();
    commitLock.lock();
    try {
      ensureWritable();
      if (u.isEmpty()) return;
      byte[] frame = OplogEntry.encodeFrame(seq + 1, u.truncateTo(), heapEnd, bs, ns, u.head(), limits);
      try {
        if (oplog.size() >= limits.checkpointBytes()) checkpoint();
        oplog.append(frame, durable);
        unsynced = durable ? 0 : unsynced + 1;
        apply(OplogEntry.decodeFrame(frame, limits));
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw CoreError.IO_ERROR.error(e, "commit to %s failed, its outcome is known after a reopen: %s", dir, e);
      }
    } finally {
      commitLock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Makes every commit so far durable (one fdatasync of the oplog); cheap when there is nothing to sync. */
  public void sync() {
    boolean interrupted = Thread.interrupted();
    commitLock.lock();
    try {
      ensureWritable();
      if (unsynced == 0) return;
      oplog.sync();
      unsynced = 0;
    } catch (IOException e) {
      failure = e;
      throw CoreError.IO_ERROR.error(e, "sync of %s failed: %s", dir, e);
    } finally {
      commitLock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Writes one entry to tree/index/data; the counter is odd meanwhile so readers retry. */
  private void apply(OplogEntry e) throws IOException {
    applying++; // only ever written under commitLock (or before publication)
    try {
      if (e.truncateTo >= 0) {
        blocks.truncate(e.truncateTo);
        tree.truncate(e.truncateTo);
      }
      long end = e.heapOffset + e.valuesBytes;
      if (end > heapEnd) heapEnd = end;
      blocks.write(e);
      tree.write(e);
      HeldBlocks h = held;
      if (h != null) {
        if (e.truncateTo >= 0) h.clearFrom(e.truncateTo);
        for (long i : e.blockIndex) h.set(i);
      }
      if (e.head != null) head = e.head;
      seq = e.seq;
    } finally {
      applying++;
    }
  }

  /** Makes tree/index/data durable, records that in the header, and empties the oplog. */
  private void checkpoint() throws IOException {
    tree.force();
    blocks.force();
    new Checkpoint(header, head, heapEnd, seq).write(dir);
    checkpointSeq = seq;
    oplog.truncate(0);
    unsynced = 0;
  }

  /**
   * Records the manifest of a replica that was created knowing only the core key, once it has
   * learned (and checked) it: a checkpoint with the new header, atomic like every checkpoint.
   */
  public void setManifest(byte[] manifest) {
    if (manifest == null || manifest.length == 0) throw CoreError.BAD_ARGUMENT.error("manifest must not be empty");
    boolean interrupted = Thread.interrupted();
    commitLock.lock();
    try {
      ensureWritable();
      if (header.manifest() != null) throw CoreError.INVALID_OPERATION.error("the manifest of %s is already known", header.key());
      header = new CoreHeader(header.key(), manifest, header.secretKey());
      checkpoint();
    } catch (IOException e) {
      failure = e;
      throw CoreError.IO_ERROR.error(e, "storing the manifest in %s failed: %s", dir, e);
    } finally {
      commitLock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Checkpoints now, whatever the oplog size; for tests. */
  void checkpointNow() {
    boolean interrupted = Thread.interrupted();
    commitLock.lock();
    try {
      ensureWritable();
      checkpoint();
    } catch (IOException e) {
      failure = e;
      throw CoreError.IO_ERROR.error(e, "checkpoint of %s failed: %s", dir, e);
    } finally {
      commitLock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  long oplogBytes() {
    return oplog.size();
  }

  long replayedEntries() {
    return replayedEntries;
  }

  long skippedEntries() {
    return skippedEntries;
  }

  long droppedOplogBytes() {
    return droppedOplogBytes;
  }

  private void ensureWritable() {
    if (closed) throw CoreError.SESSION_CLOSED.error("storage %s is closed", dir);
    if (overlay != null) throw CoreError.INVALID_OPERATION.error("%s is open read-only (a snapshot beside its writer)", dir);
    if (failure != null) throw CoreError.IO_ERROR.error(failure, "storage %s failed earlier; reopen it: %s", dir, failure);
  }

  @FunctionalInterface
  private interface Read<T> {
    T run() throws IOException;
  }

  /**
   * Runs a read outside any commit: if a commit wrote the files meanwhile, the result (or a
   * corruption it seemed to show) is discarded and the read runs again.
   */
  private <T> T stableRead(Read<T> read) {
    for (;;) {
      if (closed) throw CoreError.SESSION_CLOSED.error("storage %s is closed", dir);
      long before = applying;
      if ((before & 1) != 0) {
        Thread.yield();
        continue;
      }
      T value = null;
      HypercoreException corrupt = null;
      try {
        value = read.run();
      } catch (HypercoreException e) {
        if (e.code() != CoreError.STORAGE_CORRUPT) throw e;
        corrupt = e;
      } catch (ClosedByInterruptException e) {
        throw CoreError.REQUEST_CANCELLED.error(e, "read of %s interrupted", dir);
      } catch (ClosedChannelException e) {
        throw CoreError.SESSION_CLOSED.error(e, "storage %s is closed", dir);
      } catch (IOException e) {
        if (applying != before) continue;
        throw CoreError.IO_ERROR.error(e, "read of %s failed: %s", dir, e);
      }
      if (applying == before) {
        if (corrupt != null) throw corrupt;
        return value;
      }
    }
  }

  /** Closes the files; idempotent. Waits for a commit in progress. Committed data is already durable. */
  @Override
  public void close() {
    commitLock.lock();
    try {
      if (closed) return;
      closed = true;
      IOException first = null;
      if (unsynced > 0 && failure == null) {
        try {
          oplog.sync();
        } catch (IOException e) {
          first = e;
        }
      }
      for (Closeable c : new Closeable[] {blocks, tree, oplog}) {
        try {
          c.close();
        } catch (IOException e) {
          if (first == null) first = e;
          else first.addSuppressed(e);
        }
      }
      if (first != null) throw CoreError.IO_ERROR.error(first, "closing %s: %s", dir, first);
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "CoreStorage[" + dir + ", " + head + "]";
  }
}
