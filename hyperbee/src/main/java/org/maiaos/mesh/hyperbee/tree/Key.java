package org.maiaos.mesh.hyperbee.tree;

/**
 * A key pointer inside a tree node: the seq of the block whose key (and value) this is, and the key
 * bytes once loaded. Mutable and shared by identity between nodes while a write reshapes the tree,
 * exactly as hyperbee's {@code Key} objects are.
 */
final class Key {
  final long seq;
  byte[] value;

  Key(long seq, byte[] value) {
    this.seq = seq;
    this.value = value;
  }
}
