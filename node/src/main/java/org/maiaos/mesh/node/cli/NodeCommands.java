package org.maiaos.mesh.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.crypto.Key32;
import org.maiaos.mesh.hyperswarm.dht.messages.PeerAddress;
import org.maiaos.mesh.node.mesh.CoreStore;
import org.maiaos.mesh.node.mesh.MeshHello;
import org.maiaos.mesh.node.mesh.RegionNode;
import org.maiaos.mesh.node.mesh.StoreKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh node}: a region node. {@code run} serves the sync server on its region bee, joins the
 * mesh topic as client and server, and replicates every peer region's bee sparsely over the mesh
 * channel; {@code info} reads what a node directory holds. DIR holds {@code store/} (a
 * {@link CoreStore}: the region bee is the core named {@code bee}, the node key pair the name
 * {@code node}) and {@code region}, written on the first run.
 */
@Command(name = "node", description = "A region node of the mesh.", mixinStandardHelpOptions = true,
    subcommands = {CommandLine.HelpCommand.class, NodeCommands.Run.class, NodeCommands.Info.class})
final class NodeCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeCommands() {}

  /** The region name stored in DIR, or null for a new DIR. */
  static String storedRegion(Path dir) throws java.io.IOException {
    Path f = dir.resolve("region");
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : null;
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run the region node: the sync server on ws://HOST:PORT (with GET / (its status page), /health, /status and /metrics), its",
          "region bee in DIR, joined to the mesh TOPIC. Prints 'listening ws://HOST:PORT', then 'joined TOPIC'."},
      footer = {"", "Example:", "  mesh node run --dir ./us --region us --listen 127.0.0.1:4200 --topic <64 hex> --bootstrap 127.0.0.1:49737"})
  static final class Run implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The node's directory (created if missing).") Path dir;
    @Option(names = "--region", required = true, paramLabel = "NAME", description = "This node's region: 1 to 32 of a-z, 0-9 and -.") String region;
    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "The sync server's address (port 0 picks a free one).") String listen;
    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The mesh topic (64 hex characters) all region nodes join.") String topic;
    @Option(names = "--bootstrap", required = true, paramLabel = "LIST", description = "DHT nodes to bootstrap from (HOST:PORT,... or 'public').") String bootstrap;
    @Option(names = "--storage", paramLabel = "hyperbee|hybrid", defaultValue = "hyperbee", description = "Local storage: hyperbee (the region bee only, the default) or hybrid (SQLite in DIR/store.sqlite as the local primary, every write carried into the region bee too).") String storage;
    @Option(names = "--allow", paramLabel = "KEY,...", description = "Only these node public keys may connect (default: any node that knows the topic).") String allow;
    @Option(names = "--mirror", paramLabel = "REGION,...|all", description = "Keep these regions' bees whole, downloaded and current, to serve them while they are down ('all': every peer region).") String mirror;
    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The local IPv4 address the DHT node binds (default ${DEFAULT-VALUE}).") String bind;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Bootstrapping and the first announce may take at most this long (default ${DEFAULT-VALUE}).") long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      DhtNode.quietLibraryLogs();
      if (!MeshHello.validRegion(region)) throw new CliException("BAD_ARGUMENT: --region must be 1 to 32 of a-z, 0-9 and -");
      if (!storage.equals("hyperbee") && !storage.equals("hybrid")) {
        throw new CliException("BAD_ARGUMENT: --storage is hyperbee or hybrid, not '" + storage + "'");
      }
      Set<String> mirrored = mirrorList(mirror);
      Endpoint at = Endpoint.parse(listen);
      Key32 t = DhtCommands.topic(topic);
      List<PeerAddress> boot = Bootstrap.required(bootstrap);
      Set<Key32> allowed = allowList(allow);
      Deadline deadline = Deadline.ofSeconds(timeoutSeconds);
      if (Files.exists(dir) && !Files.isDirectory(dir)) throw new CliException("BAD_ARGUMENT: " + dir + " is not a directory");
      Files.createDirectories(dir);
      String stored = storedRegion(dir);
      if (stored != null && !stored.equals(region)) {
        throw new CliException("BAD_ARGUMENT: " + dir + " is the node of region '" + stored + "', not '" + region + "'");
      }
      if (stored == null) Files.writeString(dir.resolve("region"), region + "\n", StandardCharsets.UTF_8);

      try (Resources res = new Resources()) {
        RegionNode node = res.add(RegionNode.open(new RegionNode.Config(dir.resolve("store"), region, at.host(), at.port(), t, allowed, mirrored,
            storage.equals("hybrid"))));
        System.out.println("listening " + node.url());
        System.out.flush();

        DhtNode dht = res.add(DhtNode.open(DhtNode.client(boot, bind)));
        dht.bootstrapped(deadline, bootstrap, true);
        deadline.await(node.join(dht.dht()), () -> "REQUEST_TIMEOUT: joining " + t + " did not finish " + deadline.within());
        System.out.println("joined " + t.hex());
        System.out.flush();
        res.untilKilled();
      }
      return 0;
    }

    /** {@code --mirror REGION,...|all}: region names, or {@link RegionNode.Config#ALL}. */
    private static Set<String> mirrorList(String list) {
      if (list == null) return Set.of();
      Set<String> out = new HashSet<>();
      for (String r : list.split(",", -1)) {
        String name = r.trim();
        if (!name.equals(RegionNode.Config.ALL) && !MeshHello.validRegion(name)) {
          throw new CliException("BAD_ARGUMENT: --mirror takes region names (1 to 32 of a-z, 0-9 and -) or 'all', not '" + r + "'");
        }
        out.add(name);
      }
      return out;
    }

    private static Set<Key32> allowList(String list) {
      if (list == null) return null;
      Set<Key32> out = new HashSet<>();
      for (String k : list.split(",", -1)) {
        try {
          out.add(Key32.fromHex(k.trim()));
        } catch (HypercoreException e) {
          throw new CliException("BAD_ARGUMENT: --allow takes node public keys of 64 hex characters, not '" + k + "'");
        }
      }
      return out;
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print what the node directory DIR holds: region, public key, bee key.")
  static final class Info implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The node's directory.") Path dir;
    @Option(names = "--json", required = true, description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() throws Exception {
      String region = storedRegion(dir);
      if (region == null || !Files.isDirectory(dir.resolve("store"))) {
        throw new CliException("BAD_ARGUMENT: " + dir + " is not a node directory (run `mesh node run --dir " + dir + "` first)");
      }
      try (CoreStore store = CoreStore.open(dir.resolve("store"))) {
        ObjectNode o = JSON.createObjectNode();
        o.put("region", region);
        o.put("publicKey", store.keyPair(RegionNode.NODE_KEY).publicKey().hex());
        // derived, not opened: a running node holds the bee's lock
        o.put("beeKey", StoreKeys.coreKey(store.keyPair(RegionNode.BEE)).hex());
        System.out.println(o);
      }
      return 0;
    }
  }
}
