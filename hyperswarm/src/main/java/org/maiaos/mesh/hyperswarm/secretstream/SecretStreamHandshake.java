package org.maiaos.mesh.hyperswarm.secretstream;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * What an established secret-stream knows about its session, as JS exposes it on the stream
 * ({@code isInitiator}, {@code publicKey}, {@code remotePublicKey}, {@code handshakeHash}). Fired
 * up the pipeline as a user event once the handshake completes, and the value of
 * {@link SecretStreamHandler#handshakeFuture()}. Nothing here authenticates the peer: that is up
 * to the layer above (Hypercore's capability binds the handshake hash to a core key).
 */
public record SecretStreamHandshake(boolean initiator, Key32 publicKey, Key32 remotePublicKey, byte[] handshakeHash) {
  public SecretStreamHandshake {
    handshakeHash = handshakeHash.clone();
  }

  /** A copy of the 64-byte handshake hash. */
  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretStreamHandshake h
        && initiator == h.initiator
        && publicKey.equals(h.publicKey)
        && remotePublicKey.equals(h.remotePublicKey)
        && Arrays.equals(handshakeHash, h.handshakeHash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(handshakeHash);
  }

  @Override
  public String toString() {
    return "SecretStreamHandshake[" + (initiator ? "initiator" : "responder") + ", publicKey=" + publicKey
        + ", remotePublicKey=" + remotePublicKey + ", hash=" + HexFormat.of().formatHex(handshakeHash) + "]";
  }
}
