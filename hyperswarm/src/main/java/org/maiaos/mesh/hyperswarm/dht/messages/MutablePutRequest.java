package org.maiaos.mesh.hyperswarm.dht.messages;

import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Bytes;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/** hyperdht {@code mutablePutRequest}: {@code publicKey ‖ uint seq ‖ buffer value ‖ signature(64)}. */
public record MutablePutRequest(Key32 publicKey, long seq, byte[] value, byte[] signature) {
  public MutablePutRequest {
    if (publicKey == null || value == null || signature == null) throw CoreError.BAD_ARGUMENT.error("null field");
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
    return Codecs.encode(this, MutablePutRequest::preencode, MutablePutRequest::encode);
  }

  public static MutablePutRequest fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, MutablePutRequest m) {
    s.end += Key32.BYTES;
    HyperMessages.preencodeSignedValue(s, m.seq, m.value);
  }

  public static void encode(State s, MutablePutRequest m) {
    Messages.encodeKey(s, m.publicKey);
    HyperMessages.encodeSignedValue(s, m.seq, m.value, m.signature);
  }

  public static MutablePutRequest decode(State s) {
    Key32 pk = Messages.decodeKey(s);
    long seq = Uint.decode(s);
    byte[] value = Bytes.decode(s); // length checked against the bytes left first
    return new MutablePutRequest(pk, seq, value, HyperMessages.decodeSignature(s));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MutablePutRequest m && publicKey.equals(m.publicKey) && seq == m.seq
        && HyperMessages.same(value, m.value) && HyperMessages.same(signature, m.signature);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(publicKey, seq, java.util.Arrays.hashCode(value), java.util.Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "MutablePutRequest[publicKey=" + publicKey + ", seq=" + seq + ", value=" + value.length + " bytes]";
  }
}
