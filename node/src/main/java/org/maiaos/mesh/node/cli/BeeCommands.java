package org.maiaos.mesh.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hyperbee.Batch;
import org.maiaos.mesh.hyperbee.Entry;
import org.maiaos.mesh.hyperbee.Hyperbee;
import org.maiaos.mesh.hyperbee.Range;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesh bee create | apply | get | range | fetch}, as {@code shared/CLI.md} specifies them.
 * Keys and values are UTF-8 strings on the command line and in JSON; their bytes are stored.
 */
@Command(
    name = "bee",
    description = "Create, write and read Hyperbees (B-trees over a core).",
    mixinStandardHelpOptions = true,
    subcommands = {BeeCommands.Create.class, BeeCommands.Apply.class, BeeCommands.Get.class, BeeCommands.RangeCmd.class, BeeCommands.Fetch.class})
final class BeeCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BeeCommands() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static String entryJson(Entry<byte[], byte[]> e) {
    return new JsonOut().put("key", text(e.key())).put("value", text(e.value())).put("seq", e.seq()).toString();
  }

  @Command(name = "create", description = "Create a writable core in DIR holding an empty Hyperbee.", mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;
    @Option(names = "--seed", paramLabel = "HEX32", description = "Derive the Ed25519 key pair from this 32-byte seed.") String seed;

    @Override
    public Integer call() {
      HypercoreOptions.Builder opts = HypercoreOptions.builder();
      if (seed != null) opts.keyPair(Ed25519.keyPair(CoreCommands.parseSeed(seed)));
      try (Hypercore core = Hypercore.create(dir, opts.build())) {
        System.out.println(core.key().hex()); // the header block is written by the first write, as in JS
      }
      return 0;
    }
  }

  @Command(name = "apply", description = "Apply JSON lines from stdin: {\"put\":[K,V]}, {\"del\":K}, {\"batch\":[...]}.", mixinStandardHelpOptions = true)
  static final class Apply implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;

    @Override
    public Integer call() throws IOException {
      try (Hypercore core = Hypercore.open(dir)) {
        Hyperbee<byte[], byte[]> bee = Hyperbee.open(core);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long n = 0;
        long lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
          lineNo++;
          if (line.isBlank()) continue;
          JsonNode op = parse(line, lineNo);
          if (op.has("batch")) {
            JsonNode ops = op.get("batch");
            if (!ops.isArray()) throw bad(lineNo, "\"batch\" must be an array");
            try (Batch<byte[], byte[]> b = bee.batch()) {
              for (JsonNode o : ops) applyOne(o, lineNo, b::put, b::del);
              b.flush();
            }
            n += ops.size();
          } else {
            applyOne(op, lineNo, bee::put, bee::del);
            n++;
          }
        }
        System.out.println(new JsonOut().put("applied", n).put("length", core.length()));
      }
      return 0;
    }

    interface Put {
      boolean put(byte[] k, byte[] v);
    }

    interface Del {
      boolean del(byte[] k);
    }

    private static void applyOne(JsonNode op, long lineNo, Put put, Del del) {
      if (op.has("put")) {
        JsonNode kv = op.get("put");
        if (!kv.isArray() || kv.size() != 2 || !kv.get(0).isTextual() || !(kv.get(1).isTextual() || kv.get(1).isNull())) {
          throw bad(lineNo, "\"put\" must be [KEY, VALUE] with string key and value");
        }
        put.put(utf8(kv.get(0).asText()), kv.get(1).isNull() ? null : utf8(kv.get(1).asText()));
      } else if (op.has("del")) {
        if (!op.get("del").isTextual()) throw bad(lineNo, "\"del\" must be a string key");
        del.del(utf8(op.get("del").asText()));
      } else {
        throw bad(lineNo, "expected {\"put\":[K,V]}, {\"del\":K} or {\"batch\":[...]}");
      }
    }

    private static JsonNode parse(String line, long lineNo) {
      try {
        JsonNode n = JSON.readTree(line);
        if (n == null || !n.isObject()) throw bad(lineNo, "not a JSON object");
        return n;
      } catch (IOException e) {
        throw bad(lineNo, "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
      }
    }

    private static CliException bad(long lineNo, String what) {
      return new CliException("BAD_ARGUMENT: stdin line " + lineNo + ": " + what + " (operations before it were applied)");
    }
  }

  @Command(name = "get", description = "Print the entry for KEY.", mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;
    @Parameters(index = "1", paramLabel = "KEY") String key;
    @Option(names = "--json", description = "Print one JSON object (the default output too).") boolean json;

    @Override
    public Integer call() {
      try (Hypercore core = Hypercore.open(dir)) {
        Optional<Entry<byte[], byte[]>> e = core.length() == 0 ? Optional.empty() : Hyperbee.open(core).get(utf8(key));
        System.out.println(e.map(BeeCommands::entryJson).orElse(new JsonOut().put("key", key).put("value", null).toString()));
      }
      return 0;
    }
  }

  @Command(name = "range", description = "Print the entries in a key range as JSON lines, in order.", mixinStandardHelpOptions = true)
  static final class RangeCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;
    @Option(names = "--gt", paramLabel = "K") String gt;
    @Option(names = "--gte", paramLabel = "K") String gte;
    @Option(names = "--lt", paramLabel = "K") String lt;
    @Option(names = "--lte", paramLabel = "K") String lte;
    @Option(names = "--reverse") boolean reverse;
    @Option(names = "--limit", paramLabel = "N") Integer limit;

    @Override
    public Integer call() {
      if (limit != null && limit < 0) throw new CliException("BAD_ARGUMENT: --limit must be >= 0");
      try (Hypercore core = Hypercore.open(dir)) {
        if (core.length() == 0) return 0;
        Range<byte[]> r = Range.all();
        if (gt != null) r = r.gt(utf8(gt));
        if (gte != null) r = r.gte(utf8(gte));
        if (lt != null) r = r.lt(utf8(lt));
        if (lte != null) r = r.lte(utf8(lte));
        if (reverse) r = r.reverse();
        if (limit != null) r = r.limit(limit);
        for (Iterator<Entry<byte[], byte[]>> it = Hyperbee.open(core).iterator(r); it.hasNext(); ) {
          System.out.println(entryJson(it.next()));
        }
      }
      return 0;
    }
  }

  @Command(name = "fetch", description = "Read KEY from a remote bee sparsely, downloading only the blocks on its path.", mixinStandardHelpOptions = true)
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KEY", description = "The core key of the remote bee (64 hex characters).") String coreKey;
    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT") String connect;
    @Option(names = "--get", required = true, paramLabel = "K") String key;
    @Option(names = "--dir", paramLabel = "DIR", description = "Keep the sparse replica here (default: a temp dir, removed after).") Path dir;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() throws Exception {
      try (RemoteReplica remote = RemoteReplica.connect(coreKey, connect, dir)) {
        long remoteLength = remote.update();
        if (remoteLength == 0) throw CoreError.BLOCK_NOT_AVAILABLE.error("the remote core %s is empty", remote.core.key());
        Optional<Entry<byte[], byte[]>> e = Hyperbee.open(remote.core).get(utf8(key));
        JsonOut out = e.isPresent()
            ? new JsonOut().put("key", text(e.get().key())).put("value", text(e.get().value())).put("seq", e.get().seq())
            : new JsonOut().put("key", key).put("value", null).put("seq", null);
        System.out.println(out.put("downloadedBlocks", remote.replicator.stats().downloadedBlocks()).put("remoteLength", remoteLength).toString());
      }
      return 0;
    }
  }
}
