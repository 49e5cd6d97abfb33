package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;

/** hyperdht {@code peer}: a public key and the DHT nodes that relay handshakes to it. */
public record PeerRecord(Key32 publicKey, List<PeerAddress> relayAddresses) {
  public PeerRecord {
    if (publicKey == null) throw CoreError.BAD_ARGUMENT.error("null public key");
    relayAddresses = relayAddresses == null ? List.of() : HyperMessages.copy(relayAddresses, "relay addresses");
  }

  public byte[] toBytes() {
    return Codecs.encode(this, PeerRecord::preencode, PeerRecord::encode);
  }

  public static PeerRecord fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, PeerRecord m) {
    s.end += Key32.BYTES;
    HyperMessages.preencodeAddresses(s, m.relayAddresses);
  }

  public static void encode(State s, PeerRecord m) {
    Messages.encodeKey(s, m.publicKey);
    HyperMessages.encodeAddresses(s, m.relayAddresses);
  }

  public static PeerRecord decode(State s) {
    Key32 pk = Messages.decodeKey(s);
    return new PeerRecord(pk, HyperMessages.decodeAddresses(s));
  }
}
