package org.maiaos.mesh.hypercore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hypercore.manifest.Manifest;
import org.maiaos.mesh.hypercore.manifest.Verifier;
import org.maiaos.mesh.hypercore.replication.BlockFetcher;
import org.maiaos.mesh.hypercore.replication.HeadListener;
import org.maiaos.mesh.hypercore.replication.ProofOutcome;
import org.maiaos.mesh.hypercore.replication.Replicable;
import org.maiaos.mesh.hypercore.storage.BlockWrite;
import org.maiaos.mesh.hypercore.storage.CoreHeader;
import org.maiaos.mesh.hypercore.storage.CoreStorage;
import org.maiaos.mesh.hypercore.storage.Head;
import org.maiaos.mesh.hypercore.storage.Update;
import org.maiaos.mesh.hypercore.tree.Data;
import org.maiaos.mesh.hypercore.tree.HashedData;
import org.maiaos.mesh.hypercore.tree.MerkleTree;
import org.maiaos.mesh.hypercore.tree.MerkleTreeBatch;
import org.maiaos.mesh.hypercore.tree.NodeReader;
import org.maiaos.mesh.hypercore.tree.ProofBuilder;
import org.maiaos.mesh.hypercore.tree.ProofVerifier;
import org.maiaos.mesh.hypercore.tree.ReorgBatch;
import org.maiaos.mesh.hypercore.tree.Request;
import org.maiaos.mesh.hypercore.tree.TreeNode;
import org.maiaos.mesh.hypercore.tree.VerifiedProof;

/**
 * A Hypercore: a signed, append-only log of blocks in a directory, with the semantics of JS
 * hypercore 11. Writes (append, truncate) are serialized by one lock, the single owner of the
 * mutable state; reads never take it: they use the immutable head published after each write and
 * the storage's thread-safe positional reads.
 *
 * <p>The facade is what readers and the writer use. A replicator reaches the proof and head
 * plumbing through {@link #replication()}, the one interface the log offers the network.
 */
public final class Hypercore implements AutoCloseable {
  /** hypercore's MAX_SUGGESTED_BLOCK_SIZE: larger blocks are refused on append. */
  public static final int MAX_BLOCK_BYTES = 15 * 1024 * 1024;

  private final CoreStorage storage;
  private final Key32 key;
  private final Key32 discoveryKey;
  private volatile Manifest manifest; // null until a replica known only by its key learns it
  private volatile Verifier verifier;
  private final KeyPair keyPair; // null for a read-only core
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile MerkleTree head;
  private volatile BlockFetcher fetcher;
  private volatile boolean closed;
  private final java.util.concurrent.CopyOnWriteArrayList<HeadListener> headListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Replicable replication = new Replication();

  private Hypercore(CoreStorage storage) {
    this.storage = storage;
    CoreHeader header = storage.header();
    this.key = header.key();
    this.discoveryKey = Caps.discoveryKey(key);
    byte[] sk = header.secretKey();
    this.keyPair = sk == null ? null : keyPairFrom(sk);
    byte[] encoded = header.manifest();
    if (encoded != null) {
      this.manifest = Manifest.decode(encoded);
      this.verifier = Verifier.of(key, manifest);
      if (!verifier.isCompat() && !manifest.hash().equals(key)) {
        throw CoreError.STORAGE_CORRUPT.error("stored manifest does not hash to the core key %s", key);
      }
    } else if (keyPair != null) {
      throw CoreError.STORAGE_CORRUPT.error("writable core %s without a manifest", key);
    }
    Head h = storage.head();
    if (verifier == null && h.length() > 0) {
      throw CoreError.STORAGE_CORRUPT.error("core %s has blocks but no manifest", key);
    }
    MerkleTree tree = MerkleTree.open(storage::node, h.length(), h.fork(), h.signature());
    if (!java.util.Arrays.equals(tree.hash(), h.treeHash())) {
      throw CoreError.STORAGE_CORRUPT.error("tree roots do not match the stored tree hash at length %d", h.length());
    }
    if (h.length() > 0 && !verifier.verify(tree.hash(), tree.length(), tree.fork(), h.signature())) {
      throw CoreError.STORAGE_CORRUPT.error("stored signature does not verify at length %d", h.length());
    }
    this.head = tree;
  }

