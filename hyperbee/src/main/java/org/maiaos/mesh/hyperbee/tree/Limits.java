package org.maiaos.mesh.hyperbee.tree;

/**
 * The bounds every read of stored blocks is checked against. A well-formed bee never comes near
 * them: a node holds at most 8 keys (9 transiently, never stored), and with at least 5 children per
 * inner node a tree over 2^53 blocks is at most 24 levels deep.
 */
public final class Limits {
  private Limits() {}

  /** hyperbee's T: a node splits when it reaches MAX_CHILDREN (9) keys. */
  public static final int T = 5;
  public static final int MIN_KEYS = T - 1;
  public static final int MAX_CHILDREN = MIN_KEYS * 2 + 1;
  /** Most keys a stored level may hold; more is a malformed block. */
  public static final int MAX_KEYS_PER_NODE = MAX_CHILDREN - 1;
  /** Deepest walk from a root to a leaf; deeper means a malformed (possibly cyclic) tree. */
  public static final int MAX_DEPTH = 64;
  /** Most levels a child pointer may address in one block (an index holds one level per changed node). */
  public static final long MAX_LEVELS = 1 << 20;
}
