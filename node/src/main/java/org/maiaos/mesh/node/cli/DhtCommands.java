package org.maiaos.mesh.node.cli;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hypercore.crypto.KeyPair;
import org.maiaos.mesh.hyperswarm.dht.HyperDht;
import org.maiaos.mesh.hyperswarm.dht.LookupReply;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerRecord;
import org.maiaos.mesh.hyperswarm.dht.rpc.DhtRpcOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh dht bootstrap | announce | lookup}, as {@code shared/CLI.md} specifies them. */
@Command(
    name = "dht",
    description = "Run a HyperDHT node, announce on it and look topics up.",
    mixinStandardHelpOptions = true,
    footer = {"%nExamples:",
        "  mesh dht bootstrap --listen 127.0.0.1:49737          the first node of a private network",
        "  mesh dht announce TOPIC --bootstrap 127.0.0.1:49737",
        "  mesh dht lookup TOPIC --bootstrap 127.0.0.1:49737 --json",
        "%n--bootstrap 'public' names the public HyperDHT nodes; it is never the default."},
    subcommands = {CommandLine.HelpCommand.class, DhtCommands.BootstrapNode.class, DhtCommands.Announce.class, DhtCommands.Lookup.class})
final class DhtCommands {
  /** How often {@code dht announce} announces again: as Hyperswarm, well inside the 20 min a record lives. */
  static final Duration REANNOUNCE = Duration.ofMinutes(10);

  private DhtCommands() {}

  /** A TOPIC argument: 32 bytes as 64 hex characters. */
  static Key32 topic(String hex) {
    try {
      return Key32.fromHex(hex);
    } catch (HypercoreException e) {
      throw new CliException("BAD_ARGUMENT: TOPIC must be 64 hex characters (32 bytes)");
    }
  }

  /** The key pair from {@code --seed}, or a random one. */
  static KeyPair keyPair(String seed) {
    return seed == null ? Ed25519.keyPair() : Ed25519.keyPair(CoreCommands.parseSeed(seed));
  }

