package org.maiaos.mesh.hyperbee;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.maiaos.mesh.hyperbee.iterate.DiffIterator;
import org.maiaos.mesh.hyperbee.iterate.HistoryIterator;
import org.maiaos.mesh.hyperbee.iterate.RangeIterator;
import org.maiaos.mesh.hyperbee.tree.BeeCore;
import org.maiaos.mesh.hyperbee.tree.BlockCodec;
import org.maiaos.mesh.hyperbee.tree.BlockEntry;
import org.maiaos.mesh.hyperbee.tree.HeaderBlock;
import org.maiaos.mesh.hyperbee.tree.NodeBlock;
import org.maiaos.mesh.hyperbee.tree.PointGet;
import org.maiaos.mesh.hyperbee.tree.TreeBatch;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;

/**
 * A Hyperbee 2: an append-only B-tree stored in a {@link Hypercore}, byte-compatible with JS
 * hyperbee 2.27.3. Every put or del appends one block (a batch appends its blocks atomically);
 * reads walk the tree from the root of a version, reading only the blocks on their path through
 * the core's block API and a bounded cache of decoded blocks.
 *
 * <p>A bee is also the type of its views: {@link #sub(String) subs} (a key prefix),
 * {@link #checkout(long) checkouts} and {@link #snapshot() snapshots} (a fixed version). Writes are
 * serialized by one lock shared with all views; reads take no lock and see the version that was
 * current when they started. The bee does not own its core: closing the bee leaves it open.
 *
 * @param <K> key type, see {@link HyperbeeOptions#keyEncoding()}
 * @param <V> value type, see {@link HyperbeeOptions#valueEncoding()}
 */
public final class Hyperbee<K, V> implements AutoCloseable {
  static final byte[] DEFAULT_SEP = {0};

  final BeeCore bee;
  final Encoding<K> keyEncoding;
  final Encoding<V> valueEncoding;
  private final byte[] prefix; // null: none
  private final boolean sub; // hyperbee's _sub: ranges default to the prefix's span
  private final long checkout; // 0: live
  private final byte[] sep;
  final TreeBatch.Config config;
  private final boolean view;
  private final List<Watcher<K, V>> watchers;

