package org.maiaos.mesh.hypercore.tree;

import java.util.List;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code hash} part of a {@code wire.data}, {@code uint index | node[] nodes}: the node at
 * flat-tree {@code index} first, then its siblings bottom-up to a node the requester trusts.
 */
public record DataHash(long index, List<TreeNode> nodes) {
  public DataHash {
    Nodes.requireUint(index, "index");
    nodes = Nodes.copy(nodes, "hash");
  }

  public static void preencode(State s, DataHash m) {
    Uint.preencode(s, m.index);
    Nodes.preencode(s, m.nodes);
  }

  public static void encode(State s, DataHash m) {
    Uint.encode(s, m.index);
    Nodes.encode(s, m.nodes);
  }

  public static DataHash decode(State s) {
    long index = Uint.decode(s);
    return new DataHash(index, Nodes.decode(s));
  }

  @Override
  public String toString() {
    return "DataHash[index=" + index + ", nodes=" + Nodes.describe(nodes) + "]";
  }
}
