package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.List;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/** A finished query: the up to k successful replies closest to the target by XOR, closest first. */
public record QueryResult(List<Reply> closestReplies, int successes, int errors) {
  public QueryResult {
    closestReplies = List.copyOf(closestReplies);
  }

  public List<PeerAddress> closestNodes() {
    return closestReplies.stream().map(Reply::from).toList();
  }
}
