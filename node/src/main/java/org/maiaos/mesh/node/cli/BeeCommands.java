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
import org.maiaos.mesh.hypercore.encoding.Bytes;
import picocli.CommandLine;
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
    subcommands = {CommandLine.HelpCommand.class, BeeCommands.Create.class, BeeCommands.Apply.class, BeeCommands.Get.class, BeeCommands.RangeCmd.class, BeeCommands.Fetch.class})
final class BeeCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BeeCommands() {}

  /** UTF-8 as JS writes it (a lone surrogate becomes U+FFFD, where Java would write {@code ?}). */
  static byte[] utf8(String s) {
    return Bytes.utf8(s);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** The bee in {@code core}; BAD_ARGUMENT when the core holds blocks but block 0 is no hyperbee header. */
  static Hyperbee<byte[], byte[]> openBee(Hypercore core, Path dir) {
    if (core.length() > 0 && !Hyperbee.isHyperbee(core)) {
      throw new CliException("BAD_ARGUMENT: " + dir + " holds a core that is not a hyperbee (block 0 is not a hyperbee header)");
    }
    return Hyperbee.open(core);
  }

  static String entryJson(Entry<byte[], byte[]> e) {
    return new JsonOut().put("key", text(e.key())).put("value", text(e.value())).put("seq", e.seq()).toString();
  }

  @Command(name = "create", description = "Create a writable core in DIR holding an empty Hyperbee.", mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A new (or empty) directory for the core.") Path dir;
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

  @Command(name = "apply", description = "Apply JSON lines from stdin, one operation per line, in order: {\"put\":[K,V]}, {\"del\":K},"
          + " or {\"batch\":[puts and dels]} (one atomic batch). Keys and values are strings. Each line is"
          + " written before the next is read: on a bad line the lines before it stay applied, and the error names the line.",
      footer = {"%nExample:%n  printf '{\"put\":[\"a\",\"1\"]}\\n{\"del\":\"b\"}\\n' | mesh bee apply ./bee"},
      mixinStandardHelpOptions = true)
  static final class Apply implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the bee's core.") Path dir;

    @Override
    public Integer call() throws IOException {
      try (Hypercore core = Hypercore.open(dir)) {
        Hyperbee<byte[], byte[]> bee = openBee(core, dir);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long n = 0;
        long lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
          lineNo++;
          if (line.isBlank()) continue;
          JsonNode op = parse(line, lineNo);
          String kind = kindOf(op, lineNo);
          if (kind.equals("batch")) {
            JsonNode ops = op.get("batch");
            if (!ops.isArray()) throw bad(lineNo, "\"batch\" must be an array of puts and dels");
            for (JsonNode o : ops) {
              if (!o.isObject() || kindOf(o, lineNo).equals("batch")) throw bad(lineNo, "a batch holds only {\"put\":[K,V]} and {\"del\":K} objects");
              checkOne(o, lineNo);
            }
            try (Batch<byte[], byte[]> b = bee.batch()) {
              for (JsonNode o : ops) applyOne(o, b::put, b::del);
              b.flush();
            }
            n += ops.size();
          } else {
            checkOne(op, lineNo);
            applyOne(op, bee::put, bee::del);
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

    /** The one operation an object names: exactly one field, {@code put}, {@code del} or {@code batch}. */
    private static String kindOf(JsonNode op, long lineNo) {
      if (op.size() != 1) {
        throw bad(lineNo, "one operation per object: {\"put\":[K,V]}, {\"del\":K} or {\"batch\":[...]}, got fields " + fieldNames(op));
      }
      String kind = op.fieldNames().next();
      if (!kind.equals("put") && !kind.equals("del") && !kind.equals("batch")) {
        throw bad(lineNo, "unknown operation \"" + kind + "\": expected put, del or batch");
      }
      return kind;
    }

    private static String fieldNames(JsonNode op) {
      java.util.List<String> names = new java.util.ArrayList<>();
      op.fieldNames().forEachRemaining(names::add);
      return names.toString();
    }

    // checked before anything of the line is written, so a bad line applies nothing of itself
    private static void checkOne(JsonNode op, long lineNo) {
      if (op.has("put")) {
        JsonNode kv = op.get("put");
        if (!kv.isArray() || kv.size() != 2 || !kv.get(0).isTextual() || !kv.get(1).isTextual()) {
          throw bad(lineNo, "\"put\" must be [KEY, VALUE], both strings");
        }
      } else if (!op.get("del").isTextual()) {
        throw bad(lineNo, "\"del\" must be a string key");
      }
    }

    private static void applyOne(JsonNode op, Put put, Del del) {
      if (op.has("put")) {
        JsonNode kv = op.get("put");
        put.put(utf8(kv.get(0).asText()), utf8(kv.get(1).asText()));
      } else {
        del.del(utf8(op.get("del").asText()));
      }
    }

    private static JsonNode parse(String line, long lineNo) {
      try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(line)) {
        JsonNode n = JSON.readTree(p);
        if (n == null || !n.isObject()) throw bad(lineNo, "not a JSON object");
        // a second value or garbage after the object is an error, never silently ignored
        if (p.nextToken() != null) throw bad(lineNo, "more than one JSON value on the line (one object per line)");
        return n;
      } catch (IOException e) {
        throw bad(lineNo, "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
      }
    }

    private static CliException bad(long lineNo, String what) {
      return new CliException("BAD_ARGUMENT: stdin line " + lineNo + ": " + what + " (the lines before it are applied; this one and the rest are not)");
    }
  }

  @Command(name = "get", description = "Print the entry for KEY.", mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the bee's core.") Path dir;
    @Parameters(index = "1", paramLabel = "KEY", description = "The key, a UTF-8 string.") String key;
    @Option(names = "--json", description = "Print one JSON object (the default output too).") boolean json;

    @Override
    public Integer call() {
      try (Hypercore core = CoreCommands.openToRead(dir)) {
        Optional<Entry<byte[], byte[]>> e = core.length() == 0 ? Optional.empty() : openBee(core, dir).get(utf8(key));
        System.out.println(e.map(BeeCommands::entryJson).orElse(new JsonOut().put("key", key).put("value", null).toString()));
      }
      return 0;
    }
  }

  @Command(name = "range", description = "Print the entries in a key range as JSON lines, in order.", mixinStandardHelpOptions = true)
  static final class RangeCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory of the bee's core.") Path dir;
    @Option(names = "--gt", paramLabel = "K", description = "Only keys greater than K.") String gt;
    @Option(names = "--gte", paramLabel = "K", description = "Only keys greater than or equal to K.") String gte;
    @Option(names = "--lt", paramLabel = "K", description = "Only keys less than K.") String lt;
    @Option(names = "--lte", paramLabel = "K", description = "Only keys less than or equal to K.") String lte;
    @Option(names = "--reverse", description = "Largest key first.") boolean reverse;
    @Option(names = "--limit", paramLabel = "N", description = "At most N entries.") Integer limit;

    @Override
    public Integer call() {
      if (limit != null && limit < 0) throw new CliException("BAD_ARGUMENT: --limit must be >= 0");
      try (Hypercore core = CoreCommands.openToRead(dir)) {
        if (core.length() == 0) return 0;
        Range<byte[]> r = Range.all();
        if (gt != null) r = r.gt(utf8(gt));
        if (gte != null) r = r.gte(utf8(gte));
        if (lt != null) r = r.lt(utf8(lt));
        if (lte != null) r = r.lte(utf8(lte));
        if (reverse) r = r.reverse();
        if (limit != null) r = r.limit(limit);
        for (Iterator<Entry<byte[], byte[]>> it = openBee(core, dir).iterator(r); it.hasNext(); ) {
          System.out.println(entryJson(it.next()));
        }
      }
      return 0;
    }
  }

  @Command(name = "fetch", description = "Read KEY from a remote bee sparsely, downloading only the blocks on its path.", mixinStandardHelpOptions = true)
  static final class Fetch implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KEY", description = "The core key of the remote bee (64 hex characters).") String coreKey;
    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "A peer serving the bee (`mesh core serve`).") String connect;
    @Option(names = "--get", required = true, paramLabel = "K", description = "The key to read.") String key;
    @Option(names = "--dir", paramLabel = "DIR", description = "Keep the sparse replica here (default: a temp dir, removed after).") Path dir;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "Give up after this many seconds without the entry (default: ${DEFAULT-VALUE}). A peer that shows it cannot answer fails at once.")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      try (RemoteReplica remote = RemoteReplica.connect(coreKey, connect, dir, RemoteReplica.timeout(timeoutSeconds))) {
        long remoteLength = remote.update();
        if (remoteLength == 0) throw CoreError.BLOCK_NOT_AVAILABLE.error("the remote core %s is empty", remote.core.key());
        // the walk fetches block by block; on its own thread so that it, too, ends at the first cause
        Optional<Entry<byte[], byte[]>> e = remote.read(() -> Hyperbee.open(remote.core).get(utf8(key)));
        JsonOut out = e.isPresent()
            ? new JsonOut().put("key", text(e.get().key())).put("value", text(e.get().value())).put("seq", e.get().seq())
            : new JsonOut().put("key", key).put("value", null).put("seq", null);
        System.out.println(out.put("downloadedBlocks", remote.replicator.stats().downloadedBlocks()).put("remoteLength", remoteLength).toString());
      }
      return 0;
    }
  }
}
