package org.maiaos.mesh.node.cli;

import java.io.PrintWriter;
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
    subcommands = {CoreCommands.class, BeeCommands.class, SyncCommand.class, DemoCommand.class})
public final class MeshCommand {
  @Option(names = "--debug", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    MeshCommand root = new MeshCommand();
    CommandLine cli = new CommandLine(root);
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
