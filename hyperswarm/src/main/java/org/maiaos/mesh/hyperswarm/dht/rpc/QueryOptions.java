package org.maiaos.mesh.hyperswarm.dht.rpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;

/**
 * Options of a {@link Query} ({@code lib/query.js}).
 *
 * @param concurrency parallel requests; 0 for the node's default
 * @param retries re-sends per request; -1 for the default (5, or 3 for DOWN_HINT)
 * @param nodes start from these (e.g. a previous result's closest nodes) instead of the table
 * @param onReply sees every successful reply as it arrives (the JS stream's data); may be null
 * @param commit the commit phase run once per closest reply, or null for none
 */
public record QueryOptions(int concurrency, int retries, List<PeerAddress> nodes, Consumer<Reply> onReply,
    Commit commit) {
  public static final QueryOptions DEFAULT = new QueryOptions(0, -1, null, null, null);

  /** A commit: usually a request to {@code reply.from()} carrying {@code reply.token()}. */
  @FunctionalInterface
  public interface Commit {
    CompletableFuture<?> commit(Reply reply, DhtRpc dht, Query query);
  }

  /** JS {@code commit: true}: repeat the query's command, with the reply's token, at each closest node. */
  public static final Commit AUTO_COMMIT = (reply, dht, query) -> {
    if (reply.token() == null) {
      return CompletableFuture.failedFuture(RpcError.TOO_FEW_NODES.error("No token received for closest node"));
    }
    return dht.requestOnLoop(reply.token(), query.command(), query.target(), query.value(), reply.from());
  };

  public QueryOptions withOnReply(Consumer<Reply> c) {
    return new QueryOptions(concurrency, retries, nodes, c, commit);
  }

  public QueryOptions withCommit(Commit c) {
    return new QueryOptions(concurrency, retries, nodes, onReply, c);
  }

  public QueryOptions withConcurrency(int c) {
    return new QueryOptions(c, retries, nodes, onReply, commit);
  }

  public QueryOptions withNodes(List<PeerAddress> n) {
    return new QueryOptions(concurrency, retries, n, onReply, commit);
  }
}
