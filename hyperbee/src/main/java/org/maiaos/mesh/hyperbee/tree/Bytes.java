package org.maiaos.mesh.hyperbee.tree;

import java.util.Arrays;

/** Unsigned lexicographic byte order, shorter prefix first: b4a.compare. */
public final class Bytes {
  private Bytes() {}

  public static int compare(byte[] a, byte[] b) {
    int c = Arrays.compareUnsigned(a, b);
    return Integer.signum(c);
  }
}