  /** Creates a new writable core in {@code dir}. */
  public static Hypercore create(Path dir, HypercoreOptions opts) {
    KeyPair kp = opts.keyPair() != null ? opts.keyPair() : Ed25519.keyPair();
    if (kp.secretKey() == null) throw CoreError.BAD_ARGUMENT.error("a writable core needs a secret key");
    Manifest m = opts.manifest() != null ? opts.manifest() : Manifest.defaultSigner(kp.publicKey());
    Key32 key;
    if (opts.compat()) {
      if (m.signers().size() != 1) throw CoreError.BAD_ARGUMENT.error("compat needs exactly one signer");
      key = m.signers().get(0).publicKey();
    } else {
      key = m.hash();
    }
    boolean signer = m.signers().stream().anyMatch(s -> s.publicKey().equals(kp.publicKey()));
    if (!signer) throw CoreError.BAD_ARGUMENT.error("the key pair is not a signer of the manifest");
    return new Hypercore(CoreStorage.create(dir, new CoreHeader(key, m.encode(), kp.secretKey())));
  }

  /** Creates an empty read-only replica of the core {@code key} whose manifest is known. */
  public static Hypercore createReplica(Path dir, Key32 key, Manifest manifest) {
    if (!manifest.isCompatWith(key) && !manifest.hash().equals(key)) {
      throw CoreError.BAD_ARGUMENT.error("manifest does not belong to key %s", key);
    }
    return new Hypercore(CoreStorage.create(dir, new CoreHeader(key, manifest.encode(), null)));
  }

  /**
   * Creates an empty read-only replica of the core {@code key} whose manifest is not known yet:
   * the first proof with an upgrade must bring it (or, for a compat core, the key is the signer).
   */
  public static Hypercore createReplica(Path dir, Key32 key) {
    return new Hypercore(CoreStorage.create(dir, new CoreHeader(key, null, null)));
  }

