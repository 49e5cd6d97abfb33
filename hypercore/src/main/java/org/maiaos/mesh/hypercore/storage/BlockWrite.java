package org.maiaos.mesh.hypercore.storage;

import java.util.Arrays;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** One block to store: its index and its bytes (copied in and out). */
public record BlockWrite(long index, byte[] value) {
  public BlockWrite {
    if (index < 0 || index > Uint.MAX_SAFE) throw CoreError.BAD_ARGUMENT.error("block index %d out of range", index);
    if (value == null) throw CoreError.BAD_ARGUMENT.error("block %d has no value", index);
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The bytes without a copy, for this package's encoder; never written to. */
  byte[] valueRef() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockWrite b && b.index == index && Arrays.equals(b.value, value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(value);
  }

  /** Never prints block contents. */
  @Override
  public String toString() {
    return "BlockWrite[" + index + ", " + value.length + " bytes]";
  }
}
