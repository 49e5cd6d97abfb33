package org.maiaos.mesh.hypercore.tree;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** compact-encoding {@code array(node)} as used by the proof lists of {@code wire.data}. */
final class Nodes {
  /** The smallest encoded node: one-byte index, one-byte size, 32-byte hash. */
  static final int MIN_NODE_BYTES = 34;

  private Nodes() {}

  /** Copies a node list for a record, refusing null lists and lists over {@link Data#MAX_NODES}. */
  static List<TreeNode> copy(List<TreeNode> nodes, String what) {
    if (nodes == null) throw CoreError.BAD_ARGUMENT.error("%s nodes must not be null", what);
    if (nodes.size() > Data.MAX_NODES) throw CoreError.BAD_ARGUMENT.error("%d %s nodes, max %d", nodes.size(), what, Data.MAX_NODES);
    return List.copyOf(nodes);
  }

  static void preencode(State s, List<TreeNode> nodes) {
    Uint.preencode(s, nodes.size());
    for (TreeNode n : nodes) TreeNode.preencode(s, n);
  }

  static void encode(State s, List<TreeNode> nodes) {
    Uint.encode(s, nodes.size());
    for (TreeNode n : nodes) TreeNode.encode(s, n);
  }

  /** Decodes a list whose count is checked against {@link Data#MAX_NODES} and the bytes left. */
  static List<TreeNode> decode(State s) {
    long n = Uint.decode(s);
    if (n > Data.MAX_NODES || n * MIN_NODE_BYTES > s.remaining()) {
      throw CoreError.DECODING_ERROR.error("node count %d over limit (max %d, %d bytes left)", n, Data.MAX_NODES, s.remaining());
    }
    List<TreeNode> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) out.add(TreeNode.decode(s));
    return out;
  }

  static String describe(List<TreeNode> nodes) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < nodes.size(); i++) {
      if (i > 0) b.append(' ');
      b.append(nodes.get(i).index()).append('/').append(nodes.get(i).size());
    }
    return b.append(']').toString();
  }

  static void requireUint(long v, String what) {
    if (v < 0 || v > Uint.MAX_SAFE) throw CoreError.BAD_ARGUMENT.error("%s out of range: %d", what, v);
  }
}
