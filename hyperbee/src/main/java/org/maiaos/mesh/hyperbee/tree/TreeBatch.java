package org.maiaos.mesh.hyperbee.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * One read or write context over a bee, hyperbee's {@code Batch}: it fixes the version it reads
 * (a snapshot length or a checkout), keeps the blocks it touched with their mutable pointers, and
 * runs put/del with exactly the split, merge and borrow choices of index.js, so the blocks it writes
 * are byte-identical to JS. An auto-flushing batch appends each operation's block at once; otherwise
 * operations queue as pending blocks until {@link #flush()} appends them in one atomic core append.
 * Not thread-safe: one batch belongs to one operation or one caller.
 */
public final class TreeBatch {
  /** hyperbee's maxBlocksCached: committed blocks a batch keeps beyond its pending ones. */
  static final int MAX_BLOCKS_CACHED = 128;

  final BeeCore bee;
  private final Config config;
  private final long snapshotLength; // -1: the live core length
  private final long checkout; // 0: none
  private final boolean autoFlush;
  private final Map<Long, BlockEntry> blocks;
  private int length;
  private TreeNode root;
  private List<byte[]> appending;

  /**
   * Per-view settings: hyperbee's {@code alwaysDuplicate} (per bee instance; subs reset it to true,
   * as JS does), {@code readonly}, the header to write lazily, and whether get takes JS's unsound
   * shortcut (see {@link #get}).
   */
  public record Config(boolean alwaysDuplicate, boolean readonly, HeaderBlock header, boolean jsGetShortcut) {}

  /** A check of the existing entry before a put or del replaces it; false declines the write. */
  public interface Cas {
    boolean accept(BlockEntry prev, long nextSeq);
  }

  private TreeBatch(BeeCore bee, Config config, long snapshotLength, long checkout, boolean autoFlush) {
    this.bee = bee;
    this.config = config;
    this.snapshotLength = snapshotLength;
    this.checkout = checkout;
    this.autoFlush = autoFlush;
    this.blocks = new HashMap<>();
  }

  /** A read context at {@code checkout} (0: the core's length now, frozen). */
  public static TreeBatch read(BeeCore bee, Config config, long checkout) {
    return new TreeBatch(bee, config, bee.core().length(), checkout, true);
  }

  /** A write context over the live core; the caller holds the bee's write lock. */
  public static TreeBatch write(BeeCore bee, Config config, boolean autoFlush) {
    return new TreeBatch(bee, config, -1, 0, autoFlush);
  }

  long coreLength() {
    return snapshotLength >= 0 ? snapshotLength : bee.core().length();
  }

  /** Blocks queued and not flushed. */
  public int pendingLength() {
    return length;
  }

  /** max(1, checkout), else max(1, core length + pending). */
  public long version() {
    if (checkout > 0) return Math.max(1, checkout);
    return Math.max(1, coreLength() + length);
  }

  /** The root of this batch's version, or null for the empty tree; writes the header first if asked. */
  public TreeNode getRoot(boolean ensureHeader) {
    if (ensureHeader && bee.core().length() == 0 && bee.core().writable() && !config.readonly()) {
      bee.core().append(BlockCodec.encodeHeader(config.header()));
    }
    long v = version();
    if (v < 2) return null;
    return getBlock(v - 1).getTreeNode(0);
  }

  /** The key of the block a key pointer names. */
  byte[] getKey(long seq) {
    BlockEntry b = blocks.get(seq);
    if (b != null) return b.key;
    return readable(seq, true).key();
  }

  private NodeBlock readable(long seq, boolean pointer) {
    long visible = checkout > 0 ? Math.max(coreLength(), checkout) : coreLength();
    if (seq >= visible) {
      if (pointer) throw CoreError.DECODING_ERROR.error("pointer to block %d beyond the core (%d blocks)", seq, visible);
      throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is beyond this version (%d blocks)", seq, visible);
    }
    return bee.node(seq);
  }

  /** The block at {@code seq} as this batch sees it (pending blocks included). */
  public BlockEntry getBlock(long seq) {
    return block(seq, false);
  }

  /** The block a key or child pointer names: DECODING_ERROR if it lies beyond the core. */
  public BlockEntry pointed(long seq) {
    return block(seq, true);
  }

  private BlockEntry block(long seq, boolean pointer) {
    BlockEntry b = blocks.get(seq);
    if (b != null) return b;
    NodeBlock n = readable(seq, pointer);
    b = new BlockEntry(seq, this, n, n.key(), n.value());
    if (blocks.size() - length < MAX_BLOCKS_CACHED) blocks.put(seq, b);
    return b;
  }

  /**
   * index.js Batch._get: the block holding {@code key}'s latest put, or null.
   *
   * <p>JS answers from any node whose own block has {@code key} as its Node.key: it returns that
   * block, or null if the block is a deletion. That shortcut is unsound: rotations (borrows) move
   * whole subtrees under other separators without rewriting them, so after a later overwrite or
   * delete of {@code key} its search path can again pass a node stored in an old block of {@code key},
   * and JS returns that stale entry (HyperbeeGetShortcutTest shows a sequence where it does). With
   * {@code jsGetShortcut} this walk does the same, for byte-exact interop checks; by default it only
   * takes the shortcut when the node itself still points at its block, which is always correct.
   */
  public BlockEntry get(byte[] key) {
    TreeNode node = getRoot(false);
    if (node == null) return null;
    for (int depth = 0; ; depth++) {
      checkDepth(depth);
      if (node.block.isTarget(key)) {
        if (config.jsGetShortcut()) return node.block.isDeletion() ? null : node.block;
        for (Key k : node.keys) {
          if (k.seq == node.block.seq) return node.block;
        }
      }
      int s = 0;
      int e = node.keys.size();
      int c = 0;
      while (s < e) {
        int mid = (s + e) >>> 1;
        c = Bytes.compare(key, node.getKey(mid));
        if (c == 0) return pointed(node.keys.get(mid).seq);
        if (c < 0) e = mid;
        else s = mid + 1;
      }
      if (node.children.isEmpty()) return null;
      node = node.getChildNode(c < 0 ? e : s);
    }
  }

  static void checkDepth(int depth) {
    if (depth > Limits.MAX_DEPTH) throw CoreError.DECODING_ERROR.error("tree deeper than %d levels (malformed or cyclic)", Limits.MAX_DEPTH);
  }

  /** index.js Batch._put. Returns true when a block was written or queued. */
  public boolean put(byte[] key, byte[] value, Cas cas) {
    List<TreeNode> stack = new ArrayList<>();
    TreeNode root = getRoot(true);
    if (root == null) root = TreeNode.create(null);
    TreeNode node = root;
    long seq = coreLength() + length;
    Key target = new Key(seq, key);
    TreeNode.WriteCheck check = (n, i) -> {
      if (cas != null && !cas.accept(n.getKeyNode(i), seq)) return false;
      return config.alwaysDuplicate() || !sameValue(n.getKeyNode(i).value, value);
    };

    int depth = 0;
    while (!node.children.isEmpty()) {
      checkDepth(depth++);
      stack.add(node);
      node.changed = true; // on the path: rewritten even if nothing below changes
      int s = 0;
      int e = node.keys.size();
      int c = 0;
      while (s < e) {
        int mid = (s + e) >>> 1;
        c = Bytes.compare(key, node.getKey(mid));
        if (c == 0) {
          if (!check.accept(node, mid)) return false;
          node.keys.set(mid, target);
          node.changed = true;
          return append(root, seq, key, value);
        }
        if (c < 0) e = mid;
        else s = mid + 1;
      }
      node = node.getChildNode(c < 0 ? e : s);
    }

    boolean needsSplit = !node.insertKey(target, value, null, check);
    if (!node.changed) return false;

    while (needsSplit) {
      TreeNode parent = stack.isEmpty() ? null : stack.remove(stack.size() - 1);
      TreeNode[] right = new TreeNode[1];
      Key median = node.split(right);
      if (parent != null) {
        needsSplit = !parent.insertKey(median, value, right[0], null);
        node = parent;
      } else {
        root = TreeNode.create(node.block);
        root.keys.add(median);
        root.children.add(new Child(0, 0, node));
        root.children.add(new Child(0, 0, right[0]));
        needsSplit = false;
      }
    }
    return append(root, seq, key, value);
  }

  private static boolean sameValue(byte[] a, byte[] b) {
    return a == b || (a != null && b != null && java.util.Arrays.equals(a, b));
  }

  /** index.js Batch._del. Returns true when a block was written or queued. */
  public boolean del(byte[] key, Cas cas) {
    List<TreeNode> stack = new ArrayList<>();
    TreeNode node = getRoot(true);
    if (node == null) return false;
    long seq = coreLength() + length;
    for (int depth = 0; ; depth++) {
      checkDepth(depth);
      stack.add(node);
      int s = 0;
      int e = node.keys.size();
      int c = 0;
      while (s < e) {
        int mid = (s + e) >>> 1;
        c = Bytes.compare(key, node.getKey(mid));
        if (c == 0) {
          if (cas != null && !cas.accept(node.getKeyNode(mid), seq)) return false;
          if (!node.children.isEmpty()) setKeyToNearestLeaf(node, mid, stack);
          else node.removeKey(mid);
          // flagged only now, so a delete of a missing key rewrites nothing
          for (TreeNode n : stack) n.changed = true;
          return append(rebalance(stack), seq, key, null);
        }
        if (c < 0) e = mid;
        else s = mid + 1;
      }
      if (node.children.isEmpty()) return false;
      node = node.getChildNode(c < 0 ? e : s);
    }
  }

  private static int leafSize(TreeNode node, boolean goLeft) {
    for (int depth = 0; !node.children.isEmpty(); depth++) {
      checkDepth(depth);
      node = node.getChildNode(goLeft ? 0 : node.children.size() - 1);
    }
    return node.keys.size();
  }

  /**
   * Replaces inner key {@code index} by its predecessor or successor: from the right subtree when
   * the left subtree's rightmost leaf has fewer keys than the right's leftmost leaf, else from the
   * left; the path down to that leaf joins the stack so rebalancing starts there.
   */
  private static void setKeyToNearestLeaf(TreeNode node, int index, List<TreeNode> stack) {
    TreeNode left = node.getChildNode(index);
    TreeNode right = node.getChildNode(index + 1);
    int ls = leafSize(left, false);
    int rs = leafSize(right, true);
    if (ls < rs) {
      stack.add(right);
      while (!right.children.isEmpty()) {
        right = right.children.get(0).value;
        stack.add(right);
      }
      node.keys.set(index, right.keys.remove(0));
    } else {
      stack.add(left);
      while (!left.children.isEmpty()) {
        left = left.children.get(left.children.size() - 1).value;
        stack.add(left);
      }
      node.keys.set(index, left.keys.remove(left.keys.size() - 1));
    }
  }

  /** index.js rebalance: borrow from the left, else the right, else merge; bottom-up. */
  private static TreeNode rebalance(List<TreeNode> stack) {
    TreeNode root = stack.get(0);
    while (stack.size() > 1) {
      TreeNode node = stack.remove(stack.size() - 1);
      TreeNode parent = stack.get(stack.size() - 1);
      if (node.keys.size() >= Limits.MIN_KEYS) return root;

      TreeNode.Siblings sib = node.siblings(parent);
      TreeNode left = sib.left();
      TreeNode right = sib.right();
      int index = sib.index();

      if (left != null && left.keys.size() > Limits.MIN_KEYS) {
        left.changed = true;
        node.keys.add(0, parent.keys.get(index - 1));
        if (!left.children.isEmpty()) node.children.add(0, left.children.remove(left.children.size() - 1));
        parent.keys.set(index - 1, left.keys.remove(left.keys.size() - 1));
        return root;
      }
      if (right != null && right.keys.size() > Limits.MIN_KEYS) {
        right.changed = true;
        node.keys.add(parent.keys.get(index));
        if (!right.children.isEmpty()) node.children.add(right.children.remove(0));
        parent.keys.set(index, right.keys.remove(0));
        return root;
      }
      if (left != null) {
        index--;
        right = node;
      } else {
        left = node;
      }
      left.merge(right, parent.keys.get(index));
      parent.removeKey(index);
    }
    if (root.keys.isEmpty() && !root.children.isEmpty()) return root.getChildNode(0);
    return root;
  }

  private boolean append(TreeNode root, long seq, byte[] key, byte[] value) {
    List<Child> index = new ArrayList<>();
    root.indexChanges(index, seq, 0);
    index.set(0, new Child(seq, 0, root));
    if (!autoFlush) {
      BatchEntry block = new BatchEntry(seq, this, key, value, index);
      root.block = block;
      this.root = root;
      length++;
      blocks.put(seq, block);
      root.updateChildren(seq, block);
      return true;
    }
    bee.core().append(BlockCodec.encodeNode(deflate(index), key, value));
    return true;
  }

  private static byte[] deflate(List<Child> index) {
    List<YoloIndex.Level> levels = new ArrayList<>(index.size());
    for (Child c : index) {
      TreeNode n = c.value;
      long[] keys = new long[n.keys.size()];
      for (int i = 0; i < keys.length; i++) keys[i] = n.keys.get(i).seq;
      long[] children = new long[2 * n.children.size()];
      for (int i = 0; i < n.children.size(); i++) {
        Child ch = n.children.get(i);
        children[2 * i] = ch.seq;
        children[2 * i + 1] = ch.offset;
      }
      levels.add(new YoloIndex.Level(keys, children));
    }
    return BlockCodec.encodeIndex(new YoloIndex(levels));
  }

  /**
   * index.js Batch.toBlocks: every pending block but the last drops its root slot and keeps only
   * the nodes it still wrote last (child pointers whose seq is still its own), compacting by moving
   * the last slot into each hole and renumbering offsets through the shared child pointers, which
   * later blocks of the batch then encode.
   */
  List<byte[]> toBlocks() {
    if (appending != null) return appending;
    List<byte[]> out = new ArrayList<>(length);
    long base = coreLength();
    for (int i = 0; i < length; i++) {
      long seq = base + i;
      BatchEntry b = (BatchEntry) blocks.get(seq);
      List<Child> pending = b.pendingIndex;
      if (i < length - 1) {
        pending.set(0, null);
        int j = 0;
        while (j < pending.size()) {
          Child idx = pending.get(j);
          if (idx != null && idx.seq == seq) {
            idx.offset = j++;
            continue;
          }
          Child last = pending.remove(pending.size() - 1);
          if (j < pending.size()) pending.set(j, last);
        }
      }
      out.add(BlockCodec.encodeNode(deflate(pending), b.key, b.value));
    }
    appending = out;
    return out;
  }

  /** Appends the pending blocks in one atomic core append. Returns true if there were any. */
  public boolean flush() {
    if (length == 0) {
      close();
      return false;
    }
    List<byte[]> batch = toBlocks();
    close();
    bee.core().append(batch);
    return true;
  }

  /** Drops pending blocks and everything this batch loaded. */
  public void close() {
    root = null;
    blocks.clear();
    length = 0;
    appending = null;
  }
}
