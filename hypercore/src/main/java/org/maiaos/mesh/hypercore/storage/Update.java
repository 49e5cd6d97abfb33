package org.maiaos.mesh.hypercore.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.tree.TreeNode;

/**
 * One atomic change to a stored core. It applies in this order: the truncation (if
 * {@code truncateTo >= 0}: blocks from {@code truncateTo} on and the tree nodes over them go), then
 * the blocks and nodes (any subset, any order; for a repeated index the last one wins), then the
 * head ({@code null} keeps the current one).
 */
public record Update(List<BlockWrite> blocks, List<TreeNode> nodes, long truncateTo, Head head) {
  public Update {
    if (blocks == null || nodes == null) throw CoreError.BAD_ARGUMENT.error("update needs block and node lists (may be empty)");
    if (truncateTo < -1) throw CoreError.BAD_ARGUMENT.error("truncateTo %d (use -1 for none)", truncateTo);
    for (BlockWrite b : blocks) if (b == null) throw CoreError.BAD_ARGUMENT.error("update holds a null block");
    for (TreeNode n : nodes) if (n == null) throw CoreError.BAD_ARGUMENT.error("update holds a null node");
    blocks = List.copyOf(blocks);
    nodes = List.copyOf(nodes);
  }

  boolean isEmpty() {
    return blocks.isEmpty() && nodes.isEmpty() && truncateTo < 0 && head == null;
  }

  /**
   * The list sorted by index with one element per index, the last one given for it, so the files
   * are written in runs of consecutive indices; no copy when it already is (an append).
   */
  static <T> List<T> sortedUnique(List<T> in, Comparator<T> byIndex) {
    boolean strictlyIncreasing = true;
    for (int i = 1; i < in.size() && strictlyIncreasing; i++) strictlyIncreasing = byIndex.compare(in.get(i - 1), in.get(i)) < 0;
    if (strictlyIncreasing) return in;
    List<T> sorted = new ArrayList<>(in);
    sorted.sort(byIndex); // stable: equal indices keep their order
    List<T> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      if (i + 1 < sorted.size() && byIndex.compare(sorted.get(i), sorted.get(i + 1)) == 0) continue;
      out.add(sorted.get(i));
    }
    return out;
  }
}