  /** Opens an existing core directory. */
  public static Hypercore open(Path dir) {
    CoreStorage s = CoreStorage.open(dir);
    try {
      return new Hypercore(s);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Opens the core in {@code dir} to read only, beside the process that may hold it (see {@link
   * CoreStorage#openSnapshot}): the core as it was a moment ago, verified as any open is (the
   * stored signature against the tree). Appends fail with INVALID_OPERATION. A snapshot caught in
   * the middle of the writer's truncation does not verify and is taken again, a few times.
   */
  public static Hypercore openSnapshot(Path dir) {
    for (int attempt = 1; ; attempt++) {
      CoreStorage s = CoreStorage.openSnapshot(dir);
      try {
        return new Hypercore(s);
      } catch (HypercoreException e) {
        s.close();
        if (e.code() != CoreError.STORAGE_CORRUPT || attempt >= SNAPSHOT_ATTEMPTS) throw e;
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    }
  }

  private static final int SNAPSHOT_ATTEMPTS = 3;

  private static KeyPair keyPairFrom(byte[] secretKey) {
    if (secretKey.length != 64) throw CoreError.STORAGE_CORRUPT.error("secret key of %d bytes", secretKey.length);
    return Ed25519.keyPair(java.util.Arrays.copyOf(secretKey, 32));
  }

  public Key32 key() {
    return key;
  }

  public Key32 discoveryKey() {
    return discoveryKey;
  }

  /** The manifest, or null while a replica known only by its key has not learned it. */
  public Manifest manifest() {
    return manifest;
  }

  /** The signature verifier, or null while the manifest is unknown. */
  public Verifier verifier() {
    return verifier;
  }

  /** Whether this process can append: it holds the secret key and did not open a snapshot. */
  public boolean writable() {
    return keyPair != null && !storage.readOnly();
  }

  public boolean compat() {
    Verifier v = verifier;
    return v != null && v.isCompat();
  }

  public long length() {
    return head.length();
  }

  public long byteLength() {
    return head.byteLength();
  }

  public long fork() {
    return head.fork();
  }

  public byte[] treeHash() {
    return head.hash();
  }

  /** The stored signature bytes of the current head, exactly as JS hypercore holds them. */
  public byte[] signature() {
    return head.signature();
  }

  public Info info() {
    MerkleTree h = head;
    return new Info(key, discoveryKey, h.length(), h.byteLength(), h.fork(), h.hash(), h.signature());
  }

  /** The stored tree node at a flat index, or null. */
  public TreeNode treeNode(long index) {
    return head.node(storage::node, index);
  }

  /** Appends one block; returns the new length. */
  public long append(byte[] block) {
    return append(List.of(block));
  }

  /** Appends blocks as one atomic batch, durable on return; returns the new length. */
  public long append(List<byte[]> blocks) {
    ensureOpen();
    if (!writable()) throw CoreError.SESSION_NOT_WRITABLE.error("core %s is read-only", key);
    for (byte[] b : blocks) {
      if (b.length > MAX_BLOCK_BYTES) throw CoreError.BAD_ARGUMENT.error("block of %d bytes exceeds %d", b.length, MAX_BLOCK_BYTES);
    }
    MerkleTree[] changed = null;
    writeLock.lock();
    try {
      ensureOpen();
      MerkleTree current = head;
      if (blocks.isEmpty()) return current.length();
      MerkleTreeBatch batch = current.batch();
      List<BlockWrite> writes = new ArrayList<>(blocks.size());
      for (byte[] b : blocks) {
        writes.add(new BlockWrite(batch.length(), b));
        batch.append(b);
      }
      byte[] hash = batch.hash();
      byte[] sig = verifier.sign(hash, batch.length(), batch.fork(), keyPair);
      MerkleTree next = batch.commit(sig);
      storage.commit(new Update(writes, batch.nodes(), -1, headOf(next, hash)));
      head = next;
      changed = new MerkleTree[] {current, next};
      return next.length();
    } finally {
      writeLock.unlock();
      if (changed != null) notifyHead(changed[0], changed[1]);
    }
  }

  /** Truncates to {@code newLength} (which may equal the length), with fork + 1, re-signed. */
  public void truncate(long newLength) {
    ensureOpen();
    if (!writable()) throw CoreError.SESSION_NOT_WRITABLE.error("core %s is read-only", key);
    MerkleTree[] changed = null;
    writeLock.lock();
    try {
      ensureOpen();
      MerkleTree current = head;
      if (newLength < 0 || newLength > current.length()) {
        throw CoreError.BAD_ARGUMENT.error("cannot truncate a core of length %d to %d", current.length(), newLength);
      }
      MerkleTree cut = current.truncate(storage::node, newLength, current.fork() + 1);
      byte[] hash = cut.hash();
      byte[] sig = verifier.sign(hash, cut.length(), cut.fork(), keyPair);
      MerkleTree next = cut.withSignature(sig);
      storage.commit(new Update(List.of(), List.of(), newLength, headOf(next, hash)));
      head = next;
      changed = new MerkleTree[] {current, next};
    } finally {
      writeLock.unlock();
      if (changed != null) notifyHead(changed[0], changed[1]);
    }
  }

  /** The block at {@code index} if it is stored locally; never touches the network. */
  public Optional<byte[]> getLocal(long index) {
    ensureOpen();
    if (index < 0 || index >= head.length()) return Optional.empty();
    return Optional.ofNullable(storage.block(index));
  }

  /**
   * The replication side of this core: proofs out, proofs in, heads, missing blocks. A replicator
   * (module {@code hyperswarm}) is wired to a core through it; readers never need it.
   */
  public Replicable replication() {
    return replication;
  }

  /**
   * The block at {@code index}: local, or, with a {@link BlockFetcher} set on
   * {@link #replication()} (a replicator sets one on a replica), downloaded and verified
   * (this call then blocks, so never make it on an event loop or the replicator's thread).
   * BLOCK_NOT_AVAILABLE if it is out of range or cannot be had; REQUEST_TIMEOUT when the fetch did
   * not end within {@link BlockFetcher#timeout()} (the fetch is then cancelled); REQUEST_CANCELLED
   * when the calling thread is interrupted.
   */
  public byte[] get(long index) {
    long len = head.length();
    if (index < 0 || index >= len) {
      throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is out of range (length %d)", index, len);
    }
    Optional<byte[]> local = getLocal(index);
    if (local.isPresent()) return local.get();
    BlockFetcher f = fetcher;
    if (f == null) throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is not stored locally", index);
    java.time.Duration timeout = f.timeout();
    java.util.concurrent.CompletableFuture<byte[]> pending = f.fetch(index);
    try {
      return pending.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof HypercoreException he) throw he;
      throw CoreError.BLOCK_NOT_AVAILABLE.error(e.getCause(), "block %d: %s", index, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      pending.cancel(false); // frees the request in the fetcher
      throw CoreError.REQUEST_TIMEOUT.error("block %d of %s not received in %s", index, discoveryKey, timeout);
    } catch (java.util.concurrent.CancellationException e) {
      throw CoreError.REQUEST_CANCELLED.error(e, "the fetch of block %d was cancelled", index);
    } catch (InterruptedException e) {
      pending.cancel(false);
      Thread.currentThread().interrupt();
      throw CoreError.REQUEST_CANCELLED.error(e, "interrupted while fetching block %d", index);
    }
  }

  /** True when block {@code index} is stored locally. */
  public boolean has(long index) {
    return index >= 0 && index < head.length() && storage.hasBlock(index);
  }

  /**
   * Which of the blocks from {@code start} (a multiple of 32) on this core holds, a bit each into
   * {@code words} (bit {@code j} of {@code words[k]}: block {@code start + 32k + j}), read a word at
   * a time from an in-memory bitfield: what a peer's {@code want} is answered with.
   */
  public void heldWords(long start, int[] words) {
    ensureOpen();
    storage.heldWords(start, words);
  }

  /** See {@link Replicable#proof}. */
  private Data proof(Request request) {
    ensureOpen();
    return ProofBuilder.build(head, storage::node, storage::block, request, compat() ? null : manifest);
  }

  /** See {@link Replicable#verifyAndStore}. */
  private VerifiedProof verifyAndStore(Data data) {
    ensureOpen();
    MerkleTree[] changed = null;
    writeLock.lock();
    try {
      ensureOpen();
      MerkleTree current = head;
      Verifier v = verifier;
      Manifest learned = null;
      if (v == null) {
        learned = data.manifest() != null ? data.manifest() : Manifest.defaultSigner(key); // no manifest: a compat core (as JS)
        if (!learned.hash().equals(key) && !learned.isCompatWith(key)) {
          throw CoreError.INVALID_PROOF.error("the peer's manifest does not belong to core %s", key);
        }
        v = Verifier.of(key, learned);
      }
      VerifiedProof proof = ProofVerifier.verify(current, storage::node, v, data);
      if (learned != null) {
        storage.setManifest(learned.encode());
        manifest = learned;
        verifier = v;
      }
      MerkleTree next = proof.head();
      if (next != null && keyPair != null) {
        throw CoreError.INVALID_OPERATION.error("a writable core does not take upgrades from peers");
      }
      List<BlockWrite> blocks = proof.block() == null
          ? List.of()
          : List.of(new BlockWrite(proof.block().index(), proof.block().value()));
      // downloaded data can always be fetched again: it is committed atomically but synced in
      // groups (see sync()); a new head, which peers were told about, is synced at once
      storage.commit(new Update(blocks, proof.nodes(), -1, next == null ? null : headOf(next, next.hash())), next != null);
      if (next != null) {
        head = next;
        changed = new MerkleTree[] {current, next};
      }
      return proof;
    } finally {
      writeLock.unlock();
      if (changed != null) notifyHead(changed[0], changed[1]);
    }
  }

  /** See {@link Replicable#verifyAndStoreBlocks}. */
  private List<ProofOutcome> verifyAndStoreBlocks(List<HashedData> proofs) {
    ensureOpen();
    if (proofs.isEmpty()) return List.of();
    writeLock.lock();
    try {
      ensureOpen();
      MerkleTree current = head;
      Verifier v = verifier;
      if (v == null) throw CoreError.INVALID_OPERATION.error("core %s has no manifest yet: verify its first proof alone", key);
      // nodes proven by earlier proofs of the batch, seen by the later ones before any is stored
      Map<Long, TreeNode> proven = new HashMap<>();
      NodeReader nodes = index -> {
        TreeNode n = proven.get(index);
        return n != null ? n : storage.node(index);
      };
      List<ProofOutcome> out = new ArrayList<>(proofs.size());
      List<BlockWrite> blocks = new ArrayList<>(proofs.size());
      List<TreeNode> newNodes = new ArrayList<>();
      for (HashedData hashed : proofs) {
        Data data = hashed.data();
        if (data.upgrade() != null || data.manifest() != null) {
          out.add(new ProofOutcome(null, CoreError.INVALID_OPERATION.error("a proof with an upgrade or manifest is verified alone")));
          continue;
        }
        try {
          VerifiedProof proof = ProofVerifier.verify(current, nodes, v, hashed);
          for (TreeNode n : proof.nodes()) proven.put(n.index(), n);
          newNodes.addAll(proof.nodes());
          if (proof.block() != null) blocks.add(new BlockWrite(proof.block().index(), proof.block().value()));
          out.add(new ProofOutcome(proof, null));
        } catch (HypercoreException e) {
          out.add(new ProofOutcome(null, e));
        }
      }
      // as for a single download: atomic, synced in groups (see sync())
      storage.commit(new Update(blocks, newNodes, -1, null), false);
      return out;
    } finally {
      writeLock.unlock();
    }
  }

  /** See {@link Replicable#verifyReorg}. */
  private ReorgBatch verifyReorg(Data data) {
    ensureOpen();
    if (keyPair != null) throw CoreError.INVALID_OPERATION.error("a writable core does not follow a peer's fork");
    Verifier v = verifier;
    if (v == null) throw CoreError.INVALID_OPERATION.error("core %s has no manifest yet: it takes any fork as an upgrade", key);
    return ReorgBatch.verify(head, storage::node, v, data);
  }

  /** See {@link Replicable#applyReorg}. */
  private MerkleTree applyReorg(ReorgBatch batch) {
    if (batch == null) throw CoreError.BAD_ARGUMENT.error("no reorg batch");
    ensureOpen();
    if (keyPair != null) throw CoreError.INVALID_OPERATION.error("a writable core does not follow a peer's fork");
    MerkleTree[] changed = null;
    writeLock.lock();
    try {
      ensureOpen();
      MerkleTree current = head;
      if (!batch.finished()) throw CoreError.INVALID_OPERATION.error("%s is not finished", batch);
      if (batch.base() != current) throw CoreError.INVALID_OPERATION.error("the head changed since %s was verified", batch);
      MerkleTree next = batch.head();
      if (next.fork() <= current.fork()) throw CoreError.INVALID_OPERATION.error("%s is not for a newer fork", batch);
      // what both forks share stays; the rest goes, in the same commit as the new head
      long cut = batch.ancestors() < current.length() ? batch.ancestors() : -1;
      storage.commit(new Update(List.of(), batch.nodes(), cut, headOf(next, next.hash())), true);
      head = next;
      changed = new MerkleTree[] {current, next};
      return next;
    } finally {
      writeLock.unlock();
      if (changed != null) notifyHead(changed[0], changed[1]);
    }
  }

  /** The one interface replication uses, over this core's private state. */
  private final class Replication implements Replicable {
    @Override
    public MerkleTree head() {
      return head;
    }

    @Override
    public long missingNodes(long flatIndex) {
      return head.missingNodes(storage::node, flatIndex);
    }

    @Override
    public Data proof(Request request) {
      return Hypercore.this.proof(request);
    }

    @Override
    public VerifiedProof verifyAndStore(Data data) {
      return Hypercore.this.verifyAndStore(data);
    }

    @Override
    public List<ProofOutcome> verifyAndStoreBlocks(List<Data> proofs) {
      List<HashedData> hashed = new ArrayList<>(proofs.size());
      for (Data d : proofs) hashed.add(HashedData.of(d));
      return Hypercore.this.verifyAndStoreBlocks(hashed);
    }

    @Override
    public List<ProofOutcome> verifyAndStoreHashedBlocks(List<HashedData> proofs) {
      return Hypercore.this.verifyAndStoreBlocks(List.copyOf(proofs));
    }

    @Override
    public ReorgBatch verifyReorg(Data data) {
      return Hypercore.this.verifyReorg(data);
    }

    @Override
    public MerkleTree applyReorg(ReorgBatch batch) {
      return Hypercore.this.applyReorg(batch);
    }

    @Override
    public void sync() {
      ensureOpen();
      storage.sync();
    }

    @Override
    public void addHeadListener(HeadListener listener) {
      headListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeHeadListener(HeadListener listener) {
      headListeners.remove(listener);
    }

    @Override
    public void setBlockFetcher(BlockFetcher f) {
      fetcher = f;
    }

    @Override
    public String toString() {
      return "Replicable[" + key + "]";
    }
  }

  private void notifyHead(MerkleTree previous, MerkleTree current) {
    for (var l : headListeners) {
      try {
        l.headChanged(previous, current);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Hypercore.class).error("head listener failed", e);
      }
    }
  }

  private static Head headOf(MerkleTree t, byte[] hash) {
    return new Head(t.fork(), t.length(), t.byteLength(), hash, t.signature());
  }

  private void ensureOpen() {
    if (closed) throw CoreError.SESSION_CLOSED.error("core %s is closed", key);
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) return;
      closed = true;
      storage.close();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Hypercore[" + key + ", length=" + head.length() + "]";
  }
}
