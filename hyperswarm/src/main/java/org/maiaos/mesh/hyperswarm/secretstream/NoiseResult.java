package org.maiaos.mesh.hyperswarm.secretstream;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.crypto.Key32;

/**
 * What a completed Noise handshake yields: the 64-byte handshake hash (the same on both sides), the
 * two 32-byte transport keys of this side, and the peer's static public key. The keys never
 * appear in {@link #toString()}.
 */
public record NoiseResult(byte[] handshakeHash, byte[] tx, byte[] rx, Key32 remotePublicKey) {
  public NoiseResult {
    handshakeHash = handshakeHash.clone();
    tx = tx.clone();
    rx = rx.clone();
  }

  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public byte[] tx() {
    return tx.clone();
  }

  @Override
  public byte[] rx() {
    return rx.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoiseResult r
        && Arrays.equals(handshakeHash, r.handshakeHash)
        && Arrays.equals(tx, r.tx)
        && Arrays.equals(rx, r.rx)
        && remotePublicKey.equals(r.remotePublicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(handshakeHash) * 31 + remotePublicKey.hashCode();
  }

  @Override
  public String toString() {
    return "NoiseResult[hash=" + HexFormat.of().formatHex(handshakeHash) + ", remotePublicKey=" + remotePublicKey + "]";
  }
}
