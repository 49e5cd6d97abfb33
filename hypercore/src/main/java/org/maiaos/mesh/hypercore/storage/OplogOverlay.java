package org.maiaos.mesh.hypercore.storage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.maiaos.mesh.hypercore.tree.FlatTree;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * What a read-only snapshot knows beyond the checkpoint: the blocks and tree nodes of the oplog
 * entries it replayed, held in memory because a snapshot never writes (and the writer may not
 * have put them in the files yet). A truncation among them hides what the files hold from its
 * length on. The oplog is cut at every checkpoint, so this stays small.
 */
final class OplogOverlay {
  private final Map<Long, byte[]> blocks = new HashMap<>();
  private final Map<Long, TreeNode> nodes = new HashMap<>();
  /** Blocks from this index on (and nodes spanning them) are not read from the files. */
  private long filesCut = Long.MAX_VALUE;

  void apply(OplogEntry e) {
    if (e.truncateTo >= 0) {
      long t = e.truncateTo;
      filesCut = Math.min(filesCut, t);
      blocks.keySet().removeIf(i -> i >= t);
      nodes.keySet().removeIf(i -> spansFrom(i, t));
    }
    int at = e.valuesOffset;
    for (int i = 0; i < e.blockIndex.length; i++) {
      blocks.put(e.blockIndex[i], Arrays.copyOfRange(e.buf, at, at + e.blockLength[i]));
      at += e.blockLength[i];
    }
    for (int i = 0; i < e.nodeIndex.length; i++) {
      int h = e.nodeHashOffset[i];
      nodes.put(e.nodeIndex[i], new TreeNode(e.nodeIndex[i], e.nodeSize[i], Arrays.copyOfRange(e.buf, h, h + 32)));
    }
  }

  /** Whether node {@code flatIndex} covers a block at or after {@code length}. */
  private static boolean spansFrom(long flatIndex, long length) {
    return FlatTree.rightSpan(flatIndex) / 2 >= length;
  }

  /** Makes {@code held}, built from the files, say what this snapshot holds. */
  void markHeld(HeldBlocks held) {
    if (filesCut != Long.MAX_VALUE) held.clearFrom(filesCut);
    for (long i : blocks.keySet()) held.set(i);
  }

  /** The replayed block, or null when the snapshot has none of its own. */
  byte[] block(long index) {
    return blocks.get(index);
  }

  /** Whether the files' copy of block {@code index} is hidden by a replayed truncation. */
  boolean hidesBlock(long index) {
    return index >= filesCut;
  }

  TreeNode node(long flatIndex) {
    return nodes.get(flatIndex);
  }

  boolean hidesNode(long flatIndex) {
    return filesCut != Long.MAX_VALUE && spansFrom(flatIndex, filesCut);
  }
}
