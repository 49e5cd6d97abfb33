package org.maiaos.mesh.node.mesh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Caps;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;

/**
 * The cores of one node in one directory, Corestore-style: writable cores by name, their keys
 * derived from the store's primary key exactly as corestore 7 derives them ({@link StoreKeys}),
 * and replicas of other nodes' cores by key. Each core lives in {@code cores/<discovery key>}.
 *
 * <p>Crash safety: the primary key is written to a temporary file, synced and renamed into place
 * (then the directory synced), so a crash leaves either no key or the whole key; a core is created
 * in a temporary directory and renamed into place the same way, and temporaries a crash left
 * behind are removed on open. A primary-key file of the wrong size is STORAGE_CORRUPT: the store
 * never makes a new key over a damaged one, which would orphan every named core.
 */
public final class CoreStore implements AutoCloseable {
  static final String PRIMARY_KEY_FILE = "primary-key";
  static final String CORES_DIR = "cores";
  static final String TMP_PREFIX = ".tmp-";

  private final Path dir;
  private final Path cores;
  private final Key32 primaryKey;
  private final Key32 namespace;
  /** Guarded by this: the open cores, by discovery key. */
  private final Map<Key32, Hypercore> open = new LinkedHashMap<>();
  private boolean closed;

  private CoreStore(Path dir, Key32 primaryKey, Key32 namespace) {
    this.dir = dir;
    this.cores = dir.resolve(CORES_DIR);
    this.primaryKey = primaryKey;
    this.namespace = namespace;
  }

  /** Opens the store in {@code dir}, creating it (and a random primary key) if it is new. */
  public static CoreStore open(Path dir) {
    return open(dir, null);
  }

  /**
   * Opens the store with a given primary key (JS {@code new Corestore(dir, { primaryKey })}): a
   * new store takes it, an existing one must already have it (BAD_ARGUMENT otherwise).
   */
  public static CoreStore open(Path dir, Key32 primaryKey) {
    try {
      Files.createDirectories(dir.resolve(CORES_DIR));
      removeTemporaries(dir);
      removeTemporaries(dir.resolve(CORES_DIR));
      Key32 stored = readPrimaryKey(dir);
      if (stored == null) {
        stored = primaryKey != null ? primaryKey : Key32.of(randomKey());
        writePrimaryKey(dir, stored);
      } else if (primaryKey != null && !primaryKey.equals(stored)) {
        throw CoreError.BAD_ARGUMENT.error("%s holds another primary key", dir);
      }
      return new CoreStore(dir, stored, StoreKeys.ROOT_NAMESPACE);
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot open the store in %s: %s", dir, e.getMessage());
    }
  }

  public Path dir() {
    return dir;
  }

  /** The key pair of the named core, derived, whether or not the core exists yet. */
  public KeyPair keyPair(String name) {
    return StoreKeys.keyPair(primaryKey, namespace, name);
  }

  /** The writable core {@code name}: opened if it exists, created empty if not. */
  public synchronized Hypercore get(String name) {
    KeyPair kp = keyPair(name);
    Key32 key = StoreKeys.coreKey(kp);
    return openOrCreate(key, tmp -> Hypercore.create(tmp, HypercoreOptions.builder().keyPair(kp).build()));
  }

  /** The core {@code key}: ours if we write it, else a sparse replica (created empty if new). */
  public synchronized Hypercore get(Key32 key) {
    return openOrCreate(key, tmp -> Hypercore.createReplica(tmp, key));
  }

  /** An open core by discovery key, or null. */
  public synchronized Hypercore byDiscoveryKey(Key32 discoveryKey) {
    return open.get(discoveryKey);
  }

  /** The discovery keys of every core on disk. */
  public synchronized List<Key32> list() {
    List<Key32> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cores)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(TMP_PREFIX)) continue;
        try {
          out.add(Key32.fromHex(n));
        } catch (HypercoreException e) {
          // not a core directory: ignored
        }
      }
    } catch (IOException e) {
      throw CoreError.IO_ERROR.error(e, "cannot list %s", cores);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    RuntimeException first = null;
    for (Hypercore c : open.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    open.clear();
    if (first != null) throw first;
  }

  // ---------------------------------------------------------------- internals

  private interface Creator {
    Hypercore create(Path tmp);
  }

  private Hypercore openOrCreate(Key32 key, Creator creator) {
    if (closed) throw CoreError.SESSION_CLOSED.error("store closed");
    Key32 dk = Caps.discoveryKey(key);
    Hypercore c = open.get(dk);
    if (c != null) return c;
    Path at = cores.resolve(dk.hex());
    if (Files.isDirectory(at)) {
      c = Hypercore.open(at);
      if (!c.key().equals(key)) {
        c.close();
        throw CoreError.STORAGE_CORRUPT.error("%s holds core %s, not %s", at, c.key(), key);
      }
    } else {
      Path tmp = cores.resolve(TMP_PREFIX + dk.hex());
      try {
        deleteTree(tmp);
        Files.createDirectories(tmp);
        creator.create(tmp).close();
        Files.move(tmp, at, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(cores);
      } catch (IOException e) {
        throw CoreError.IO_ERROR.error(e, "cannot create core %s in %s: %s", key, at, e.getMessage());
      }
      c = Hypercore.open(at);
    }
    open.put(dk, c);
    return c;
  }

  private static byte[] randomKey() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static Key32 readPrimaryKey(Path dir) throws IOException {
    Path f = dir.resolve(PRIMARY_KEY_FILE);
    if (!Files.exists(f)) return null;
    long size = Files.size(f);
    if (size != Key32.BYTES) {
      throw CoreError.STORAGE_CORRUPT.error("%s is %d bytes, not %d: refusing to make a new key over it", f, size, Key32.BYTES);
    }
    return Key32.of(Files.readAllBytes(f));
  }

  private static void writePrimaryKey(Path dir, Key32 key) throws IOException {
    Path tmp = dir.resolve(TMP_PREFIX + PRIMARY_KEY_FILE);
    Files.deleteIfExists(tmp);
    try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(dir))) {
      ByteBuffer b = ByteBuffer.wrap(key.toByteArray());
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(PRIMARY_KEY_FILE), StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(dir);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }

  private static void removeTemporaries(Path in) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(in, TMP_PREFIX + "*")) {
      for (Path p : ds) deleteTree(p);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    if (Files.isDirectory(p)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) deleteTree(c);
      }
    }
    Files.delete(p);
  }

  /** Makes a rename durable (not possible, nor needed, on Windows). */
  static void fsyncDir(Path d) throws IOException {
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) return;
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
