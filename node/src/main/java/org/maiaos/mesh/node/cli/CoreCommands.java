package org.maiaos.mesh.node.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.maiaos.mesh.hypercore.CoreError;
import org.maiaos.mesh.hypercore.Hypercore;
import org.maiaos.mesh.hypercore.HypercoreException;
import org.maiaos.mesh.hypercore.HypercoreOptions;
import org.maiaos.mesh.hypercore.Info;
import org.maiaos.mesh.hypercore.crypto.Ed25519;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh core create | append | info | get}, as {@code shared/CLI.md} specifies them. */
@Command(
    name = "core",
    description = "Create, append to and read Hypercores.",
    mixinStandardHelpOptions = true,
    subcommands = {CommandLine.HelpCommand.class, CoreCommands.Create.class, CoreCommands.Append.class, CoreCommands.InfoCmd.class, CoreCommands.Get.class,
        ServeCommand.class, FetchCommand.class})
final class CoreCommands {
  private CoreCommands() {}

  static byte[] parseSeed(String hex) {
    if (hex.length() != 64) throw new CliException("BAD_ARGUMENT: --seed must be 64 hex characters (32 bytes), got " + hex.length());
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      // never echo the seed: it is the secret key
      throw new CliException("BAD_ARGUMENT: --seed is not hex (64 characters 0-9, a-f)");
    }
  }

  /**
   * Opens DIR's core for a command that only reads: as the writer when nobody holds it (so a crash
   * is recovered as any open does), else as a read-only snapshot beside the process that holds it
   * (a {@code core serve}, a node), which shows what that process had committed when the command
   * started.
   */
  static Hypercore openToRead(Path dir) {
    try {
      return Hypercore.open(dir);
    } catch (HypercoreException e) {
      if (e.code() != CoreError.STORAGE_CONFLICT) throw e;
      return Hypercore.openSnapshot(dir);
    }
  }

  static String hex(byte[] b) {
    return b == null ? null : HexFormat.of().formatHex(b);
  }

  static String infoJson(Info i) {
    return new JsonOut()
        .put("key", i.key().hex())
        .put("discoveryKey", i.discoveryKey().hex())
        .put("length", i.length())
        .put("byteLength", i.byteLength())
        .put("fork", i.fork())
        .put("treeHash", hex(i.treeHash()))
        .put("signature", hex(i.signature()))
        .toString();
  }

  @Command(name = "create", description = "Create a writable core in DIR.", mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A new (or empty) directory for the core.") Path dir;
    @Option(names = "--seed", paramLabel = "HEX32", description = "Derive the Ed25519 key pair from this 32-byte seed.") String seed;
    @Option(names = "--compat", description = "Key = public key (no manifest hash), raw signatures.") boolean compat;
    @Option(names = "--json", description = "Print the info as JSON.") boolean json;

    @Override
    public Integer call() {
      HypercoreOptions.Builder opts = HypercoreOptions.builder().compat(compat);
      if (seed != null) opts.keyPair(Ed25519.keyPair(parseSeed(seed)));
      try (Hypercore core = Hypercore.create(dir, opts.build())) {
        System.out.println(json ? infoJson(core.info()) : core.key().hex());
      }
      return 0;
    }
  }

  @Command(name = "append", description = "Append one block per FILE (or per stdin line) in one atomic batch.", mixinStandardHelpOptions = true)
  static final class Append implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The core's directory (a writable core).") Path dir;
    @Parameters(index = "1..*", paramLabel = "FILE", description = "Files whose contents become one block each; without FILE, each stdin line is a block.") List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      List<byte[]> blocks = new ArrayList<>();
      if (files.isEmpty()) {
        blocks.addAll(stdinLines(System.in, Hypercore.MAX_BLOCK_BYTES, MAX_APPEND_BYTES));
      } else {
        long total = 0;
        for (Path f : files) {
          if (!Files.isRegularFile(f)) throw new CliException("BAD_ARGUMENT: no such file: " + f);
          // sizes are checked before anything is read, so a huge file never reaches memory
          long size = Files.size(f);
          if (size > Hypercore.MAX_BLOCK_BYTES) throw tooBig(f + " is " + size + " bytes");
          if ((total += size) > MAX_APPEND_BYTES) throw tooMuch();
          blocks.add(Files.readAllBytes(f));
        }
      }
      try (Hypercore core = Hypercore.open(dir)) {
        System.out.println(core.append(blocks));
      }
      return 0;
    }

    /** The most one append reads: one commit holds at most 64 MiB (the oplog entry limit). */
    static final long MAX_APPEND_BYTES = 64L * 1024 * 1024;

    private static CliException tooBig(String what) {
      return new CliException("BAD_ARGUMENT: " + what + ", over the " + Hypercore.MAX_BLOCK_BYTES + "-byte block limit");
    }

    private static CliException tooMuch() {
      return new CliException("BAD_ARGUMENT: the input is over " + MAX_APPEND_BYTES + " bytes, the most one atomic append takes; split it");
    }

    /**
     * Each line without its newline ({@code \n}, or {@code \r\n}) is one block. The bounds are
     * checked while reading, so an endless line fails at the block limit instead of filling the heap.
     */
    static List<byte[]> stdinLines(InputStream in, int maxLine, long maxTotal) throws IOException {
      List<byte[]> out = new ArrayList<>();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      InputStream buffered = new BufferedInputStream(in);
      boolean pending = false;
      long total = 0;
      for (int c; (c = buffered.read()) != -1; ) {
        if (++total > maxTotal) throw tooMuch();
        if (c == '\n') {
          byte[] b = line.toByteArray();
          if (b.length > 0 && b[b.length - 1] == '\r') b = java.util.Arrays.copyOf(b, b.length - 1);
          out.add(b);
          line.reset();
          pending = false;
        } else {
          // one byte over the limit is allowed for a '\r' before the newline; append checks the rest
          if (line.size() > maxLine) throw tooBig("stdin line " + (out.size() + 1) + " is longer");
          line.write(c);
          pending = true;
        }
      }
      if (pending) out.add(line.toByteArray());
      return out;
    }
  }

  @Command(name = "info", description = "Print the core's key, length and head.", mixinStandardHelpOptions = true)
  static final class InfoCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The core's directory.") Path dir;
    @Option(names = "--json", description = "Print one JSON object.") boolean json;

    @Override
    public Integer call() {
      try (Hypercore core = openToRead(dir)) {
        Info i = core.info();
        if (json) {
          System.out.println(infoJson(i));
        } else {
          System.out.printf("key           %s%ndiscoveryKey  %s%nlength        %d%nbyteLength    %d%nfork          %d%ntreeHash      %s%nwritable      %s%n",
              i.key().hex(), i.discoveryKey().hex(), i.length(), i.byteLength(), i.fork(), hex(i.treeHash()), core.writable());
        }
      }
      return 0;
    }
  }

  @Command(name = "get", description = "Write block INDEX's bytes to stdout.", mixinStandardHelpOptions = true)
  static final class Get implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The core's directory.") Path dir;
    @Parameters(index = "1", paramLabel = "INDEX", description = "The block index, from 0.") long index;

    @Override
    public Integer call() throws IOException {
      try (Hypercore core = openToRead(dir)) {
        byte[] block = core.get(index);
        OutputStream out = System.out;
        out.write(block);
        out.flush();
      }
      return 0;
    }
  }
}
