package org.maiaos.mesh.hypercore.storage;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * The tree nodes read or written lately, present or absent, by flat index: a direct-mapped table in
 * front of the tree file. A writer's proofs read the same upper nodes again and again, and a
 * replica asks, for every block it requests, how many levels above it it lacks (a walk over absent
 * nodes); without this table each of those is a pread.
 *
 * <p>Lock-free and never stale: a reader fills a slot only if it still holds the object the reader
 * saw before it read the file, and every write or clear puts a new object into its slot, so a read
 * that raced a write fails its compare-and-set instead of leaving the old value behind.
 */
final class NodeCache {
  static final int SLOT_BITS = 12;
  static final int SLOTS = 1 << SLOT_BITS;

  /** One slot's content: the node at {@code index}, null when it is absent. */
  private record Slot(long index, TreeNode node) {}

  interface FileRead {
    TreeNode read() throws IOException;
  }

  /**
   * Reads at most {@code count} nodes from {@code first} on, including the wanted one; null for an
   * absent one. It may answer fewer (the file's end, or a damaged neighbour it leaves out).
   */
  interface GroupRead {
    Group read(long first, int count) throws IOException;
  }

  /** Nodes {@code [first, first + nodes.length)} as read. */
  record Group(long first, TreeNode[] nodes) {}

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

  /**
   * Fibonacci hashing of the flat index. The low bits alone would put every node of depth 12 and
   * above in the last slot (their flat indexes all end in twelve 1-bits), and those are exactly
   * the upper nodes every proof carries.
   */
  static int slotOf(long index) {
    return (int) ((index * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
  }

  /** The node at {@code index}: from the table, else from {@code file} (and then remembered). */
  TreeNode read(long index, FileRead file) throws IOException {
    int i = slotOf(index);
    Slot seen = slots.get(i);
    if (seen != null && seen.index == index) return seen.node;
    TreeNode node = file.read();
    slots.compareAndSet(i, seen, new Slot(index, node));
    return node;
  }


  /**
   * The node at {@code index}: from the table, else from one read of the aligned group of
   * {@code group} nodes around it, all of which are then remembered. Neighbouring flat indexes are
   * the lower nodes of neighbouring blocks, which the next proofs and walks ask for.
   */
  TreeNode readAround(long index, int group, GroupRead file) throws IOException {
    int i = slotOf(index);
    Slot seen = slots.get(i);
    if (seen != null && seen.index == index) return seen.node;
    long first = index - index % group;
    Slot[] before = new Slot[group];
    for (int k = 0; k < group; k++) before[k] = slots.get(slotOf(first + k));
    Group read = file.read(first, group);
    TreeNode[] nodes = read.nodes();
    int skip = (int) (read.first() - first); // within [0, group): the read may start later
    for (int k = 0; k < nodes.length && skip + k < group; k++) {
      slots.compareAndSet(slotOf(read.first() + k), before[skip + k], new Slot(read.first() + k, nodes[k]));
    }
    long at = index - read.first();
    return at >= 0 && at < nodes.length ? nodes[(int) at] : null;
  }

  /** Node {@code index} was just written as {@code node}. */
  void written(long index, TreeNode node) {
    slots.set(slotOf(index), new Slot(index, node));
  }

  /** Forgets everything (after a truncation). */
  void clear() {
    for (int i = 0; i < SLOTS; i++) slots.set(i, new Slot(-1, null));
  }
}
