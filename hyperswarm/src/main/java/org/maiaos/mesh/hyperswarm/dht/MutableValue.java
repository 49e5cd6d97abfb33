package org.maiaos.mesh.hyperswarm.dht;

import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** A signed mutable value as read from {@code from}; the signature was verified. */
public record MutableValue(long seq, byte[] value, byte[] signature, PeerAddress from) {
  public MutableValue {
    value = value.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MutableValue m && seq == m.seq && java.util.Arrays.equals(value, m.value)
        && java.util.Arrays.equals(signature, m.signature) && java.util.Objects.equals(from, m.from);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(seq, java.util.Arrays.hashCode(value), from);
  }

  @Override
  public String toString() {
    return "MutableValue[seq=" + seq + ", value=" + value.length + " bytes, from=" + from + "]";
  }
}
