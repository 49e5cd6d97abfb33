package org.maiaos.mesh.hypercore.storage;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Fixed;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * The committed head of a core: fork, length, byte length, the 32-byte tree hash and its signature
 * (null when unsigned, e.g. the empty core). An empty signature is stored as null.
 *
 * <p>Disk form: {@code uint fork | uint length | uint byteLength | fixed32 treeHash | optionalBuffer signature}.
 */
public record Head(long fork, long length, long byteLength, byte[] treeHash, byte[] signature) {
  public Head {
    if (fork < 0 || length < 0 || byteLength < 0 || fork > Uint.MAX_SAFE || length > Uint.MAX_SAFE || byteLength > Uint.MAX_SAFE) {
      throw CoreError.BAD_ARGUMENT.error("head out of range: fork %d, length %d, byteLength %d", fork, length, byteLength);
    }
    if (treeHash == null || treeHash.length != 32) throw CoreError.BAD_ARGUMENT.error("tree hash must be 32 bytes");
    treeHash = treeHash.clone();
    signature = signature == null || signature.length == 0 ? null : signature.clone();
  }

  @Override
  public byte[] treeHash() {
    return treeHash.clone();
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** The encoded size, computed in long so callers can bound it before allocating. */
  static long encodedBytes(Head h) {
    long sig = h.signature == null ? 1 : Uint.size(h.signature.length) + (long) h.signature.length;
    return Uint.size(h.fork) + Uint.size(h.length) + Uint.size(h.byteLength) + 32 + sig;
  }

  static void encode(State s, Head h) {
    Uint.encode(s, h.fork);
    Uint.encode(s, h.length);
    Uint.encode(s, h.byteLength);
    Fixed.encode(s, h.treeHash, 32);
    Bytes.encodeOptional(s, h.signature);
  }

  /** DECODING_ERROR on short input or a signature over {@code maxSignatureBytes}. */
  static Head decode(State s, int maxSignatureBytes) {
    long fork = Uint.decode(s);
    long length = Uint.decode(s);
    long byteLength = Uint.decode(s);
    byte[] treeHash = Fixed.decode(s, 32);
    long sigLen = Uint.decode(s, maxSignatureBytes);
    s.require(sigLen);
    byte[] sig = Arrays.copyOfRange(s.buffer, s.start, s.start + (int) sigLen);
    s.start += (int) sigLen;
    return new Head(fork, length, byteLength, treeHash, sig);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Head h
        && h.fork == fork
        && h.length == length
        && h.byteLength == byteLength
        && Arrays.equals(h.treeHash, treeHash)
        && Arrays.equals(h.signature, signature);
  }

  @Override
  public int hashCode() {
    return ((Long.hashCode(fork) * 31 + Long.hashCode(length)) * 31 + Arrays.hashCode(treeHash)) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "Head[fork=" + fork + ", length=" + length + ", byteLength=" + byteLength
        + ", treeHash=" + hex.formatHex(treeHash)
        + ", signature=" + (signature == null ? "none" : hex.formatHex(signature)) + "]";
  }
}
