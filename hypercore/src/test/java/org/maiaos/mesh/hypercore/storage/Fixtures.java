package org.maiaos.mesh.hypercore.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/** Shared helpers for the storage tests: deterministic content, whole trees, directory copies. */
final class Fixtures {
  private Fixtures() {}

  static CoreHeader header(Random r) {
    byte[] key = new byte[32];
    r.nextBytes(key);
    byte[] manifest = new byte[1 + r.nextInt(200)];
    r.nextBytes(manifest);
    byte[] sk = new byte[64];
    r.nextBytes(sk);
    return new CoreHeader(Key32.of(key), manifest, sk);
  }

  static CoreHeader header() {
    return header(new Random(1));
  }

  /** SHA-256 of the parts, as a deterministic source of bytes. */
  static byte[] sha256(String... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        d.update(p.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The bytes of block {@code index} under label {@code tag}: 0..{@code maxLen} bytes, derived from a hash. */
  static byte[] blockValue(String tag, long index, int maxLen) {
    byte[] seed = sha256(tag, Long.toString(index));
    int len = Math.floorMod(seed[0] * 256 + seed[1], maxLen + 1);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i += 32) {
      byte[] chunk = i == 0 ? seed : sha256(tag, Long.toString(index), Integer.toString(i));
      System.arraycopy(chunk, 0, out, i, Math.min(32, len - i));
    }
    return out;
  }

  static byte[] hash32(String... parts) {
    return sha256(parts);
  }

  static Head head(long fork, long length, long byteLength, String tag) {
    byte[] sig = new byte[64];
    System.arraycopy(sha256("sig", tag), 0, sig, 0, 32);
    return new Head(fork, length, byteLength, hash32("tree", tag), sig);
  }

  /** Blocks [from, to) with values {@code blockValue(tag, i, maxLen)}. */
  static List<BlockWrite> blocks(String tag, long from, long to, int maxLen) {
    List<BlockWrite> out = new ArrayList<>();
    for (long i = from; i < to; i++) out.add(new BlockWrite(i, blockValue(tag, i, maxLen)));
    return out;
  }

  /**
   * The nodes a Merkle tree over {@code values} (blocks 0..n-1) adds when blocks [from, n) are
   * appended: their leaves and every parent completed by them. Hashes are real ones.
   */
  static List<TreeNode> treeNodes(List<byte[]> values, long from) {
    List<TreeNode> all = new ArrayList<>();
    java.util.Map<Long, TreeNode> byIndex = new java.util.HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      TreeNode leaf = TreeNode.leaf(i, values.get(i));
      byIndex.put(leaf.index(), leaf);
    }
    // build parents bottom-up while both children exist
    boolean grew = true;
    while (grew) {
      grew = false;
      for (TreeNode n : new ArrayList<>(byIndex.values())) {
        long p = FlatTree.parent(n.index());
        if (byIndex.containsKey(p)) continue;
        TreeNode sib = byIndex.get(FlatTree.sibling(n.index()));
        if (sib == null) continue;
        byIndex.put(p, TreeNode.parent(n, sib));
        grew = true;
      }
    }
    for (TreeNode n : byIndex.values()) {
      if (FlatTree.rightSpan(n.index()) >= 2 * from) all.add(n);
    }
    all.sort((a, b) -> Long.compare(a.index(), b.index()));
    return all;
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static byte[] read(Path dir, String file) throws IOException {
    return Files.readAllBytes(dir.resolve(file));
  }

  static void assertSameFile(Path a, Path b, String name) throws IOException {
    byte[] x = read(a, name);
    byte[] y = read(b, name);
    if (!Arrays.equals(x, y)) {
      throw new AssertionError(name + " differs: " + x.length + " vs " + y.length + " bytes, first difference at " + Arrays.mismatch(x, y));
    }
  }

  /** Runs {@code action} with System.err captured (slf4j-simple writes there), returning what it printed. */
  static <T> String captureStderr(Supplier<T> action, List<T> result) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      result.add(action.get());
    } finally {
      System.setErr(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    old.print(out);
    return out;
  }
}
