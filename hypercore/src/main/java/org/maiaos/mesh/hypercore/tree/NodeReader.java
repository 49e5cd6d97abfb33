package org.maiaos.mesh.hypercore.tree;

/** Where the tree finds stored nodes: the core's storage, or a batch layered over it. */
@FunctionalInterface
public interface NodeReader {
  /** The node at flat index {@code index}, or null when it is not stored. */
  TreeNode node(long index);
}
