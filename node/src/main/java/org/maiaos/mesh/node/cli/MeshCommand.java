package org.maiaos.mesh.node.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.maiaos.mesh.hypercore.HypercoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh}: the one executable ({@code bin/mesh}). User errors print one {@code CODE: detail}
 * line on stderr and exit 1; the stack trace only with {@code --debug}.
 */
@Command(
    name = "mesh",
    mixinStandardHelpOptions = true,
    version = "mesh 0.1.0",
    description = "Hypercore mesh node and tools.",
    footer = {"%nExamples:",
        "  mesh demo                                   three region nodes on 127.0.0.1 (--layers: each layer)",
        "  mesh core create ./c && echo hi | mesh core append ./c",
        "  mesh core get ./c 0",
        "  mesh bee create ./b && echo '{\"put\":[\"k\",\"v\"]}' | mesh bee apply ./b",
        "  mesh bee get ./b k --json",
        "  mesh sync --listen 127.0.0.1:4200 --dir ./s  a sync server for Jazz apps",
        "  mesh dht bootstrap --listen 127.0.0.1:49737  the first node of a private DHT",
        "  mesh swarm serve ./c --topic T --bootstrap 127.0.0.1:49737",
        "  mesh help bee, mesh bee help apply          help for a command",
        "%nMore: docs/cli.md."},
    subcommands = {CommandLine.HelpCommand.class, CoreCommands.class, BeeCommands.class, SyncCommand.class, DhtCommands.class,
        SwarmCommands.class, NodeCommands.class, DemoCommand.class})
public final class MeshCommand {
  @Option(names = "--debug", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  public static void main(String[] args) {
    // Output is UTF-8 whatever the locale (bin/mesh also runs the JVM under a UTF-8 locale, which is
    // what makes arguments and file names decode as UTF-8)
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    int code = run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    MeshCommand root = new MeshCommand();
    CommandLine cli = new CommandLine(root);
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      boolean debug = java.util.Arrays.asList(args).contains("--debug");
      PrintWriter err = cmd.getErr();
      if (ex instanceof HypercoreException || ex instanceof CliException) {
        err.println("mesh: " + ex.getMessage());
      } else {
        err.println("mesh: internal error: " + ex);
      }
      if (debug) ex.printStackTrace(err);
      err.flush();
      return 1;
    });
    cli.setParameterExceptionHandler((ex, a) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("mesh: BAD_ARGUMENT: " + ex.getMessage() + " (see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
      err.flush();
      return 2;
    });
    return cli.execute(args);
  }
}
