package org.maiaos.mesh.node.cli;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.maiaos.mesh.hyperswarm.replication.ReplicatorOptions;
import org.maiaos.mesh.hyperswarm.swarm.Hyperswarm;
import org.maiaos.mesh.hyperswarm.swarm.SwarmOptions;
import org.maiaos.mesh.hyperswarm.swarm.SwarmReplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh swarm fetch KEY --topic TOPIC --bootstrap LIST --index N --json}: joins TOPIC as a
 * client, connects to the peers found there, verifies the remote length (upgrade proof and
 * signature) and downloads block N only, into a sparse replica in a temp dir removed afterwards.
 * Every wait shares one {@code --timeout}; when every peer found refuses the core it fails at once.
 */
@Command(name = "fetch", description = "Fetch one block of a core from the peers under TOPIC, verified, downloading nothing else.",
    mixinStandardHelpOptions = true)
final class SwarmFetchCommand implements Callable<Integer> {
  /** One request to a peer may take this long before it is retried (never more than the whole timeout). */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** A lookup that found nobody serving is run again after this pause, until the timeout. */
  private static final Duration LOOKUP_PAUSE = Duration.ofSeconds(1);

  @Parameters(index = "0", paramLabel = "KEY", description = "The core key (64 hex characters).") String key;
  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic the core is served under (64 hex characters).") String topic;
  @Option(names = "--bootstrap", required = true, paramLabel = "LIST", description = "DHT nodes to bootstrap from (HOST:PORT,... or 'public').") String bootstrap;
  @Option(names = "--index", required = true, paramLabel = "N", description = "The block to download (only it, with its proof).") long index;
  @Option(names = "--json", description = "Print {\"index\",\"value\",\"remoteLength\",\"downloadedBlocks\",\"remotePublicKey\"}.") boolean json;
  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The local IPv4 address the DHT node binds (default: ${DEFAULT-VALUE}, which reaches this host only).") String bind;
  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Give up after this long in all (default: ${DEFAULT-VALUE}).") long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    DhtNode.quietLibraryLogs();
    Key32 k;
    try {
      k = Key32.fromHex(key);
    } catch (HypercoreException e) {
      throw new CliException("BAD_ARGUMENT: KEY must be 64 hex characters");
    }
    Key32 t = DhtCommands.topic(topic);
    List<PeerAddress> boot = Bootstrap.required(bootstrap);
    DhtRpcOptions opts = DhtNode.client(boot, bind);
    if (index < 0) throw new CliException("BAD_ARGUMENT: --index must not be negative");
    Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
    try (Resources res = new Resources()) {
      TempDir tmp = res.add(TempDir.create("mesh-swarm-fetch-"));
      Hypercore core = res.add(Hypercore.createReplica(tmp.path, k));
      Duration request = REQUEST_TIMEOUT.compareTo(deadline.total()) < 0 ? REQUEST_TIMEOUT : deadline.total();
      Replicator replicator = res.add(new Replicator(core,
          new ReplicatorOptions(request, deadline.total(), ReplicatorOptions.DEFAULTS.maxInvalidRequests())));
      SwarmReplication replication = new SwarmReplication();
      replication.add(replicator);
      ServingPeer watch = new ServingPeer(replication, core.discoveryKey());
      DhtNode node = res.add(DhtNode.open(opts));
      node.bootstrapped(deadline, bootstrap, true);
      Hyperswarm swarm = res.add(new Hyperswarm(node.dht(), Ed25519.keyPair(), SwarmOptions.DEFAULT, watch));
      Key32 remote = findServing(swarm, watch, t, deadline);

      long remoteLength = deadline.await(replicator.update(),
          () -> "REQUEST_TIMEOUT: the peer " + remote + " did not tell the length of core " + k + " " + deadline.within());
      if (index >= remoteLength) {
        throw CoreError.BLOCK_NOT_AVAILABLE.error("block %d is out of range (remote length %d)", index, remoteLength);
      }
      byte[] value = deadline.await(replicator.get(index),
          () -> "REQUEST_TIMEOUT: block " + index + " of core " + k + " did not come " + deadline.within());
      String hex = HexFormat.of().formatHex(value);
      System.out.println(json ? new JsonOut().put("index", index).put("value", hex).put("remoteLength", remoteLength)
          .put("downloadedBlocks", replicator.stats().downloadedBlocks()).put("remotePublicKey", remote.hex()).toString() : hex);
      System.out.flush();
    }
    return 0;
  }

  /**
   * Looks TOPIC up and dials what it finds until a peer opens the core's channel (it has the
   * core); each round that ends without one looks up again after a pause, as the server may still
   * be joining.
   */
  private Key32 findServing(Hyperswarm swarm, ServingPeer watch, Key32 t, Deadline deadline) throws InterruptedException {
    while (true) {
      swarm.join(t, false, true);
      CompletableFuture<Void> round = swarm.flush().thenCompose(v -> CompletableFuture.runAsync(() -> { },
          CompletableFuture.delayedExecutor(LOOKUP_PAUSE.toMillis(), TimeUnit.MILLISECONDS)));
      deadline.await(CompletableFuture.anyOf(watch.found(), round), () -> notFound(watch, t, deadline));
      if (watch.found().isDone()) return watch.found().join();
      if (watch.connections() > 0 && watch.refusals() == watch.connections() && swarm.connectingCount() == 0) {
        throw CoreError.BLOCK_NOT_AVAILABLE.error("the %s under topic %s do not have core %s", peers(watch.connections()), t, key);
      }
    }
  }

  private String notFound(ServingPeer watch, Key32 t, Deadline deadline) {
    int n = watch.connections();
    if (n == 0) return "PEER_NOT_FOUND: no peer under topic " + t + " could be reached " + deadline.within();
    if (watch.refusals() == n) return "BLOCK_NOT_AVAILABLE: the " + peers(n) + " under topic " + t + " do not have core " + key;
    return "REQUEST_TIMEOUT: connected to " + peers(n) + " under topic " + t + ", none opened core " + key + " " + deadline.within();
  }

  private static String peers(int n) {
    return n == 1 ? "1 peer" : n + " peers";
  }
}
