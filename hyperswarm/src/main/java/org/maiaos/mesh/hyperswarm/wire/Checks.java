package org.maiaos.mesh.hyperswarm.wire;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** Argument checks shared by this package's records (the proof records keep their own in hypercore's tree). */
final class Checks {
  private Checks() {}

  /** BAD_ARGUMENT unless {@code v} is a compact-encoding uint (0..2^53-1). */
  static void requireUint(long v, String what) {
    if (v < 0 || v > Uint.MAX_SAFE) throw CoreError.BAD_ARGUMENT.error("%s out of range: %d", what, v);
  }
}
