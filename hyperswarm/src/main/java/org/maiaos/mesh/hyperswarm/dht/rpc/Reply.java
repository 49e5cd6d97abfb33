package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.List;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.DhtResponse;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * A response matched to our request. {@code fromId} is the responder's id only when it claimed one
 * and it equals H(its address) ({@code io.js validateId}); else null, so ids cannot be chosen.
 */
public record Reply(PeerAddress from, Key32 fromId, DhtResponse message, long rttMillis) {
  public PeerAddress to() {
    return message.to();
  }

  public Key32 token() {
    return message.token();
  }

  public List<PeerAddress> closerNodes() {
    return message.closerNodes();
  }

  public long error() {
    return message.error();
  }

  public byte[] value() {
    return message.value();
  }
}
