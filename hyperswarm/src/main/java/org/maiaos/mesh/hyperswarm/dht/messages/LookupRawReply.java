package org.maiaos.mesh.hyperswarm.dht.messages;

import java.util.ArrayList;
import java.util.List;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.encoding.Codecs;
import org.maiaos.mesh.hypercore.encoding.State;
import org.maiaos.mesh.hypercore.encoding.Uint;

/**
 * hyperdht {@code lookupRawReply}: the peer records a node holds for a topic, then an optional
 * bump (absent bytes decode as 0, as in JS). JS writes stored records as raw bytes; they are
 * encoded {@link PeerRecord}s, so the bytes are the same.
 */
public record LookupRawReply(List<PeerRecord> peers, long bump) {
  public LookupRawReply {
    if (peers == null || peers.size() > HyperMessages.MAX_PEERS) {
      throw CoreError.BAD_ARGUMENT.error("peers: %s", peers == null ? "null" : peers.size());
    }
    if (bump < 0) throw CoreError.BAD_ARGUMENT.error("bump %d", bump);
    peers = List.copyOf(peers);
  }

  public byte[] toBytes() {
    return Codecs.encode(this, LookupRawReply::preencode, LookupRawReply::encode);
  }

  public static LookupRawReply fromBytes(byte[] b) {
    return decode(State.of(b));
  }

  public static void preencode(State s, LookupRawReply m) {
    Uint.preencode(s, m.peers.size());
    for (PeerRecord p : m.peers) PeerRecord.preencode(s, p);
    Uint.preencode(s, m.bump);
  }

  public static void encode(State s, LookupRawReply m) {
    Uint.encode(s, m.peers.size());
    for (PeerRecord p : m.peers) PeerRecord.encode(s, p);
    Uint.encode(s, m.bump);
  }

  public static LookupRawReply decode(State s) {
    long n = Uint.decode(s);
    // each record takes at least 33 bytes
    if (n > HyperMessages.MAX_PEERS || n * 33 > s.remaining()) {
      throw CoreError.DECODING_ERROR.error("%d peers (limit %d, %d bytes left)", n, HyperMessages.MAX_PEERS, s.remaining());
    }
    List<PeerRecord> peers = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) peers.add(PeerRecord.decode(s));
    long bump = s.start < s.end ? Uint.decode(s) : 0;
    return new LookupRawReply(peers, bump);
  }
}
