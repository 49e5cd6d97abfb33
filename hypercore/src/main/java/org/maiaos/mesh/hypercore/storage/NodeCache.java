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
  static final int SLOTS = 1 << 12;

  /** One slot's content: the node at {@code index}, null when it is absent. */
  private record Slot(long index, TreeNode node) {}

  interface FileRead {
    TreeNode read() throws IOException;
  }

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

  private static int slotOf(long index) {
    return (int) (index & (SLOTS - 1));
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

  /** Node {@code index} was just written as {@code node}. */
  void written(long index, TreeNode node) {
    slots.set(slotOf(index), new Slot(index, node));
  }

  /** Forgets everything (after a truncation). */
  void clear() {
    for (int i = 0; i < SLOTS; i++) slots.set(i, new Slot(-1, null));
  }
}
