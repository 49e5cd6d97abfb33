package org.maiaos.mesh.hypercore.crypto;

import com.goterl.lazysodium.SodiumJava;

/**
 * The one libsodium instance of the process: the library bundled by lazysodium-java, loaded once.
 * We call its raw bindings rather than the LazySodium wrappers, which convert through hex strings.
 */
final class Sodium {
  private static final SodiumJava NATIVE = new SodiumJava();

  private Sodium() {}

  static SodiumJava get() {
    return NATIVE;
  }
}
