package org.maiaos.mesh.hypercore.tree;

import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code block} part of a {@code wire.request}, {@code uint index | uint nodes}: block
 * {@code index} (a block number), and {@code nodes}, how many tree levels from its leaf up the
 * requester lacks (JS {@code MerkleTree.missingNodes}); the prover proves up to that level.
 */
public record RequestBlock(long index, long nodes) {
  public RequestBlock {
    Nodes.requireUint(index, "index");
    Nodes.requireUint(nodes, "nodes");
  }

  public static void preencode(State s, RequestBlock m) {
    Uint.preencode(s, m.index);
    Uint.preencode(s, m.nodes);
  }

  public static void encode(State s, RequestBlock m) {
    Uint.encode(s, m.index);
    Uint.encode(s, m.nodes);
  }

  public static RequestBlock decode(State s) {
    long index = Uint.decode(s);
    return new RequestBlock(index, Uint.decode(s));
  }
}