  @Command(name = "bootstrap", description = "Run a persistent DHT node (a bootstrap node of a private network) until killed.",
      mixinStandardHelpOptions = true)
  static final class BootstrapNode implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "The UDP address to bind (IPv4; port 0 picks a free one).") String listen;
    @Option(names = "--bootstrap", paramLabel = "LIST", description = "Other nodes to join (HOST:PORT,...); none: this is the network's first node.") String bootstrap;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Bootstrapping may take at most this long (default: ${DEFAULT-VALUE}).") long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      DhtNode.quietLibraryLogs();
      Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
      Endpoint at = Endpoint.parse(listen);
      PeerAddress bind = at.ipv4();
      List<PeerAddress> boot = bootstrap == null ? List.of() : Bootstrap.parse(bootstrap);
      // the first node of a network has nobody to learn its address from: it takes its bound one
      DhtRpcOptions opts = DhtRpcOptions.persistent(boot).withBootstrapper(boot.isEmpty()).withHost(bind.host()).withPort(bind.port());
      try (Resources res = new Resources()) {
        DhtNode node = res.add(DhtNode.open(opts));
        // dht-rpc tries the next ports when the one asked for is taken: a bootstrap node must have its own
        if (bind.port() != 0 && node.address().port() != bind.port()) {
          throw new CliException("BAD_ARGUMENT: cannot listen on " + at + ": the port is in use");
        }
        node.bootstrapped(deadline, bootstrap == null ? "(none)" : bootstrap, false);
        System.out.println("listening " + new Endpoint(bind.host(), node.address().port()));
        System.out.flush();
        res.untilKilled();
      }
      return 0;
    }
  }

  @Command(name = "announce", description = "Announce the key pair's public key under TOPIC and keep it fresh until killed.",
      mixinStandardHelpOptions = true)
  static final class Announce implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic (64 hex characters).") String topic;
    @Option(names = "--bootstrap", required = true, paramLabel = "LIST", description = "DHT nodes to bootstrap from (HOST:PORT,... or 'public').") String bootstrap;
    @Option(names = "--seed", paramLabel = "HEX32", description = "Derive the Ed25519 key pair from this 32-byte seed (default: a random key pair).") String seed;
    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The local IPv4 address the DHT node binds (default: ${DEFAULT-VALUE}, which reaches this host only).") String bind;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Bootstrapping and the first announce may take at most this long (default: ${DEFAULT-VALUE}).") long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      DhtNode.quietLibraryLogs();
      Key32 t = topic(topic);
      List<PeerAddress> boot = Bootstrap.required(bootstrap);
      DhtRpcOptions opts = DhtNode.client(boot, bind);
      KeyPair keyPair = keyPair(seed);
      Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
      try (Resources res = new Resources()) {
        DhtNode node = res.add(DhtNode.open(opts));
        node.bootstrapped(deadline, bootstrap, true);
        HyperDht dht = node.dht();
        deadline.await(dht.announce(t, keyPair, List.of()), () -> "REQUEST_TIMEOUT: the announce under " + t + " did not finish " + deadline.within());
        System.out.println("announced " + keyPair.publicKey().hex());
        System.out.flush();
        // stopping unannounces, so that lookups stop finding a peer that is gone
        res.add(() -> dht.unannounce(t, keyPair).get(5, TimeUnit.SECONDS));
        Thread refresher = new Thread(() -> reannounce(dht, t, keyPair), "node-dht-announce");
        refresher.setDaemon(true);
        refresher.start();
        res.untilKilled();
      }
      return 0;
    }

    private static void reannounce(HyperDht dht, Key32 t, KeyPair keyPair) {
      while (true) {
        try {
          Thread.sleep(REANNOUNCE.toMillis());
          dht.announce(t, keyPair, List.of()).get(REANNOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // the next round tries again; the record lives twice as long as a round
          System.err.println("mesh: warning: announcing again under " + t + " failed: " + e.getMessage());
        }
      }
    }
  }

  @Command(name = "lookup", description = "Look TOPIC up: one line per peer found (JSON lines with --json).", mixinStandardHelpOptions = true)
  static final class Lookup implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic (64 hex characters).") String topic;
    @Option(names = "--bootstrap", required = true, paramLabel = "LIST", description = "DHT nodes to bootstrap from (HOST:PORT,... or 'public').") String bootstrap;
    @Option(names = "--json", description = "JSON lines {\"publicKey\",\"relayAddresses\":[\"HOST:PORT\",...]}.") boolean json;
    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The local IPv4 address the DHT node binds (default: ${DEFAULT-VALUE}, which reaches this host only).") String bind;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Bootstrapping and the lookup may take at most this long (default: ${DEFAULT-VALUE}).") long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      DhtNode.quietLibraryLogs();
      Key32 t = topic(topic);
      List<PeerAddress> boot = Bootstrap.required(bootstrap);
      DhtRpcOptions opts = DhtNode.client(boot, bind);
      Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
      try (Resources res = new Resources()) {
        DhtNode node = res.add(DhtNode.open(opts));
        node.bootstrapped(deadline, bootstrap, true);
        Set<Key32> seen = new HashSet<>(); // the node's scheduler thread only
        deadline.await(node.dht().lookup(t, (LookupReply reply) -> {
          for (PeerRecord p : reply.peers()) {
            if (seen.add(p.publicKey())) print(p);
          }
        }), () -> "REQUEST_TIMEOUT: the lookup of " + t + " did not finish " + deadline.within());
      }
      System.out.flush();
      return 0;
    }

    private void print(PeerRecord p) {
      List<String> relays = p.relayAddresses().stream().map(PeerAddress::key).toList();
      System.out.println(json ? new JsonOut().put("publicKey", p.publicKey().hex()).put("relayAddresses", relays).toString()
          : p.publicKey().hex() + " " + String.join(",", relays));
    }
  }
}
