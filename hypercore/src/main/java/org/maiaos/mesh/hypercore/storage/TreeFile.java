package org.maiaos.mesh.hypercore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * The {@code tree} file: 40 bytes per flat-tree index ({@code u64le size | 32-byte hash}), all
 * zero for an absent node. A replica's sparse nodes leave holes, which the file system keeps
 * sparse.
 */
final class TreeFile implements Closeable {
  static final int NODE_BYTES = 40;
  /** Nodes read together on a miss: 640 bytes, about the cost of reading one. */
  static final int READ_GROUP = 16;
  private static final byte[] ZERO_NODE = new byte[NODE_BYTES];

  private final FileChannel out;
  private final ReadChannel in;
  /** Null for a read-only snapshot: another process writes the file underneath it. */
  private final NodeCache cache;

  private TreeFile(FileChannel out, ReadChannel in, NodeCache cache) {
    this.out = out;
    this.in = in;
    this.cache = cache;
  }

  static TreeFile open(Path file) throws IOException {
    return open(file, true);
  }

  /** With {@code writable} false nothing can be written (a read-only snapshot). */
  static TreeFile open(Path file, boolean writable) throws IOException {
    FileChannel out = writable ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new TreeFile(out, new ReadChannel(file), writable ? new NodeCache() : null);
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }

  /** The node at {@code index} (at most 2^53), or null when absent. Thread-safe. */
  TreeNode read(long index) throws IOException {
    if (cache == null) return readOne(index);
    return cache.readAround(index, READ_GROUP, (first, count) -> readGroup(first, count, index));
  }

  /**
   * Up to {@code count} nodes from {@code first} in one read; fewer where the file ends. A damaged
   * neighbour of {@code wanted} is left out (by reading {@code wanted} alone), so that only a read
   * of the damaged node itself fails, as without the group.
   */
  private NodeCache.Group readGroup(long first, int count, long wanted) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(count * NODE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int n = in.read(b, first * NODE_BYTES);
    int whole = n / NODE_BYTES;
    if (n % NODE_BYTES != 0 && wanted == first + whole) {
      throw CoreError.STORAGE_CORRUPT.error("tree file ends inside node %d", wanted);
    }
    TreeNode[] out = new TreeNode[whole];
    for (int k = 0; k < whole; k++) {
      if (b.getLong(k * NODE_BYTES) < 0) return new NodeCache.Group(wanted, new TreeNode[] {readOne(wanted)});
      out[k] = decode(b, k * NODE_BYTES, first + k);
    }
    return new NodeCache.Group(first, out);
  }

  private TreeNode readOne(long index) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(NODE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int n = in.read(b, index * NODE_BYTES);
    if (n == 0) return null;
    if (n < NODE_BYTES) throw CoreError.STORAGE_CORRUPT.error("tree file ends inside node %d", index);
    return decode(b, 0, index);
  }

  /** The node stored at {@code at} in {@code b}: null when all zero (absent). */
  private static TreeNode decode(ByteBuffer b, int at, long index) {
    byte[] a = b.array();
    boolean zero = true;
    for (int i = at; i < at + NODE_BYTES && zero; i++) zero = a[i] == 0;
    if (zero) return null;
    long size = b.getLong(at);
    if (size < 0) throw CoreError.STORAGE_CORRUPT.error("tree node %d has size %d", index, size);
    return new TreeNode(index, size, Arrays.copyOfRange(a, at + 8, at + NODE_BYTES));
  }

  /** Writes the entry's nodes: one buffer, one write per run of consecutive indices. */
  void write(OplogEntry e) throws IOException {
    int count = e.nodeIndex.length;
    if (count == 0) return;
    byte[] buf = new byte[count * NODE_BYTES];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      bb.putLong(i * NODE_BYTES, e.nodeSize[i]);
      System.arraycopy(e.buf, e.nodeHashOffset[i], buf, i * NODE_BYTES + 8, 32);
    }
    int runStart = 0;
    for (int i = 1; i <= count; i++) {
      if (i == count || e.nodeIndex[i] != e.nodeIndex[i - 1] + 1) {
        FileIo.writeFully(out, ByteBuffer.wrap(buf, runStart * NODE_BYTES, (i - runStart) * NODE_BYTES), e.nodeIndex[runStart] * NODE_BYTES);
        runStart = i;
      }
    }
    if (cache != null) {
      for (int i = 0; i < count; i++) {
        cache.written(e.nodeIndex[i], new TreeNode(e.nodeIndex[i], e.nodeSize[i], Arrays.copyOfRange(e.buf, e.nodeHashOffset[i], e.nodeHashOffset[i] + 32)));
      }
    }
  }

  /**
   * Drops every node that spans a block at or after {@code length}: all indices from
   * {@code 2 * length} on (one file truncation), and the ancestors of leaf {@code 2 * length} that
   * sit below it (at most one per tree level).
   */
  void truncate(long length) throws IOException {
    try {
      truncateFile(length);
    } finally {
      if (cache != null) cache.clear(); // after the file changed: a read that raced it cannot refill a slot
    }
  }


  private void truncateFile(long length) throws IOException {
    long leaf = 2 * length;
    long size = out.size();
    if (size > leaf * NODE_BYTES) {
      out.truncate(leaf * NODE_BYTES);
      size = leaf * NODE_BYTES;
    }
    long node = leaf;
    for (;;) {
      node = FlatTree.parent(node);
      if (node < leaf) {
        if (node * NODE_BYTES < size) FileIo.writeFully(out, ByteBuffer.wrap(ZERO_NODE), node * NODE_BYTES);
      } else if (FlatTree.leftSpan(node) == 0) {
        break; // this and every higher ancestor has an index past the leaf
      }
    }
  }

  void force() throws IOException {
    out.force(true);
  }

  @Override
  public void close() throws IOException {
    try {
      in.close();
    } finally {
      out.close();
    }
  }
}
