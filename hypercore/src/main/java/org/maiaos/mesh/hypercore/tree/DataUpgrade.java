package org.maiaos.mesh.hypercore.tree;

import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code upgrade} part of a {@code wire.data}:
 * {@code uint start | uint length | node[] nodes | node[] additionalNodes | optionalBuffer signature}.
 * {@code nodes} grow a tree of {@code start} blocks to {@code start + length}; {@code additionalNodes}
 * grow it further to the prover's own length, which is what {@code signature} signs. An empty
 * signature is the same as none (optionalBuffer writes both as a single 0).
 */
public record DataUpgrade(long start, long length, List<TreeNode> nodes, List<TreeNode> additionalNodes, byte[] signature) {
  public DataUpgrade {
    Nodes.requireUint(start, "start");
    Nodes.requireUint(length, "length");
    nodes = Nodes.copy(nodes, "upgrade");
    additionalNodes = Nodes.copy(additionalNodes, "additional");
    signature = signature == null || signature.length == 0 ? null : signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  public static void preencode(State s, DataUpgrade m) {
    Uint.preencode(s, m.start);
    Uint.preencode(s, m.length);
    Nodes.preencode(s, m.nodes);
    Nodes.preencode(s, m.additionalNodes);
    Bytes.preencodeOptional(s, m.signature);
  }

  public static void encode(State s, DataUpgrade m) {
    Uint.encode(s, m.start);
    Uint.encode(s, m.length);
    Nodes.encode(s, m.nodes);
    Nodes.encode(s, m.additionalNodes);
    Bytes.encodeOptional(s, m.signature);
  }

  public static DataUpgrade decode(State s) {
    long start = Uint.decode(s);
    long length = Uint.decode(s);
    List<TreeNode> nodes = Nodes.decode(s);
    List<TreeNode> additional = Nodes.decode(s);
    return new DataUpgrade(start, length, nodes, additional, Bytes.decodeOptional(s));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataUpgrade u
        && u.start == start
        && u.length == length
        && u.nodes.equals(nodes)
        && u.additionalNodes.equals(additionalNodes)
        && Arrays.equals(u.signature, signature);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(start) * 31 + Long.hashCode(length);
    h = h * 31 + nodes.hashCode();
    h = h * 31 + additionalNodes.hashCode();
    return h * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "DataUpgrade[start=" + start + ", length=" + length + ", nodes=" + Nodes.describe(nodes)
        + ", additionalNodes=" + Nodes.describe(additionalNodes)
        + ", signature=" + (signature == null ? "none" : signature.length + " bytes") + "]";
  }
}