  /** The header fields of block 0. */
  public record Header(String protocol, byte[] contentFeed, byte[] userData) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Header h && protocol.equals(h.protocol) && Arrays.equals(contentFeed, h.contentFeed)
          && Arrays.equals(userData, h.userData);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode();
    }
  }

  /**
   * A compare-and-swap check: given the entry a put or del would replace and the new one (value
   * null for a del), returns whether to go ahead. A put of a new key is never checked.
   */
  @FunctionalInterface
  public interface Cas<K, V> {
    boolean test(Entry<K, V> prev, Entry<K, V> next);
  }

  private Hyperbee(BeeCore bee, Encoding<K> keyEncoding, Encoding<V> valueEncoding, byte[] prefix, boolean sub,
      long checkout, byte[] sep, TreeBatch.Config config, boolean view) {
    this.bee = bee;
    this.keyEncoding = keyEncoding;
    this.valueEncoding = valueEncoding;
    this.prefix = prefix;
    this.sub = sub;
    this.checkout = checkout;
    this.sep = sep;
    this.config = config;
    this.view = view;
    this.watchers = view ? null : new java.util.concurrent.CopyOnWriteArrayList<>();
  }

  /** A bee over {@code core} with binary keys and values. */
  public static Hyperbee<byte[], byte[]> open(Hypercore core) {
    return open(core, HyperbeeOptions.defaults());
  }

  public static <K, V> Hyperbee<K, V> open(Hypercore core, HyperbeeOptions<K, V> opts) {
    HeaderBlock header = new HeaderBlock(HeaderBlock.PROTOCOL, opts.hasMetadata(), opts.contentFeed(), opts.userData());
    BeeCore bee = new BeeCore(core, opts.cacheBytes(), opts.lockTimeout());
    return new Hyperbee<>(bee, opts.keyEncoding(), opts.valueEncoding(), null, false, 0, DEFAULT_SEP,
        new TreeBatch.Config(opts.alwaysDuplicate(), opts.readonly(), header, opts.jsGetShortcut()), false);
  }

  /** True when block 0 of {@code core} is a hyperbee header; BLOCK_NOT_AVAILABLE if the core is empty. */
  public static boolean isHyperbee(Hypercore core) {
    byte[] b0 = core.get(0);
    try {
      return HeaderBlock.PROTOCOL.equals(BlockCodec.decodeHeader(b0).protocol());
    } catch (HypercoreException e) {
      return false;
    }
  }

  public Hypercore core() {
    return bee.core();
  }

  /** max(1, core length), or the checkout's version. */
  public long version() {
    if (checkout > 0) return Math.max(1, checkout);
    return Math.max(1, bee.core().length());
  }

  public boolean writable() {
    return checkout == 0 && !config.readonly() && bee.core().writable();
  }

  // ---- encodings

  byte[] encodeKey(K key) {
    byte[] k = keyEncoding.encode(key);
    return prefix == null ? k : concat(prefix, k);
  }

  K decodeKey(byte[] k) {
    // as JS's prefix encoding: slice off prefix.length bytes without checking them
    return keyEncoding.decode(prefix == null ? k : Arrays.copyOfRange(k, Math.min(prefix.length, k.length), k.length));
  }

  byte[] encodeValue(V value) {
    return valueEncoding.isNull(value) ? null : valueEncoding.encode(value);
  }

  Entry<K, V> entry(BlockEntry b) {
    return b == null ? null : entry(b.seq(), b.key(), b.value());
  }

  private Entry<K, V> entry(long seq, byte[] key, byte[] value) {
    return new Entry<>(seq, decodeKey(key), value == null ? null : valueEncoding.decode(value));
  }

  TreeBatch.Cas cas(Cas<K, V> cas, K key, V value) {
    if (cas == null) return null;
    return (prev, seq) -> cas.test(entry(prev), new Entry<>(seq, key, value));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** index.js encRange: encodes the bounds; a sub with no lower/upper bound gets its prefix's span. */
  private byte[][] bounds(Range<K> r, boolean withSubDefaults) {
    byte[] gt = r.gt() == null ? null : encodeKey(r.gt());
    byte[] gte = r.gte() == null ? null : encodeKey(r.gte());
    byte[] lt = r.lt() == null ? null : encodeKey(r.lt());
    byte[] lte = r.lte() == null ? null : encodeKey(r.lte());
    if (withSubDefaults && gt == null && gte == null) gt = concat(prefix, DEFAULT_SEP);
    if (withSubDefaults && lt == null && lte == null) {
      lt = prefix.clone();
      if (lt.length > 0) lt[lt.length - 1]++; // wraps 0xff to 0x00, as a JS Buffer does
    }
    return new byte[][] {gt, gte, lt, lte};
  }

  // ---- writes

  private void ensureWritable() {
    if (checkout != 0) throw CoreError.INVALID_OPERATION.error("a checkout or snapshot of a bee is read-only");
    if (config.readonly()) throw CoreError.SESSION_NOT_WRITABLE.error("the bee is read-only");
    if (!bee.core().writable()) throw CoreError.SESSION_NOT_WRITABLE.error("core %s is not writable", bee.core().key());
  }

  /** Puts {@code key} = {@code value} (null allowed: a put without value). Returns whether a block was appended. */
  public boolean put(K key, V value) {
    return put(key, value, null);
  }

  public boolean put(K key, V value, Cas<K, V> cas) {
    ensureWritable();
    byte[] k = encodeKey(key);
    byte[] v = encodeValue(value);
    boolean wrote;
    bee.lock();
    try {
      wrote = TreeBatch.write(bee, config, true).put(k, v, cas(cas, key, value));
    } finally {
      bee.unlock();
    }
    if (wrote) bee.notifyAppend();
    return wrote;
  }

  /** Deletes {@code key}. Returns whether a block was appended (false when the key is absent). */
  public boolean del(K key) {
    return del(key, null);
  }

  public boolean del(K key, Cas<K, V> cas) {
    ensureWritable();
    byte[] k = encodeKey(key);
    boolean wrote;
    bee.lock();
    try {
      wrote = TreeBatch.write(bee, config, true).del(k, cas(cas, key, null));
    } finally {
      bee.unlock();
    }
    if (wrote) bee.notifyAppend();
    return wrote;
  }

  /** A batch: its operations become blocks appended atomically by {@link Batch#flush()}. */
  public Batch<K, V> batch() {
    ensureWritable();
    return new Batch<>(this);
  }

  // ---- reads

  TreeBatch readBatch() {
    return TreeBatch.read(bee, config, checkout);
  }

  /** The latest entry of {@code key} in this version. */
  public Optional<Entry<K, V>> get(K key) {
    NodeBlock b = PointGet.get(bee, config, bee.core().length(), checkout, encodeKey(key));
    return b == null ? Optional.empty() : Optional.of(entry(b.seq(), b.key(), b.value()));
  }

  /**
   * The entry written by block {@code seq} (a deletion's value is null). As in JS, any block of the
   * core can be read, also past a checkout's version.
   */
  public Entry<K, V> getBySeq(long seq) {
    return entry(readBatch().getBlock(seq));
  }

  /** The entries in {@code range}, lazily, in key order (or reverse). */
  public Iterator<Entry<K, V>> iterator(Range<K> range) {
    byte[][] b = bounds(range, sub);
    RangeIterator it = new RangeIterator(readBatch(), b[0], b[1], b[2], b[3], range.reversed(), range.limit());
    return lazy(() -> entry(it.next()));
  }

  /** All entries in {@code range}, collected. */
  public List<Entry<K, V>> list(Range<K> range) {
    List<Entry<K, V>> out = new ArrayList<>();
    iterator(range).forEachRemaining(out::add);
    return out;
  }

  /** The first entry of {@code range} (the last one if it is reversed). */
  public Optional<Entry<K, V>> peek(Range<K> range) {
    // JS spreads the range over {limit: 1}, so a range's own limit of 0 still wins
    Iterator<Entry<K, V>> it = iterator(range.limit(range.limit() == 0 ? 0 : 1));
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  /**
   * The blocks of this version in seq order, as puts and deletions. Bounds are seqs, with JS's
   * rules: a negative bound counts from the version, and 0 counts as unset.
   */
  public Iterator<HistoryEntry<K, V>> history(Range<Long> seqs) {
    HistoryIterator it = new HistoryIterator(readBatch(), seqs.gt(), seqs.gte(), seqs.lt(), seqs.lte(), seqs.reversed(),
        seqs.limit());
    return lazy(() -> {
      BlockEntry b = it.next();
      if (b == null) return null;
      Entry<K, V> e = entry(b);
      return new HistoryEntry<>(b.isDeletion() ? HistoryEntry.Type.DEL : HistoryEntry.Type.PUT, e.seq(), e.key(), e.value());
    });
  }

  /** What changed between {@code otherVersion} and this version, within {@code range}. */
  public Iterator<DiffEntry<K, V>> diff(long otherVersion, Range<K> range) {
    return diff(checkout(Math.max(1, otherVersion)), range);
  }

  /** What differs between {@code other} (right) and this bee (left), within {@code range}. */
  public Iterator<DiffEntry<K, V>> diff(Hyperbee<K, V> other, Range<K> range) {
    if (other.bee != bee) throw CoreError.BAD_ARGUMENT.error("diff needs two versions of the same bee");
    byte[][] b = bounds(range, sub);
    DiffIterator it = new DiffIterator(readBatch(), other.readBatch(), b[0], b[1], b[2], b[3], range.limit());
    return lazy(() -> {
      DiffIterator.Pair p = it.next();
      return p == null ? null : new DiffEntry<>(entry(p.left()), other.entry(p.right()));
    });
  }

  // ---- views

  /** A read-only view of version {@code version} (0 is taken as 1). */
  public Hyperbee<K, V> checkout(long version) {
    if (version < 0) throw CoreError.BAD_ARGUMENT.error("version %d", version);
    long v = version == 0 ? 1 : version;
    // as index.js checkout(): a sub's checkout keeps its prefix, and so its range defaults
    return new Hyperbee<>(bee, keyEncoding, valueEncoding, prefix, prefix != null, v, sep, config, true);
  }

  /** A read-only view of the current version. */
  public Hyperbee<K, V> snapshot() {
    return checkout(Math.max(1, version()));
  }

  /** The sub-database {@code name}: keys are stored as prefix ‖ UTF-8(name) ‖ separator ‖ key. */
  public Hyperbee<K, V> sub(String name) {
    return sub(name.getBytes(StandardCharsets.UTF_8), sep, keyEncoding, valueEncoding);
  }

  /** The sub-database whose name is the bytes {@code name}, with the bee's separator and encodings. */
  public Hyperbee<K, V> sub(byte[] name) {
    return sub(name, sep, keyEncoding, valueEncoding);
  }

  /**
   * The sub-database {@code name} with its own separator and encodings. As in JS, subs of this sub
   * use the parent's separator again, and a sub writes with alwaysDuplicate on.
   */
  public <K2, V2> Hyperbee<K2, V2> sub(byte[] name, byte[] separator, Encoding<K2> keys, Encoding<V2> values) {
    byte[] p = concat(prefix == null ? new byte[0] : prefix, name, separator);
    TreeBatch.Config c = new TreeBatch.Config(true, config.readonly(), config.header(), config.jsGetShortcut());
    return new Hyperbee<>(bee, keys, values, p, true, checkout, sep, c, true);
  }

  /** Block 0's header, or empty while the core is empty. */
  public Optional<Header> getHeader() {
    if (bee.core().length() == 0) return Optional.empty();
    HeaderBlock h = BlockCodec.decodeHeader(bee.core().get(0));
    return Optional.of(new Header(h.protocol(), h.contentFeed(), h.userData()));
  }

  // ---- watching

  /**
   * Calls {@code onChange(current, previous)} with two snapshots whenever a write through this bee
   * (or its views) changes an entry in {@code range}. Writes by others (a replica's downloads) are
   * picked up by {@link Watcher#check()}. Only the main bee can be watched, as in JS.
   */
  public Watcher<K, V> watch(Range<K> range, BiConsumer<Hyperbee<K, V>, Hyperbee<K, V>> onChange) {
    if (view) throw CoreError.INVALID_OPERATION.error("can only watch the main bee instance");
    Watcher<K, V> w = new Watcher<>(this, range, onChange);
    watchers.add(w);
    return w;
  }

  void removeWatcher(Watcher<K, V> w) {
    if (watchers != null) watchers.remove(w);
  }

  /**
   * Runs {@code read} (any reads of any bee, on this thread) and tells {@code visited} the seq of
   * every node block it visits, cached or not; the header block 0 is read apart, when a bee is
   * opened. A writer uses it to tell a sparse reader, in one message, every block a read will
   * need (what JS hyperbee's {@code onseq} and read-ahead extension do). {@code visited} may throw
   * to cut the read short.
   */
  public static <T> T traceBlocks(java.util.function.LongConsumer visited, java.util.function.Supplier<T> read) {
    return BeeCore.traced(visited, read);
  }

  /** Blocks this bee and its views have read from the core (cache misses): for metrics and benchmarks. */
  public long blockReads() {
    return bee.blockReads();
  }

  /** Drops the decoded-block cache, e.g. to measure cold reads. */
  public void clearCache() {
    bee.cache().clear();
  }

  BeeCore beeCore() {
    return bee;
  }

  /** Stops the watchers and drops the cache; the core stays open (its creator closes it). */
  @Override
  public void close() {
    if (view) return;
    for (Watcher<K, V> w : List.copyOf(watchers)) w.close();
    bee.cache().clear();
  }

  private static <T> Iterator<T> lazy(Supplier<T> next) {
    return new Iterator<>() {
      private T ahead;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (ahead != null) return true;
        if (done) return false;
        ahead = next.get();
        if (ahead == null) done = true;
        return ahead != null;
      }

      @Override
      public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        T t = ahead;
        ahead = null;
        return t;
      }
    };
  }

  @Override
  public String toString() {
    return "Hyperbee[" + bee.core().key() + ", version=" + version() + (prefix != null ? ", sub" : "") + "]";
  }

}
