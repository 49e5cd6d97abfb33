package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code hash} part of a {@code wire.request}, {@code uint index | uint nodes}: the node at
 * flat-tree {@code index}, and {@code nodes}, how many tree levels from that node up the requester
 * lacks. The proof starts with the node itself.
 */
public record RequestHash(long index, long nodes) {
  public RequestHash {
    Nodes.requireUint(index, "index");
    Nodes.requireUint(nodes, "nodes");
  }

  public static void preencode(State s, RequestHash m) {
    Uint.preencode(s, m.index);
    Uint.preencode(s, m.nodes);
  }

  public static void encode(State s, RequestHash m) {
    Uint.encode(s, m.index);
    Uint.encode(s, m.nodes);
  }

  public static RequestHash decode(State s) {
    long index = Uint.decode(s);
    return new RequestHash(index, Uint.decode(s));
  }
}
