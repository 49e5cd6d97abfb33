package org.maiaos.mesh.hypercore.tree;

import java.util.Arrays;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The {@code block} part of a {@code wire.data}, {@code uint index | buffer value | node[] nodes}:
 * block {@code index}'s stored bytes and the siblings of its leaf, bottom-up, up to a node the
 * requester trusts. The value is copied in and out, so the record stays immutable.
 */
public record DataBlock(long index, byte[] value, List<TreeNode> nodes) {
  public DataBlock {
    Nodes.requireUint(index, "index");
    if (value == null) throw CoreError.BAD_ARGUMENT.error("block value must not be null");
    value = value.clone();
    nodes = Nodes.copy(nodes, "block");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value's length, without copying it. */
  public int size() {
    return value.length;
  }

  /** The block's leaf node (its hash over the value), without copying the value. */
  TreeNode leaf() {
    return TreeNode.leaf(index, value);
  }

  public static void preencode(State s, DataBlock m) {
    Uint.preencode(s, m.index);
    Bytes.preencode(s, m.value);
    Nodes.preencode(s, m.nodes);
  }

  public static void encode(State s, DataBlock m) {
    Uint.encode(s, m.index);
    Bytes.encode(s, m.value);
    Nodes.encode(s, m.nodes);
  }

  public static DataBlock decode(State s) {
    long index = Uint.decode(s);
    byte[] value = Bytes.decode(s);
    return new DataBlock(index, value, Nodes.decode(s));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataBlock b && b.index == index && Arrays.equals(b.value, value) && b.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(index) * 31 + Arrays.hashCode(value)) * 31 + nodes.hashCode();
  }

  /** Shows the value's length only: block contents are never logged. */
  @Override
  public String toString() {
    return "DataBlock[index=" + index + ", value=" + value.length + " bytes, nodes=" + Nodes.describe(nodes) + "]";
  }
}
