package org.maiaos.mesh.hypercore.tree;

import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * What a proof established ({@link ProofVerifier#verify}): the block it carried, every tree node it
 * proved (to store, as JS commits its verify batch), and the new signed head if it upgraded ours.
 *
 * @param block the verified block, or null when the proof carried none
 * @param nodes the proven nodes, each index once: leaf, proof siblings and the parents computed
 *     from them, seek nodes, upgrade roots and the parents they merged into
 * @param head the new head (roots, length, fork, signature), or null when the proof did not make
 *     the tree longer
 */
public record VerifiedProof(Block block, List<TreeNode> nodes, MerkleTree head) {
  public VerifiedProof {
    nodes = List.copyOf(nodes);
  }

  /** A verified block: its index and its stored bytes (copied in and out). */
  public record Block(long index, byte[] value) {
    public Block {
      if (value == null) throw CoreError.BAD_ARGUMENT.error("block value must not be null");
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Block b && b.index == index && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(index) * 31 + Arrays.hashCode(value);
    }

    /** Shows the value's length only: block contents are never logged. */
    @Override
    public String toString() {
      return "Block[index=" + index + ", value=" + value.length + " bytes]";
    }
  }
}
