package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** hyperdht {@code mutableGetResponse}: {@code uint seq ‖ buffer value ‖ signature(64)}; also what a node stores. */
public record MutableGetResponse(long seq, byte[] value, byte[] signature) {
  public MutableGetResponse {
    if (value == null || signature == null) throw CoreError.BAD_ARGUMENT.error("null field");
    if (seq < 0) throw CoreError.BAD_ARGUMENT.error("seq %d", seq);
    value = value.clone();
    signature = HyperMessages.checkSignature(signature);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public byte[] toBytes() {
    return Codecs.encode(this, MutableGetResponse::preencode, MutableGetResponse::encode);
  }

  public static MutableGetResponse fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, MutableGetResponse m) {
    HyperMessages.preencodeSignedValue(s, m.seq, m.value);
  }

  public static void encode(State s, MutableGetResponse m) {
    HyperMessages.encodeSignedValue(s, m.seq, m.value, m.signature);
  }

  public static MutableGetResponse decode(State s) {
    long seq = Uint.decode(s);
    byte[] value = Bytes.decode(s);
    return new MutableGetResponse(seq, value, HyperMessages.decodeSignature(s));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MutableGetResponse m && seq == m.seq && HyperMessages.same(value, m.value)
        && HyperMessages.same(signature, m.signature);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(seq, java.util.Arrays.hashCode(value), java.util.Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "MutableGetResponse[seq=" + seq + ", value=" + value.length + " bytes]";
  }
}
