package org.maiaos.mesh.hypercore.tree;

import java.util.Objects;

/**
 * A {@code data} message with the leaf node of its block already hashed. Hashing a block is most
 * of what verifying a big downloaded one costs; a replicator has it done on the thread that
 * received the message, beside the one that verifies and stores in order. Made only from the
 * message itself, so the leaf always belongs to the block it carries.
 */
public final class HashedData {
  private final Data data;
  private final TreeNode leaf;

  private HashedData(Data data, TreeNode leaf) {
    this.data = data;
    this.leaf = leaf;
  }

  /** {@code data} with its block's leaf hashed now (nothing to hash without a block). */
  public static HashedData of(Data data) {
    Objects.requireNonNull(data, "data");
    return new HashedData(data, data.block() == null ? null : data.block().leaf());
  }

  public Data data() {
    return data;
  }

  /** The block's leaf node, or null when the message carries no block. */
  TreeNode leaf() {
    return leaf;
  }
}
