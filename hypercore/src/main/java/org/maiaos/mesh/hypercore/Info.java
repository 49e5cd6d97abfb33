package org.maiaos.mesh.hypercore;

import java.util.Arrays;
import java.util.HexFormat;
import org.maiaos.mesh.hypercore.crypto.Key32;

/** A snapshot of a core's identity and head, as {@code mesh core info} prints it. */
public record Info(Key32 key, Key32 discoveryKey, long length, long byteLength, long fork, byte[] treeHash, byte[] signature) {
  @Override
  public boolean equals(Object o) {
    return o instanceof Info i && i.key.equals(key) && i.length == length && i.byteLength == byteLength
        && i.fork == fork && Arrays.equals(i.treeHash, treeHash) && Arrays.equals(i.signature, signature);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Long.hashCode(length);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "Info[key=" + key + ", length=" + length + ", byteLength=" + byteLength + ", fork=" + fork
        + ", treeHash=" + hex.formatHex(treeHash) + "]";
  }
}
