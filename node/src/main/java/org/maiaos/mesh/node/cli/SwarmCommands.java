package org.maiaos.mesh.node.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import org.maiaos.mesh.hyperswarm.replication.Replicator;
import org.maiaos.mesh.hyperswarm.swarm.Hyperswarm;
import org.maiaos.mesh.hyperswarm.swarm.SwarmOptions;
import org.maiaos.mesh.hyperswarm.swarm.SwarmReplication;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh swarm serve | fetch}: a core replicated between peers that meet under a topic. */
@Command(
    name = "swarm",
    description = "Serve and fetch cores over Hyperswarm (peers meet by topic on a HyperDHT network).",
    mixinStandardHelpOptions = true,
    footer = {"%nExamples:",
        "  mesh swarm serve ./c --topic TOPIC --bootstrap 127.0.0.1:49737",
        "  mesh swarm fetch KEY --topic TOPIC --bootstrap 127.0.0.1:49737 --index 3 --json",
        "%nTOPIC is any 64 hex characters both sides agree on (the core's discovery key, say)."},
    subcommands = {CommandLine.HelpCommand.class, SwarmCommands.Serve.class, SwarmFetchCommand.class})
final class SwarmCommands {
  private SwarmCommands() {}

  @Command(name = "serve", description = "Join TOPIC as a server and replicate the core in DIR to every connection, until killed.",
      mixinStandardHelpOptions = true)
  static final class Serve implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the core (or bee) to serve.") Path dir;
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to announce under (64 hex characters).") String topic;
    @Option(names = "--bootstrap", required = true, paramLabel = "LIST", description = "DHT nodes to bootstrap from (HOST:PORT,... or 'public').") String bootstrap;
    @Option(names = "--seed", paramLabel = "HEX32", description = "Derive the swarm's Ed25519 key pair from this 32-byte seed (default: a random key pair).") String seed;
    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The local IPv4 address the DHT node binds (default: ${DEFAULT-VALUE}, which reaches this host only).") String bind;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Bootstrapping and the first announce may take at most this long (default: ${DEFAULT-VALUE}).") long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      DhtNode.quietLibraryLogs();
      Key32 t = DhtCommands.topic(topic);
      List<PeerAddress> boot = Bootstrap.required(bootstrap);
      DhtRpcOptions opts = DhtNode.client(boot, bind);
      KeyPair keyPair = DhtCommands.keyPair(seed);
      Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
      try (Resources res = new Resources()) {
        Hypercore core = res.add(Hypercore.open(dir));
        Replicator replicator = res.add(new Replicator(core));
        SwarmReplication replication = new SwarmReplication();
        replication.add(replicator);
        DhtNode node = res.add(DhtNode.open(opts));
        node.bootstrapped(deadline, bootstrap, true);
        // closed first: it unannounces and ends the connections while the node is still up
        Hyperswarm swarm = res.add(new Hyperswarm(node.dht(), keyPair, SwarmOptions.DEFAULT, replication));
        swarm.join(t, true, false);
        deadline.await(swarm.flush(), () -> "REQUEST_TIMEOUT: announcing under " + t + " did not finish " + deadline.within());
        // the swarm retries a failed announce later, quietly: say "joined" only if a node stored it
        boolean stored = deadline.await(node.dht().lookup(t), () -> "REQUEST_TIMEOUT: checking the announce under " + t + " took over " + deadline.within())
            .stream().anyMatch(r -> r.peers().stream().anyMatch(p -> p.publicKey().equals(keyPair.publicKey())));
        if (!stored) throw new CliException("CONNECTION_FAILED: no DHT node at --bootstrap " + bootstrap + " stored the announce under " + t);
        System.out.println("joined " + t.hex());
        System.out.flush();
        res.untilKilled();
      }
      return 0;
    }
  }
}
