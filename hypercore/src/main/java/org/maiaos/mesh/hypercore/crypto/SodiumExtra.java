package org.maiaos.mesh.hypercore.crypto;

import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Collections;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;

/**
 * The libsodium functions lazysodium-java does not bind (or binds through a JNA {@code Structure},
 * which copies the whole state field by field on every call), bound here with JNA direct mapping on
 * the library lazysodium already loaded. Secretstream states are plain {@code byte[]}s.
 */
final class SodiumExtra {
  private static final String PROBE = "crypto_scalarmult_ed25519_noclamp";

  static {
    Sodium.get(); // lazysodium loads libsodium first; we attach to that same library
    NativeLibrary loaded = loaded();
    if (loaded != null) {
      Native.register(SodiumExtra.class, loaded);
    } else {
      new LibraryLoader(List.of(SodiumExtra.class)).loadLibrary(LibraryLoader.Mode.BUNDLED_ONLY, "sodium");
    }
    if (sodium_init() < 0) throw CoreError.ASSERTION.error("sodium_init failed");
  }

  private SodiumExtra() {}

  /**
   * lazysodium ({@code SodiumJava()}, mode PREFER_SYSTEM) registers the system library under the
   * name {@code "sodium"}; asking JNA for that name with the same options returns the cached
   * handle. Failing that it used its bundled copy, which JNA opens RTLD_GLOBAL on Linux and macOS,
   * so the process namespace resolves it. Null means neither worked; then the caller loads the
   * bundled copy itself: libsodium keeps no state these functions share with lazysodium's handle,
   * so a second handle on the same code is harmless.
   */
  private static NativeLibrary loaded() {
    try {
      NativeLibrary lib = NativeLibrary.getInstance("sodium",
          Collections.singletonMap(Library.OPTION_CLASSLOADER, SodiumJava.class.getClassLoader()));
      lib.getFunction(PROBE);
      return lib;
    } catch (UnsatisfiedLinkError notSystem) {
      // fall through
    }
    try {
      NativeLibrary process = NativeLibrary.getProcess();
      process.getFunction(PROBE);
      return process;
    } catch (UnsatisfiedLinkError notGlobal) {
      return null;
    }
  }

  static native int sodium_init();

  static native int crypto_scalarmult_ed25519_noclamp(byte[] q, byte[] n, byte[] p);

  static native int crypto_secretstream_xchacha20poly1305_statebytes();

  static native int crypto_secretstream_xchacha20poly1305_init_push(byte[] state, byte[] header, byte[] key);

  static native int crypto_secretstream_xchacha20poly1305_push(
      byte[] state, byte[] c, Pointer clen, byte[] m, long mlen, Pointer ad, long adlen, byte tag);

  static native int crypto_secretstream_xchacha20poly1305_init_pull(byte[] state, byte[] header, byte[] key);

  static native int crypto_secretstream_xchacha20poly1305_pull(
      byte[] state, byte[] m, Pointer mlen, byte[] tag, byte[] c, long clen, Pointer ad, long adlen);
}
