package org.maiaos.mesh.hypercore.tree;

import java.util.List;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code seek} part of a {@code wire.data}, {@code uint bytes | node[] nodes}: the node where
 * byte offset {@code bytes} was found first, then its siblings bottom-up.
 */
public record DataSeek(long bytes, List<TreeNode> nodes) {
  public DataSeek {
    Nodes.requireUint(bytes, "bytes");
    nodes = Nodes.copy(nodes, "seek");
  }

  public static void preencode(State s, DataSeek m) {
    Uint.preencode(s, m.bytes);
    Nodes.preencode(s, m.nodes);
  }

  public static void encode(State s, DataSeek m) {
    Uint.encode(s, m.bytes);
    Nodes.encode(s, m.nodes);
  }

  public static DataSeek decode(State s) {
    long bytes = Uint.decode(s);
    return new DataSeek(bytes, Nodes.decode(s));
  }

  @Override
  public String toString() {
    return "DataSeek[bytes=" + bytes + ", nodes=" + Nodes.describe(nodes) + "]";
  }
}
