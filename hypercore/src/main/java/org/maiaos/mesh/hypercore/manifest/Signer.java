package org.maiaos.mesh.hypercore.manifest;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** One manifest signer: {@code uint signatureType(0 = ed25519) | fixed32 namespace | fixed32 publicKey}. */
public record Signer(Key32 namespace, Key32 publicKey) {
  static final int ED25519 = 0;

  static void preencode(State s, Signer m) {
    s.end += 1 + 32 + 32;
  }

  static void encode(State s, Signer m) {
    Uint.encode(s, ED25519);
    Fixed.encode(s, m.namespace.toByteArray(), 32);
    Fixed.encode(s, m.publicKey.toByteArray(), 32);
  }

  static Signer decode(State s) {
    long type = Uint.decode(s);
    if (type != ED25519) throw CoreError.DECODING_ERROR.error("unknown signature id %d", type);
    return new Signer(Key32.of(Fixed.decode(s, 32)), Key32.of(Fixed.decode(s, 32)));
  }
}
