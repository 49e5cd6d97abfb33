package org.maiaos.mesh.hyperswarm.dht;

import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;

/** One node's answer to a LOOKUP: the peers it stores for the topic (with their relay addresses). */
public record LookupReply(PeerAddress from, Key32 fromId, Key32 token, List<PeerRecord> peers, long bump) {
  public LookupReply {
    peers = List.copyOf(peers);
  }
}
